package gear.experiment.grid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.data.MoleculeDataset;
import gear.data.ScaffoldSplit;
import gear.data.Split;
import gear.data.SplitType;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProtocolTest {
    static Grid grid;
    static PairSpec pair;
    static MoleculeDataset target;
    static MoleculeDataset source;

    @BeforeAll
    static void data(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        pair = GridFixture.demoPair(dir, null);
        grid = new Grid(GridFixture.config(pair, List.of("stl"), List.of(SplitType.RANDOM), 4, List.of(0L), 1, Isolation.THREAD),
                dir.resolve("out"), new PrintStream(OutputStream.nullOutputStream()));
        target = grid.table(pair.target());
        source = grid.table(pair.source());
    }

    private static Set<Integer> set(int[] a) {
        Set<Integer> s = new HashSet<>();
        for (int i : a) {
            s.add(i);
        }
        return s;
    }

    @ParameterizedTest
    @EnumSource(SplitType.class)
    void testHeldOutFoldsPartitionThePoolAndSourceIsPurged(SplitType type) {
        Protocol.Resolved r = Protocol.resolve(target, source, type, 5, 4, 0.2, null);
        int n = target.size();
        // the test part is about 20% (scaffold groups make it approximate) and disjoint from the pool
        assertEquals(n, r.test().length + r.pool().length, "test + non-test covers the target");
        assertTrue(Math.abs(r.test().length - 0.2 * n) <= 0.05 * n, "test size " + r.test().length + " of " + n);
        Set<Integer> test = set(r.test());
        assertTrue(Arrays.stream(r.pool()).noneMatch(test::contains));
        // folds: validation parts are disjoint and cover the pool; train = pool minus validation; test unchanged
        assertEquals(4, r.folds().size());
        Set<Integer> seen = new HashSet<>();
        for (Split f : r.folds()) {
            assertArrayEquals(r.test(), f.test());
            for (int i : f.val()) {
                assertTrue(seen.add(i), "position " + i + " in two validation folds");
            }
            Set<Integer> tv = set(f.train());
            tv.addAll(set(f.val()));
            assertEquals(set(r.pool()), tv);
            assertEquals(r.pool().length, f.train().length + f.val().length);
            assertTrue(f.val().length > 0 && f.train().length > 0);
        }
        assertEquals(set(r.pool()), seen);
        // no target-test molecule in the purged source; nothing else removed
        Set<String> testCanon = new HashSet<>();
        for (int i : r.test()) {
            testCanon.add(target.canonicalSmiles(i));
        }
        MoleculeDataset purged = source.subset(r.sourceKeep());
        for (int i = 0; i < purged.size(); i++) {
            assertFalse(testCanon.contains(purged.canonicalSmiles(i)), purged.smiles(i));
        }
        long inTest = IntStream.range(0, source.size()).filter(i -> testCanon.contains(source.canonicalSmiles(i))).count();
        assertTrue(inTest > 0, "the demo target is a subset of the source, so the purge must remove something");
        assertEquals(source.size() - inTest, purged.size());
        if (type == SplitType.VALUE) {
            double maxPool = Arrays.stream(r.pool()).mapToDouble(i -> target.target(i, 0)).max().orElseThrow();
            assertTrue(Arrays.stream(r.test()).allMatch(i -> target.target(i, 0) >= maxPool), "value test = top values");
        }
        if (type == SplitType.SCAFFOLD) {
            String[] sc = ScaffoldSplit.scaffolds(target);
            Set<String> testSc = new HashSet<>();
            for (int i : r.test()) {
                testSc.add(sc[i]);
            }
            for (int i : r.pool()) {
                assertFalse(testSc.contains(sc[i]), "scaffold of " + target.smiles(i) + " in both test and pool");
            }
            for (Split f : r.folds()) {
                Set<String> valSc = new HashSet<>();
                for (int i : f.val()) {
                    valSc.add(sc[i]);
                }
                for (int i : f.train()) {
                    assertFalse(valSc.contains(sc[i]), "scaffold group cut between train and validation");
                }
            }
        }
    }

    @Test
    void deterministicPerSeedAndDifferentAcrossSeeds() {
        Protocol.Resolved a = Protocol.resolve(target, source, SplitType.RANDOM, 1, 4, 0.2, null);
        Protocol.Resolved b = Protocol.resolve(target, source, SplitType.RANDOM, 1, 4, 0.2, null);
        Protocol.Resolved c = Protocol.resolve(target, source, SplitType.RANDOM, 2, 4, 0.2, null);
        assertArrayEquals(a.test(), b.test());
        assertEquals(a.folds(), b.folds());
        assertFalse(Arrays.equals(a.test(), c.test()));
    }

    @Test
    void subsampleHasTheSizeComesFromTheNonTestPartAndIsSeeded() {
        Protocol.Resolved full = Protocol.resolve(target, source, SplitType.RANDOM, 3, 4, 0.2, null);
        Protocol.Resolved s1 = Protocol.resolve(target, source, SplitType.RANDOM, 3, 4, 0.2, 100);
        Protocol.Resolved s1again = Protocol.resolve(target, source, SplitType.RANDOM, 3, 4, 0.2, 100);
        Protocol.Resolved s2 = Protocol.resolve(target, source, SplitType.RANDOM, 4, 4, 0.2, 100);
        assertEquals(100, s1.pool().length);
        assertEquals(full.pool().length, s1.nonTest());
        assertArrayEquals(full.test(), s1.test(), "the subsample does not touch the test set");
        assertTrue(set(full.pool()).containsAll(set(s1.pool())));
        assertArrayEquals(s1.pool(), s1again.pool());
        assertEquals(s1.folds(), s1again.folds());
        assertNotEquals(set(s1.pool()), set(s2.pool()));
        int sum = s1.folds().stream().mapToInt(f -> f.val().length).sum();
        assertEquals(100, sum);
        // a subsample at least as large as the non-test part keeps it whole
        assertArrayEquals(full.pool(), Protocol.resolve(target, source, SplitType.RANDOM, 3, 4, 0.2, 100000).pool());
    }

    @Test
    void cellCarriesTheResolvedProtocol() {
        Cell c = grid.cell(new CellKey("demo", "stl", SplitType.RANDOM, 2, 0));
        Protocol.Resolved r = Protocol.resolve(target, source, SplitType.RANDOM, 0, 4, 0.2, null);
        assertArrayEquals(r.folds().get(2).train(), c.train());
        assertArrayEquals(r.folds().get(2).val(), c.val());
        assertArrayEquals(r.test(), c.test());
        assertEquals(r.sourceKeep().length, c.source().size());
        assertEquals(List.of(pair.target().column()), c.target().targetNames());
        assertEquals("3", c.options().get("epochs"));
    }
}
