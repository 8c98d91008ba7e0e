package gear.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.data.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDataTest {
    @TempDir
    static Path shared;
    private static DemoData.Result result;

    @BeforeAll
    static void generateOnce() throws IOException {
        result = DemoData.generate(shared.resolve("a"), 7);
    }

    private static List<String> lines(Path p) throws IOException {
        String text = Files.readString(p, StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), p + " has CR line ends");
        assertTrue(text.endsWith("\n"), p + " lacks a final newline");
        return List.of(text.split("\n"));
    }

    @Test
    void filesHeadersAndCounts() throws IOException {
        List<String> source = lines(result.source().path());
        List<String> target = lines(result.target().path());
        assertEquals("smiles,Tb_joback_K", source.get(0));
        assertEquals("smiles,Tc_joback_K", target.get(0));
        assertEquals(MoleculeEnumerator.enumerate().size(), source.size() - 1);
        assertEquals(result.source().rows(), source.size() - 1);
        assertEquals(DemoData.TARGET_SIZE, target.size() - 1);
        assertEquals(DemoData.TARGET_SIZE, result.target().rows());
        Set<String> sourceSmiles = new HashSet<>();
        for (String row : source.subList(1, source.size())) {
            assertTrue(sourceSmiles.add(row.split(",")[0]), "duplicate " + row);
        }
        for (String row : target.subList(1, target.size())) {
            assertTrue(sourceSmiles.contains(row.split(",")[0]), "target molecule not in source: " + row);
        }
        try (Stream<Path> files = Files.list(result.dir())) {
            assertEquals(Set.of("source_tb.csv", "target_tc.csv", "README.txt"),
                    files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
                    "temporary files left behind");
        }
    }

    /** Noisy value − Joback estimate: mean ≈ 0 (within 4 σ/√n) and standard deviation ≈ σ (within 10 %). */
    @Test
    void labelsAreJobackPlusTheDocumentedNoise() throws IOException {
        checkNoise(result.source().path(), true, DemoData.TB_NOISE_K);
        checkNoise(result.target().path(), false, DemoData.TC_NOISE_K);
        assertTrue(result.source().min() > 200 && result.source().max() < 1000, result.source().toString());
        assertTrue(result.target().min() > result.source().min(), result.target().toString());
    }

    private static void checkNoise(Path file, boolean tb, double sigma) throws IOException {
        List<String> rows = lines(file);
        double sum = 0;
        double sumSq = 0;
        int n = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            Joback.Assignment a = Joback.assign(f[0]);
            double exact = tb ? a.tb().orElseThrow() : a.tc().orElseThrow();
            double d = Double.parseDouble(f[1]) - exact;
            assertTrue(Math.abs(d) < 6 * sigma, row + " is " + d + " K from the estimate " + exact);
            sum += d;
            sumSq += d * d;
            n++;
        }
        double mean = sum / n;
        double sd = Math.sqrt(sumSq / n - mean * mean);
        assertEquals(0.0, mean, 4 * sigma / Math.sqrt(n), file + " noise mean");
        assertEquals(sigma, sd, 0.1 * sigma, file + " noise sd");
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherData(@TempDir Path dir) throws IOException {
        DemoData.Result again = DemoData.generate(dir.resolve("same"), 7);
        assertArrayEquals(Files.readAllBytes(result.source().path()), Files.readAllBytes(again.source().path()));
        assertArrayEquals(Files.readAllBytes(result.target().path()), Files.readAllBytes(again.target().path()));
        // regenerating into an existing directory replaces the files
        DemoData.Result other = DemoData.generate(dir.resolve("same"), 8);
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(result.source().path()),
                Files.readAllBytes(other.source().path())));
        assertEquals(result.source().rows(), other.source().rows());
    }

    @Test
    void readmeSaysEstimatesNotMeasurements() throws IOException {
        String text = Files.readString(result.readme());
        assertTrue(text.contains("ESTIMATES WITH ADDED NOISE, NOT MEASUREMENTS"), text);
        assertTrue(text.contains("Joback"), text);
        assertTrue(text.contains("sigma = 3.0 K") && text.contains("sigma = 5.0 K"), text);
    }

    @Test
    void outputPathThatIsAFileIsBadInput(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        BadInputException e = assertThrows(BadInputException.class, () -> DemoData.generate(file, 1));
        assertTrue(e.getMessage().contains("taken"), e.getMessage());
        BadInputException below = assertThrows(BadInputException.class, () -> DemoData.generate(file.resolve("sub"), 1));
        assertTrue(below.getMessage().contains("cannot create"), below.getMessage());
    }
}
