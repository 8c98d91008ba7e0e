package gear.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Invariants of the splitters on random sizes, seeds and group structures. */
class SplitPropertiesTest {

    private static Set<Integer> cover(Split s, int n) {
        s.validate(n);
        Set<Integer> all = new HashSet<>();
        for (int[] p : new int[][] {s.train(), s.val(), s.test()}) {
            for (int i : p) {
                assertTrue(all.add(i));
            }
        }
        return all;
    }

    @Property(tries = 200)
    void randomSplitIsAPartitionOfRequestedSize(@ForAll @IntRange(min = 1, max = 2000) int n,
            @ForAll @IntRange(min = 0, max = 10) int a, @ForAll @IntRange(min = 0, max = 10) int b,
            @ForAll @LongRange(min = -1000, max = 1000) long seed) {
        if (a + b > 10) {
            return;
        }
        SplitSizes sz = new SplitSizes(a / 10.0, b / 10.0, (10 - a - b) / 10.0);
        Split s = RandomSplit.split(n, sz, seed);
        assertEquals(n, cover(s, n).size());
        assertTrue(Math.abs(s.train().length - sz.train() * n) <= 1);
        assertTrue(Math.abs(s.val().length - sz.val() * n) <= 1 + 1e-9);
        assertTrue(Math.abs(s.test().length - sz.test() * n) <= 1 + 1e-9);
        assertEquals(s, RandomSplit.split(n, sz, seed));
    }

    @Property(tries = 200)
    void scaffoldSplitNeverCutsGroups(@ForAll @IntRange(min = 1, max = 300) int nGroups,
            @ForAll @LongRange(min = 0, max = 1_000_000) long structureSeed, @ForAll long seed) {
        java.util.Random r = new java.util.Random(structureSeed);
        List<int[]> groups = new ArrayList<>();
        int n = 0;
        int[] groupOf = new int[100_000];
        for (int g = 0; g < nGroups; g++) {
            int size = r.nextDouble() < 0.1 ? 1 + r.nextInt(40) : 1 + r.nextInt(3);
            int[] members = new int[size];
            for (int k = 0; k < size; k++) {
                groupOf[n] = g;
                members[k] = n++;
            }
            groups.add(members);
        }
        Split s = ScaffoldSplit.split(groups, n, SplitSizes.DEFAULT, seed);
        assertEquals(n, cover(s, n).size());
        int[] partOfGroup = new int[nGroups];
        java.util.Arrays.fill(partOfGroup, -1);
        int[][] parts = {s.train(), s.val(), s.test()};
        for (int p = 0; p < 3; p++) {
            for (int i : parts[p]) {
                int g = groupOf[i];
                assertTrue(partOfGroup[g] == -1 || partOfGroup[g] == p, "group " + g + " cut");
                partOfGroup[g] = p;
            }
        }
        assertTrue(s.train().length <= 0.8 * n + 1e-9);
        assertTrue(s.val().length <= 0.1 * n + 1e-9);
        assertEquals(s, ScaffoldSplit.split(groups, n, SplitSizes.DEFAULT, seed));
    }

    @Property(tries = 100)
    void kFoldValidationSetsPartitionTheNonTestPart(@ForAll @IntRange(min = 10, max = 500) int n,
            @ForAll @IntRange(min = 2, max = 8) int k, @ForAll long seed) {
        Split base = RandomSplit.split(n, SplitSizes.DEFAULT, seed);
        int m = base.train().length + base.val().length;
        if (k > m) {
            return;
        }
        Set<Integer> seen = new HashSet<>();
        for (Split f : KFold.folds(base, k, seed)) {
            cover(f, n);
            assertTrue(Math.abs(f.val().length - (double) m / k) < 1);
            for (int i : f.val()) {
                assertTrue(seen.add(i));
            }
        }
        assertEquals(m, seen.size());
    }

    @Property(tries = 100)
    void valueSplitTestHoldsTheHighestValues(@ForAll @IntRange(min = 5, max = 300) int n, @ForAll long seed,
            @ForAll @LongRange(min = 0, max = 1000) long dataSeed) {
        java.util.Random r = new java.util.Random(dataSeed);
        double[][] y = new double[n][1];
        for (int i = 0; i < n; i++) {
            y[i][0] = r.nextDouble() < 0.1 ? Double.NaN : r.nextInt(20); // many ties, some missing
        }
        int[] valued = java.util.stream.IntStream.range(0, n).filter(i -> !Double.isNaN(y[i][0])).toArray();
        Split s = ValueSplit.split(syntheticTargets(y), 0, SplitSizes.DEFAULT, seed);
        Set<Integer> all = cover(s, n);
        assertEquals(valued.length, all.size());
        assertEquals(valued.length - (int) Math.floor(0.9 * valued.length + 1e-9), s.test().length);
        double minTest = java.util.Arrays.stream(s.test()).mapToDouble(i -> y[i][0]).min().orElse(Double.POSITIVE_INFINITY);
        for (int[] p : new int[][] {s.train(), s.val()}) {
            for (int i : p) {
                assertTrue(y[i][0] <= minTest);
                if (y[i][0] == minTest) {
                    for (int t : s.test()) {
                        assertTrue(y[t][0] > minTest || t > i, "ties broken by row index");
                    }
                }
            }
        }
        assertEquals(s, ValueSplit.split(syntheticTargets(y), 0, SplitSizes.DEFAULT, seed));
    }

    /** A data set of n tiny molecules (the same SMILES is fine: splits never look at structure here). */
    private static MoleculeDataset syntheticTargets(double[][] y) {
        java.util.List<String> smi = new ArrayList<>();
        for (int i = 0; i < y.length; i++) {
            smi.add("C");
        }
        return MoleculeDataset.of("synthetic", smi, y, List.of("y"));
    }
}
