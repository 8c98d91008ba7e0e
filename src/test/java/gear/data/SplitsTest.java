package gear.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.TestData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SplitsTest {
    static MoleculeDataset esol;

    @BeforeAll
    static void load() {
        esol = CsvLoader.of(TestData.data("esol_delaney_logS.csv")).targetColumns(List.of("logS_exp_molL"))
                .policy(InvalidPolicy.SKIP).load().dataset();
    }

    /** Every position once at most; returns the set of covered positions. */
    static Set<Integer> assertDisjoint(Split s, int n) {
        s.validate(n);
        Set<Integer> all = new HashSet<>();
        for (int[] p : new int[][] {s.train(), s.val(), s.test()}) {
            for (int i : p) {
                assertTrue(all.add(i), "position " + i + " twice");
            }
        }
        return all;
    }

    @Test
    void randomSizesDeterminismAndCoverage() {
        Split a = RandomSplit.split(1000, SplitSizes.DEFAULT, 7);
        assertEquals(800, a.train().length);
        assertEquals(100, a.val().length);
        assertEquals(100, a.test().length);
        assertEquals(1000, assertDisjoint(a, 1000).size());
        assertEquals(a, RandomSplit.split(1000, SplitSizes.DEFAULT, 7));
        assertNotEquals(a, RandomSplit.split(1000, SplitSizes.DEFAULT, 8));
    }

    @Test
    void randomMatchesCollectionsShuffle() {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            l.add(i);
        }
        java.util.Collections.shuffle(l, new java.util.Random(3));
        Split s = RandomSplit.split(50, new SplitSizes(0.8, 0.1, 0.1), 3);
        assertEquals(l.subList(0, 40), Arrays.stream(s.train()).boxed().toList());
        assertEquals(l.subList(45, 50), Arrays.stream(s.test()).boxed().toList());
    }

    @Test
    void scaffoldSplitOnEsolKeepsGroupsWholeAndIsDeterministic() {
        String[] scaf = ScaffoldSplit.scaffolds(esol);
        Split s = ScaffoldSplit.split(esol, SplitSizes.DEFAULT, 0);
        assertEquals(esol.size(), assertDisjoint(s, esol.size()).size());
        assertEquals(s, ScaffoldSplit.split(esol, SplitSizes.DEFAULT, 0));
        assertNotEquals(s, ScaffoldSplit.split(esol, SplitSizes.DEFAULT, 1));
        Map<String, String> partOf = new HashMap<>();
        String[] names = {"train", "val", "test"};
        int[][] parts = {s.train(), s.val(), s.test()};
        for (int p = 0; p < 3; p++) {
            for (int i : parts[p]) {
                String prev = partOf.put(scaf[i], names[p]);
                assertTrue(prev == null || prev.equals(names[p]), "scaffold " + scaf[i] + " cut: " + prev + "/" + names[p]);
            }
        }
        int n = esol.size();
        assertTrue(s.train().length <= 0.8 * n, "train within its size");
        assertTrue(s.val().length <= 0.1 * n);
        assertTrue(Math.abs(s.test().length - 0.1 * n) < 0.05 * n, "test roughly 10%: " + s);
    }

    @Test
    void scaffoldBalancedAlgorithmOnHandMadeGroups() {
        // 20 molecules: groups of sizes 8 (big: > val/2 = 1), 1, 1, ...; train size 16, val 2, test 2.
        List<int[]> groups = new ArrayList<>();
        groups.add(new int[] {0, 1, 2, 3, 4, 5, 6, 7});
        for (int i = 8; i < 20; i++) {
            groups.add(new int[] {i});
        }
        Split s = ScaffoldSplit.split(groups, 20, SplitSizes.DEFAULT, 42);
        assertEquals(16, s.train().length);
        assertEquals(2, s.val().length);
        assertEquals(2, s.test().length);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, Arrays.copyOf(s.train(), 8), "the big group goes first, to train");
    }

    @Test
    void valueSplitPutsHighestValuesInTest() {
        double[][] t = new double[20][1];
        List<String> smi = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            smi.add("C".repeat(i + 1));
            t[i][0] = (i * 7) % 20; // a permutation of 0..19
        }
        t[3][0] = Double.NaN;
        MoleculeDataset ds = MoleculeDataset.of("alkanes", smi, t, List.of("y"));
        Split s = ValueSplit.split(ds, 0, new SplitSizes(0.7, 0.1, 0.2), 5);
        assertDisjoint(s, 20);
        assertEquals(19, s.size());
        assertEquals(4, s.test().length); // floor(0.8 * 19) = 15 low
        assertEquals(2, s.val().length); // round(0.125 * 15)
        double minTest = Arrays.stream(s.test()).mapToDouble(i -> ds.target(i, 0)).min().orElseThrow();
        for (int[] p : new int[][] {s.train(), s.val()}) {
            for (int i : p) {
                assertTrue(ds.target(i, 0) < minTest);
            }
        }
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("1 molecules without a value")), s.notes().toString());
        assertEquals(s, ValueSplit.split(ds, 0, new SplitSizes(0.7, 0.1, 0.2), 5));
    }

    @Test
    void kFoldPartitionsNonTestPart() {
        Split base = RandomSplit.split(103, SplitSizes.DEFAULT, 1);
        List<Split> folds = KFold.folds(base, 5, 9);
        assertEquals(5, folds.size());
        Set<Integer> vals = new HashSet<>();
        for (Split f : folds) {
            assertDisjoint(f, 103);
            assertArrayEquals(base.test(), f.test());
            assertEquals(base.train().length + base.val().length, f.train().length + f.val().length);
            assertTrue(f.val().length == 18 || f.val().length == 19, "fold size " + f.val().length);
            for (int i : f.val()) {
                assertTrue(vals.add(i));
            }
        }
        assertEquals(base.train().length + base.val().length, vals.size());
        assertThrows(IllegalArgumentException.class, () -> KFold.folds(base, 1, 0));
    }

    @Test
    void scaffoldFoldsKeepGroupsWhole() {
        Split base = ScaffoldSplit.split(esol, SplitSizes.DEFAULT, 0);
        String[] scaf = ScaffoldSplit.scaffolds(esol);
        List<Split> folds = SplitType.SCAFFOLD.folds(esol, base, 3, 4);
        Map<String, Integer> foldOf = new HashMap<>();
        for (int f = 0; f < 3; f++) {
            assertDisjoint(folds.get(f), esol.size());
            for (int i : folds.get(f).val()) {
                Integer prev = foldOf.put(scaf[i], f);
                assertTrue(prev == null || prev == f, "scaffold " + scaf[i] + " in folds " + prev + " and " + f);
            }
        }
    }

    @Test
    void splitSizesValidated() {
        assertThrows(IllegalArgumentException.class, () -> new SplitSizes(0.8, 0.1, 0.2));
        assertThrows(IllegalArgumentException.class, () -> SplitSizes.of(List.of(0.5, 0.5)));
        assertThrows(IllegalArgumentException.class, () -> SplitType.parse("cluster"));
        assertEquals(SplitType.SCAFFOLD, SplitType.parse("scaffold_balanced"));
    }
}
