package gear.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    @Test
    void loadsGoodFileWithMissingValuesAndCrLf() throws IOException {
        Path p = write("ok.csv", "smiles,a,b\r\nCCO,1.5,\r\nc1ccccc1,,-2e-1\r\n\r\nCCN,3,4\r\n");
        CsvLoader.Result r = CsvLoader.of(p).load();
        MoleculeDataset d = r.dataset();
        assertEquals(3, d.size());
        assertEquals(List.of("a", "b"), d.targetNames());
        assertEquals(1.5, d.target(0, 0));
        assertTrue(Double.isNaN(d.target(0, 1)));
        assertEquals(-0.2, d.target(1, 1), 1e-15);
        assertArrayEquals(new int[] {0, 1, 2}, d.rowIndices());
        assertEquals(5, d.line(2), "blank line 4 skipped, CCN is on line 5");
        assertTrue(r.report().clean());
        assertEquals(64, d.sourceSha256().length());
    }

    @Test
    void explicitColumnsAndTextColumnsLeftOut() throws IOException {
        Path p = write("t.csv", "name,y,smiles,z\nethanol,1,CCO,5\nbenzene,2,c1ccccc1,6\n");
        CsvLoader.Result r = CsvLoader.of(p).smilesColumn("smiles").load();
        assertEquals(List.of("y", "z"), r.dataset().targetNames());
        assertTrue(r.report().notes().get(0).contains("name"), r.report().notes().toString());
        MoleculeDataset d = CsvLoader.of(p).smilesColumn("smiles").targetColumns(List.of("z")).load().dataset();
        assertEquals(List.of("z"), d.targetNames());
        assertEquals(6.0, d.target(1, 0));
        assertEquals("c1ccccc1", d.smiles(1));
    }

    @Test
    void everyBadRowReportedWithLineAndReason() throws IOException {
        String csv = String.join("\n",
                "smiles,y,w", // line 1
                "CCO,1,2", // 2 ok, row 0
                "C1CC,2,3", // 3 unparsable, row 1
                "CCC,abc,1", // 4 non-numeric, row 2
                "CCCC,NaN,1", // 5 non-finite, row 3
                "CCN,1", // 6 wrong column count, row 4
                "OCC,4,5", // 7 duplicate of line 2 (row 5)
                "CCCl,,", // 8 all missing, row 6
                "CCBr,inf,", // 9 non-finite, row 7
                "c1ccccc1,7,8") + "\n"; // 10 ok, row 8
        Path p = write("bad.csv", csv);
        CsvLoader.Result r = CsvLoader.of(p).policy(InvalidPolicy.SKIP).load();
        List<BadRow> bad = r.report().badRows();
        // the repeated molecule (line 7) is kept with a warning, the row without values (line 8) is left out, not bad
        assertEquals(List.of(3L, 4L, 5L, 6L, 9L), bad.stream().map(BadRow::line).toList());
        assertEquals(List.of(1, 2, 3, 4, 7), bad.stream().map(BadRow::dataRow).toList());
        assertTrue(bad.get(0).reason().contains("unparsable SMILES 'C1CC'"), bad.get(0).reason());
        assertTrue(bad.get(1).reason().contains("non-numeric target 'y' = 'abc'"), bad.get(1).reason());
        assertTrue(bad.get(2).reason().contains("non-finite target 'y' = 'NaN'"), bad.get(2).reason());
        assertTrue(bad.get(3).reason().contains("wrong column count: 2 cells, header has 3"), bad.get(3).reason());
        assertTrue(bad.get(4).reason().contains("non-finite target 'y' = 'inf'"), bad.get(4).reason());
        assertTrue(bad.get(0).toString().startsWith(p + ": line 3 "), bad.get(0).toString());
        assertEquals(1, r.report().rowsWithoutValue());
        assertTrue(r.report().warnings().get(0).contains("'OCC' on lines 2, 7"), r.report().warnings().toString());
        MoleculeDataset d = r.dataset();
        assertEquals(3, d.size());
        assertArrayEquals(new int[] {0, 5, 8}, d.rowIndices());
        assertEquals(9, r.report().rowsRead());

        BadInputException e = assertThrows(BadInputException.class, () -> CsvLoader.of(p).load());
        assertTrue(e.getMessage().contains("5 bad rows of 9"), e.getMessage());
        assertTrue(e.getMessage().contains("line 9"), e.getMessage());
    }

    @Test
    void failMessageIsCapped() throws IOException {
        StringBuilder sb = new StringBuilder("smiles,y\n");
        for (int i = 0; i < 30; i++) {
            sb.append("C1CC").append(",1\n");
        }
        Path p = write("many.csv", sb.toString());
        BadInputException e = assertThrows(BadInputException.class, () -> CsvLoader.of(p).load());
        assertTrue(e.getMessage().contains("... and 10 more bad rows"), e.getMessage());
    }

    @Test
    void quotedMultilineCellKeepsLineNumbers() throws IOException {
        Path p = write("q.csv", "smiles,name,y\nCCO,\"two\nlines\",1\nC1CC,x,2\n");
        CsvLoader.Result r = CsvLoader.of(p).targetColumns(List.of("y")).policy(InvalidPolicy.SKIP).load();
        assertEquals(4L, r.report().badRows().get(0).line());
        assertEquals(1, r.report().badRows().get(0).dataRow());
    }

    @Test
    void fileLevelErrors() throws IOException {
        Path empty = write("empty.csv", "");
        assertTrue(assertThrows(BadInputException.class, () -> CsvLoader.load(empty)).getMessage().contains("empty file"));
        Path header = write("header.csv", "smiles,y\n");
        assertTrue(assertThrows(BadInputException.class, () -> CsvLoader.load(header)).getMessage().contains("header only"));
        Path ok = write("ok.csv", "smiles,y\nCCO,1\n");
        BadInputException e = assertThrows(BadInputException.class,
                () -> CsvLoader.of(ok).targetColumns(List.of("logS")).load());
        assertTrue(e.getMessage().contains("no target column 'logS'") && e.getMessage().contains("available columns: smiles, y"),
                e.getMessage());
        e = assertThrows(BadInputException.class, () -> CsvLoader.of(ok).smilesColumn("SMILES").load());
        assertTrue(e.getMessage().contains("no SMILES column 'SMILES'"), e.getMessage());
        assertThrows(BadInputException.class, () -> CsvLoader.load(dir.resolve("absent.csv")));
        Path dup = write("dup.csv", "smiles,y,y\nCCO,1,2\n");
        assertTrue(assertThrows(BadInputException.class, () -> CsvLoader.load(dup)).getMessage().contains("duplicate column"));
    }

    @Test
    void loadsEsolWithNameColumnLeftOut() {
        Path p = TestData.data("esol_delaney_logS.csv");
        CsvLoader.Result r = CsvLoader.of(p).targetColumns(List.of("logS_exp_molL")).policy(InvalidPolicy.SKIP).load();
        assertEquals(1128, r.report().rowsRead());
        assertEquals(r.report().rowsRead(), r.dataset().size() + r.report().badRows().size());
        for (BadRow b : r.report().badRows()) {
            assertTrue(b.reason().startsWith("duplicate molecule"), b.toString());
        }
    }

    @Test
    void featurizeWhileLoadingFillsTheGraphCache() throws IOException {
        Path p = write("f.csv", "smiles,y\nCCO,1\nc1ccccc1,2\n");
        MoleculeDataset d = CsvLoader.of(p).featurize(true).load().dataset();
        assertTrue(d.hasGraph(0) && d.hasGraph(1));
        assertEquals(6, d.graph(1).nAtoms());
        assertTrue(!CsvLoader.load(p).hasGraph(0), "lazy by default");
    }

    @Test
    void smilesCacheGivesTheSameResultAndSurvivesCorruption() throws IOException {
        Path p = write("c.csv", "smiles,y\nCCO,1\nC1CC,2\nOCC,3\nc1ccccc1,4\nCCN\n");
        Path cache = dir.resolve("cache");
        CsvLoader.Result plain = CsvLoader.of(p).policy(InvalidPolicy.SKIP).load();
        CsvLoader.Result first = CsvLoader.of(p).policy(InvalidPolicy.SKIP).cacheDir(cache).load();
        CsvLoader.Result second = CsvLoader.of(p).policy(InvalidPolicy.SKIP).cacheDir(cache).load();
        for (CsvLoader.Result r : List.of(first, second)) {
            assertEquals(plain.report().badRows(), r.report().badRows());
            assertEquals(plain.dataset().canonicalSmiles(), r.dataset().canonicalSmiles());
            assertArrayEquals(plain.dataset().rowIndices(), r.dataset().rowIndices());
        }
        Path f;
        try (var s = Files.list(cache)) {
            f = s.filter(x -> x.toString().endsWith(".gcanon")).findFirst().orElseThrow();
        }
        String[] canon = new String[5];
        String[] errs = new String[5];
        CanonicalCache.read(f, canon, errs);
        assertEquals(plain.dataset().canonicalSmiles(0), canon[0]);
        assertTrue(errs[1].contains("C1CC") && canon[4] == null && errs[4] == null, errs[1]);
        canon[0] = "MARKER";
        CanonicalCache.write(f, canon, errs);
        assertEquals("MARKER", CsvLoader.of(p).policy(InvalidPolicy.SKIP).cacheDir(cache).load().dataset().canonicalSmiles(0),
                "the second load reads the cache instead of re-parsing");
        byte[] b = Files.readAllBytes(f);
        b[b.length / 2] ^= 0x21;
        Files.write(f, b);
        CsvLoader.Result third = CsvLoader.of(p).policy(InvalidPolicy.SKIP).cacheDir(cache).load();
        assertEquals(plain.report().badRows(), third.report().badRows());
        assertTrue(third.report().notes().stream().anyMatch(n -> n.contains("rebuilding")), third.report().notes().toString());
        assertTrue(CsvLoader.of(p).policy(InvalidPolicy.SKIP).cacheDir(cache).load().report().notes().isEmpty());
    }
}
