package gear.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetRegistryTest {
    @Test
    void twelveSetsAndNinePairsConsistent() {
        DatasetRegistry reg = DatasetRegistry.load();
        assertEquals(12, reg.datasets().size());
        assertEquals(9, reg.pairs().size());
        for (DatasetInfo d : reg.datasets()) {
            assertEquals(d.name() + ".csv", d.file());
            assertTrue(d.sha256().matches("[0-9a-f]{64}"), d.name());
            assertTrue(d.rows() > 0 && !d.license().isEmpty() && !d.citation().isEmpty(), d.name());
            if (d.downloadUrl() != null) {
                assertTrue(d.downloadUrl().startsWith("https://"), d.downloadUrl());
            }
        }
        for (DatasetPair p : reg.pairs()) {
            assertTrue(reg.get(p.source()).columnNames().contains(p.sourceColumn()), p.id());
            assertTrue(reg.get(p.target()).columnNames().contains(p.targetColumn()), p.id());
        }
        assertEquals("Tc_K", reg.pair("tb-tc").orElseThrow().targetColumn());
        assertEquals("esol_delaney_logS", reg.get("esol_delaney_logS.csv").name());
        BadInputException e = assertThrows(BadInputException.class, () -> reg.get("nope"));
        assertTrue(e.getMessage().contains("known: esol_delaney_logS"), e.getMessage());
    }

    @Test
    void hashesAndRowCountsMatchTheMirror() throws IOException {
        Path sums = TestData.data("SHA256SUMS");
        Map<String, String> expected = new HashMap<>();
        for (String line : Files.readAllLines(sums)) {
            String[] f = line.trim().split("\\s+");
            expected.put(f[1], f[0]);
        }
        for (DatasetInfo d : DatasetRegistry.load().datasets()) {
            assertEquals(expected.get(d.file()), d.sha256(), d.name());
            Path f = sums.resolveSibling(d.file());
            assertEquals(d.sha256(), Hashing.sha256(f), d.name());
            long lines;
            try (var s = Files.lines(f)) {
                lines = s.count();
            }
            assertEquals(d.rows() + 1, lines, d.name() + " rows (no multi-line cells in the mirror)");
            assertEquals(d.smilesColumn() + "," + String.join(",", d.columnNames()), Files.readAllLines(f).get(0), d.name());
        }
    }

    @Test
    void dataDirsResolutionOrder(@TempDir Path tmp) throws IOException {
        assertEquals(tmp, DataDirs.resolve(tmp, Map.of(DataDirs.ENV, "/elsewhere")));
        assertEquals(Paths.get("/elsewhere"), DataDirs.resolve(null, Map.of(DataDirs.ENV, "/elsewhere")));
        assertEquals(DataDirs.defaultDir(), DataDirs.resolve(null, Map.of()));
        assertTrue(DataDirs.defaultDir().endsWith(Paths.get(".cache", "gear", "datasets")));
        BadInputException e = assertThrows(BadInputException.class, () -> DataDirs.dataset("esol_delaney_logS", tmp));
        assertTrue(e.getMessage().contains("gear datasets get esol_delaney_logS"), e.getMessage());
        Files.writeString(tmp.resolve("esol_delaney_logS.csv"), "smiles,y\nC,1\n");
        // a local copy that is not the registry's file is refused under the data set's name
        ChecksumMismatchException c = assertThrows(ChecksumMismatchException.class,
                () -> DataDirs.dataset("esol_delaney_logS", tmp));
        assertTrue(c.getMessage().contains(tmp.resolve("esol_delaney_logS.csv").toString())
                && c.getMessage().contains("gear datasets get esol_delaney_logS"), c.getMessage());
        assertEquals(tmp.resolve("esol_delaney_logS.csv"), DataDirs.dataset(tmp.resolve("esol_delaney_logS.csv").toString(), tmp),
                "by its path the file is used as it is");
        Files.copy(gear.TestData.data("esol_delaney_logS.csv"), tmp.resolve("esol_delaney_logS.csv"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(tmp.resolve("esol_delaney_logS.csv"), DataDirs.dataset("esol_delaney_logS", tmp));
        assertThrows(BadInputException.class, () -> DataDirs.dataset("no_such_thing.csv", tmp));
    }
}
