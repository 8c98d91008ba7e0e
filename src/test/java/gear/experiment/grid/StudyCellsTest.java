package gear.experiment.grid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.data.MoleculeDataset;
import gear.data.SplitType;
import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cells of the studies: label noise, the value split, ablation variants. */
class StudyCellsTest {
    static Grid grid;
    static MoleculeDataset cleanTarget;

    @BeforeAll
    static void data(@TempDir Path dir) throws IOException {
        PairSpec pair = GridFixture.demoPair(dir, null);
        Map<String, String> opts = Map.of("epochs", "3", "w-curv", "0.5");
        GridConfig cfg = new GridConfig(List.of(pair), List.of("stl", "gear", "gear-no-curv"), List.of(SplitType.RANDOM,
                SplitType.VALUE), 4, 4, List.of(0L, 1L), 0.2, opts, null, null, FakeCellRunner.class.getName(), 1, Isolation.THREAD,
                List.of(0.0, 0.1, 0.2), 2.0, true);
        grid = new Grid(cfg, dir.resolve("out"), new PrintStream(OutputStream.nullOutputStream()));
        cleanTarget = grid.table(pair.target());
    }

    static CellKey key(String method, SplitType s, int fold, long seed, double noise) {
        return new CellKey("demo", method, s, fold, seed, noise);
    }

    static Set<Integer> changedRows(Cell c) {
        return IntStream.range(0, cleanTarget.size()).filter(i -> c.target().target(i, 0) != cleanTarget.target(i, 0)).boxed()
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void noiseCorruptsTheStatedFractionOfTrainingLabelsOnly() {
        Cell clean = grid.cell(key("stl", SplitType.RANDOM, 1, 0, 0));
        assertNull(clean.noise());
        assertTrue(changedRows(clean).isEmpty());
        Cell c = grid.cell(key("stl", SplitType.RANDOM, 1, 0, 0.2));
        Set<Integer> changed = changedRows(c);
        Set<Integer> train = Arrays.stream(c.train()).boxed().collect(Collectors.toSet());
        assertEquals(Math.round(0.2 * c.train().length), changed.size(), "round(f · n_train) labels, n_train " + c.train().length);
        assertEquals(changed.size(), c.noise().corrupted());
        assertTrue(train.containsAll(changed), "only training rows");
        for (int i : c.val()) {
            assertEquals(cleanTarget.target(i, 0), c.target().target(i, 0), "validation row " + i);
        }
        for (int i : c.test()) {
            assertEquals(cleanTarget.target(i, 0), c.target().target(i, 0), "test row " + i);
        }
        // shift = ±2 population standard deviations of the clean training labels
        double[] y = Arrays.stream(c.train()).mapToDouble(i -> cleanTarget.target(i, 0)).toArray();
        double mu = Arrays.stream(y).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(y).map(v -> (v - mu) * (v - mu)).sum() / y.length);
        assertEquals(2 * sd, c.noise().shift(), 1e-9 * sd);
        int plus = 0;
        for (int i : changed) {
            double d = c.target().target(i, 0) - cleanTarget.target(i, 0);
            assertEquals(2 * sd, Math.abs(d), 1e-9 * sd);
            plus += d > 0 ? 1 : 0;
        }
        assertTrue(plus > 0 && plus < changed.size(), "both signs occur: " + plus + " of " + changed.size());
        // the source is the clean, purged source of the clean cell
        assertEquals(clean.source().size(), c.source().size());
        for (int i = 0; i < c.source().size(); i++) {
            assertEquals(clean.source().target(i, 0), c.source().target(i, 0));
            assertEquals(clean.source().smiles(i), c.source().smiles(i));
        }
        assertArrayEquals(clean.train(), c.train());
        assertArrayEquals(clean.val(), c.val());
        assertArrayEquals(clean.test(), c.test());
    }

    @Test
    void noiseIsSeededByTheCellAndSharedByItsMethods() {
        Cell stl = grid.cell(key("stl", SplitType.RANDOM, 0, 0, 0.2));
        Cell gear = grid.cell(key("gear", SplitType.RANDOM, 0, 0, 0.2));
        Cell again = grid.cell(key("stl", SplitType.RANDOM, 0, 0, 0.2));
        assertArrayEquals(stl.target().targetColumn(0), gear.target().targetColumn(0), "every method sees the same labels");
        assertArrayEquals(stl.target().targetColumn(0), again.target().targetColumn(0), "deterministic");
        Cell seed1 = grid.cell(key("stl", SplitType.RANDOM, 0, 1, 0.2));
        Cell fold1 = grid.cell(key("stl", SplitType.RANDOM, 1, 0, 0.2));
        assertNotEquals(changedRows(stl), changedRows(seed1), "another seed, other rows");
        assertNotEquals(changedRows(stl), changedRows(fold1), "another fold, other rows");
        Set<Integer> low = changedRows(grid.cell(key("stl", SplitType.RANDOM, 0, 0, 0.1)));
        assertEquals(Math.round(0.1 * stl.train().length), low.size());
        assertTrue(changedRows(stl).containsAll(low), "the rows of f = 0.1 are among those of f = 0.2");
    }

    @Test
    void valueSplitCellTestsOnTheTopFifthOfTargetValues() {
        for (long seed : new long[] {0, 1}) {
            Cell c = grid.cell(key("stl", SplitType.VALUE, 2, seed, 0));
            int n = cleanTarget.size();
            assertEquals(n - (int) Math.floor(0.8 * n), c.test().length);
            double minTest = Arrays.stream(c.test()).mapToDouble(i -> cleanTarget.target(i, 0)).min().orElseThrow();
            double maxRest = IntStream.concat(Arrays.stream(c.train()), Arrays.stream(c.val()))
                    .mapToDouble(i -> cleanTarget.target(i, 0)).max().orElseThrow();
            assertTrue(minTest >= maxRest, "test values " + minTest + " >= every train/val value " + maxRest);
            assertEquals(n, c.test().length + c.train().length + c.val().length);
            // the same test part for every fold and seed: it is the top of the values
            assertArrayEquals(grid.cell(key("gear", SplitType.VALUE, 0, 0, 0)).test(), c.test());
        }
    }

    @Test
    void ablationVariantsSetExactlyTheirWeightToZero() {
        TransferOptions base = TransferCellRunner.options("gear", grid.cell(key("gear", SplitType.RANDOM, 0, 0, 0)).options());
        assertEquals(0.5, base.wCurv(), "the grid's --set w-curv=0.5 reaches gear");
        double[] b = {base.wAuto(), base.wCons(), base.wMap(), base.wMetric(), base.wCurv()};
        List<String> order = Ablation.variants();
        assertEquals(List.of("gear-no-auto", "gear-no-cons", "gear-no-map", "gear-no-metric", "gear-no-curv"), order);
        for (int v = 0; v < order.size(); v++) {
            double[] e = b.clone();
            assertTrue(e[v] > 0, order.get(v) + ": the default weight is positive");
            e[v] = 0;
            TransferOptions expected = base.with(TransferSchema.W_AUTO, e[0]).with(TransferSchema.W_CONS, e[1])
                    .with(TransferSchema.W_MAP, e[2]).with(TransferSchema.W_METRIC, e[3]).with(TransferSchema.W_CURV, e[4]);
            Cell cell = grid.cell(key(order.get(v), SplitType.RANDOM, 0, 0, 0));
            assertEquals(expected, TransferCellRunner.options("gear", cell.options()), order.get(v) + ": every other option unchanged");
        }
        Cell noCurv = grid.cell(key("gear-no-curv", SplitType.RANDOM, 0, 0, 0));
        assertEquals(0.0, TransferCellRunner.options("gear", noCurv.options()).wCurv());
        assertEquals(Map.of("epochs", "3", "w_curv", "0"), noCurv.options());
        assertEquals("gear", Ablation.baseMethod("gear-no-curv"));
        assertEquals("stl", Ablation.baseMethod("stl"));
        assertTrue(noCurv.trainRmse());
    }
}
