package gear.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data as real files hold it: sparse tables, repeated molecules, extreme values, chemprop split files. */
class RealDataTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void rowsWithoutAValueInTheColumnAreLeftOutAndCountedNotBad() throws IOException {
        Path p = write("sparse.csv", "smiles,a,b\nCCO,1,\nCCN,,2\nCCC,3,\nCCCl,,\nc1ccccc1,,5\n");
        CsvLoader.Result r = CsvLoader.of(p).targetColumns(List.of("a")).load(); // policy FAIL: no exception
        assertEquals(2, r.dataset().size());
        assertEquals(3, r.report().rowsWithoutValue());
        assertTrue(r.report().clean(), r.report().badRows().toString());
        assertTrue(r.report().summary().contains("3 without a value"), r.report().summary());
        assertTrue(r.dataset().rowWithoutValue(1) && !r.dataset().rowWithoutValue(0));
        CsvLoader.Result both = CsvLoader.of(p).load();
        assertEquals(4, both.dataset().size(), "a row is kept when any selected column has a value");
        assertEquals(1, both.report().rowsWithoutValue());
    }

    private static final String DUPS = "smiles,y\nCCO,1\nCCN,2\nOCC,3\nNCC,6\nCCO,5\nCCC,7\n";

    @Test
    void repeatedMoleculesAreKeptByDefaultWithAWarningListingThem() throws IOException {
        Path p = write("dups.csv", DUPS);
        CsvLoader.Result keep = CsvLoader.of(p).load();
        assertEquals(6, keep.dataset().size());
        String w = keep.report().warnings().get(0);
        assertTrue(w.contains("2 molecules appear on more than one row (3 repeated rows)") && w.contains("lines 2, 4, 6")
                && w.contains("lines 3, 5"), w);

        MoleculeDataset first = CsvLoader.of(p).duplicates(DuplicatePolicy.FIRST).load().dataset();
        assertArrayEquals(new int[] {0, 1, 5}, first.rowIndices());
        assertEquals(1.0, first.target(0, 0));

        MoleculeDataset mean = CsvLoader.of(p).duplicates(DuplicatePolicy.MEAN).load().dataset();
        assertArrayEquals(new int[] {0, 1, 5}, mean.rowIndices());
        assertEquals(3.0, mean.target(0, 0), 1e-12); // (1 + 3 + 5) / 3
        assertEquals(4.0, mean.target(1, 0), 1e-12); // (2 + 6) / 2
        assertEquals(7.0, mean.target(2, 0), 1e-12);

        BadInputException e = assertThrows(BadInputException.class,
                () -> CsvLoader.of(p).duplicates(DuplicatePolicy.FAIL).load());
        assertTrue(e.getMessage().startsWith(p.toString()) && e.getMessage().contains("lines 2, 4, 6"), e.getMessage());
        assertEquals(DuplicatePolicy.MEAN, DuplicatePolicy.parse("Mean"));
        assertThrows(IllegalArgumentException.class, () -> DuplicatePolicy.parse("drop"));
    }

    @Test
    void extremeMagnitudesAndConstantTargetsWarn() throws IOException {
        Path p = write("odd.csv", "smiles,big,flat,ok\nCCO,1e30,2,1\nCCN,3,2,2\nCCC,-2e16,2,3\n");
        List<String> w = CsvLoader.of(p).load().report().warnings();
        assertEquals(2, w.size(), w.toString());
        assertTrue(w.get(0).contains("'big' has 2 values beyond ±1e15") && w.get(0).contains("line 2"), w.get(0));
        assertTrue(w.get(1).contains("'flat' is constant (all 3 values are 2.0)"), w.get(1));
    }

    @Test
    void randomSplitKeepsRepeatedMoleculesTogetherAndIsUnchangedWithoutThem() throws IOException {
        StringBuilder sb = new StringBuilder("smiles,y\n");
        for (int i = 0; i < 60; i++) {
            sb.append("C".repeat(1 + i % 20)).append(",").append(i).append('\n'); // 20 molecules, 3 rows each
        }
        MoleculeDataset ds = CsvLoader.of(write("rep.csv", sb.toString())).load().dataset();
        for (long seed = 0; seed < 5; seed++) {
            Split s = RandomSplit.split(ds, SplitSizes.DEFAULT, seed).validate(60);
            Map<String, String> partOf = new HashMap<>();
            String[] names = {"train", "val", "test"};
            int[][] parts = {s.train(), s.val(), s.test()};
            for (int p = 0; p < 3; p++) {
                for (int i : parts[p]) {
                    String prev = partOf.put(ds.canonicalSmiles(i), names[p]);
                    assertTrue(prev == null || prev.equals(names[p]), ds.smiles(i) + " in " + prev + " and " + names[p]);
                }
            }
            assertEquals(60, s.size());
            assertTrue(s.train().length >= 48 && s.train().length <= 51, s.toString());
        }
        MoleculeDataset unique = CsvLoader.of(write("u.csv", "smiles,y\nC,1\nCC,2\nCCC,3\nCCCC,4\nCCCCC,5\nCO,6\nCN,7\n"
                + "CCl,8\nCBr,9\nCF,10\n")).load().dataset();
        assertEquals(RandomSplit.split(10, SplitSizes.DEFAULT, 3), RandomSplit.split(unique, SplitSizes.DEFAULT, 3),
                "without repeated molecules the split is chemprop's");
    }

    @Test
    void randomFoldsKeepRepeatedMoleculesTogetherAndAreUnchangedWithoutThem() throws IOException {
        StringBuilder sb = new StringBuilder("smiles,y\n");
        for (int i = 0; i < 60; i++) {
            sb.append("C".repeat(1 + i % 20)).append(",").append(i).append('\n');
        }
        MoleculeDataset ds = CsvLoader.of(write("rep.csv", sb.toString())).load().dataset();
        Split base = new Split(java.util.stream.IntStream.range(0, 50).toArray(), new int[0],
                java.util.stream.IntStream.range(50, 60).toArray());
        List<Split> folds = SplitType.RANDOM.folds(ds, base, 4, 7);
        for (Split f : folds) {
            f.validate(60);
            java.util.Set<String> val = new java.util.HashSet<>();
            for (int i : f.val()) {
                val.add(ds.canonicalSmiles(i));
            }
            for (int i : f.train()) {
                assertTrue(!val.contains(ds.canonicalSmiles(i)), ds.smiles(i) + " in train and validation");
            }
        }
        MoleculeDataset unique = CsvLoader.of(write("u2.csv", "smiles,y\nC,1\nCC,2\nCCC,3\nCCCC,4\nCCCCC,5\nCO,6\nCN,7\n"
                + "CCl,8\nCBr,9\nCF,10\n")).load().dataset();
        Split b = new Split(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, new int[0], new int[] {8, 9});
        assertEquals(KFold.folds(b, 3, 5), SplitType.RANDOM.folds(unique, b, 3, 5));
    }

    @Test
    void chempropSplitFilesAreReadAsTheyAre() throws IOException {
        Path csv = write("d.csv", "smiles,y\nC,1\nCC,2\nCCC,3\nCCCC,\nCO,5\nCN,6\nCCl,7\n");
        MoleculeDataset ds = CsvLoader.of(csv).load().dataset(); // row 3 has no value
        Path list = write("list.json", "[{\"train\":[0,1,2,3],\"val\":[4],\"test\":[5,6]},{\"train\":[6],\"val\":[],\"test\":[]}]");
        Split s = SplitsFile.read(list, ds);
        assertArrayEquals(new int[] {0, 1, 2}, s.train(), "row 3 (no value) dropped, positions of rows 0..2");
        assertArrayEquals(new int[] {3}, s.val());
        assertArrayEquals(new int[] {4, 5}, s.test());
        assertTrue(s.notes().toString().contains("holds 2 splits") && s.notes().toString().contains("without a value"),
                s.notes().toString());
        Path strings = write("strings.json", "[{\"train\":\"0-2,3\",\"val\":\"4\",\"test\":\"5-6\"}]");
        assertEquals(s.train().length, SplitsFile.read(strings, ds).train().length);
        assertArrayEquals(new int[] {4, 5}, SplitsFile.read(strings, ds).test());
        Path bad = write("bad.json", "[{\"train\":\"0-x\",\"val\":\"4\",\"test\":\"5\"}]");
        BadInputException e = assertThrows(BadInputException.class, () -> SplitsFile.read(bad, ds));
        assertTrue(e.getMessage().contains("'0-x'") && e.getMessage().contains(bad.toString()), e.getMessage());
        Path range = write("range.json", "{\"train\":\"0-9\",\"val\":\"\",\"test\":\"\"}");
        e = assertThrows(BadInputException.class, () -> SplitsFile.read(range, ds));
        assertTrue(e.getMessage().contains("out of range"), e.getMessage());
    }

    @Test
    void tooFewTrainingMoleculesOrNoValidationSetIsRefusedNamingTheFile() throws IOException {
        Path p = write("tiny.csv", "smiles,y\nCCO,1\nCCN,2\nCCC,3\nCCCC,4\n");
        MoleculeDataset ds = CsvLoader.of(p).load().dataset();
        BadInputException e = assertThrows(BadInputException.class,
                () -> new Split(new int[] {0, 1}, new int[] {2}, new int[] {3}).requireTrainable(ds));
        assertTrue(e.getMessage().startsWith(p.toString()) && e.getMessage().contains("2 training molecules"), e.getMessage());
        e = assertThrows(BadInputException.class,
                () -> new Split(new int[] {0, 1, 2}, new int[0], new int[] {3}).requireTrainable(ds));
        assertTrue(e.getMessage().contains("validation set is empty"), e.getMessage());
        new Split(new int[] {0, 1, 2}, new int[] {3}, new int[0]).requireTrainable(ds);
    }
}
