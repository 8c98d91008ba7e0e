package gear.experiment.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.BadInputException;
import gear.data.SplitType;
import gear.data.SplitsFile;
import gear.experiment.stats.Bootstrap;
import gear.train.Regression;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task sets' comparison ({@link TaskSets}) on the toy grids of {@link TaskSetToyGrid}: grid A (task set ks and pair
 * p2) with the pair p1 from grid B ({@code --pairs-from}), whose seed-3 cell is missing.
 *
 * <p>Chosen on validation, the best single source is p1 at seeds 0 and 1 and p2 at seed 2 (seed 3 left out: p1's cell is
 * missing): test RMSE 12, 13, 11 against k-task GEAR's 10, 11, 12, a change of (36 − 33)/36 = +1/12. Chosen on test it
 * would be p2 at every seed (9, 10, 11: (30 − 33)/30 = −10 %), so a choice on test fails the test.
 */
class TaskSetComparisonsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The finished rows of a grid, in grid order. */
    static List<ResultRow> rows(Grid g) throws Exception {
        List<ResultRow> out = new ArrayList<>();
        for (CellKey k : g.config().cells()) {
            ResultRow r = ResultsFiles.readCell(g.cellDir(k));
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    /** Grid B (p1, its seed-3 cell removed) and grid A (ks, p2) reading B; returns A. */
    static Grid grids(Path dir) throws Exception {
        TaskSetToyGrid.files(dir);
        Grid b = TaskSetToyGrid.run(dir.resolve("b.json"), List.of("gear"), dir.resolve("B"), List.of());
        Files.delete(b.dir().resolve("cells/p1.gear.random.f0.s3/result.json"));
        return TaskSetToyGrid.run(dir.resolve("a.json"), List.of("gear", "mtl", "stl"), dir.resolve("A"), List.of(dir.resolve("B")));
    }

    static Comparisons.Comparison get(TaskSets.Result r, String versus) {
        return r.comparisons().stream().filter(c -> c.versus().equals(versus)).findFirst().orElseThrow();
    }

    @Test
    void bestSingleSourceIsChosenOnValidationPerUnitAndTheStatisticsAreCommonsMaths(@TempDir Path dir) throws Exception {
        Grid a = grids(dir);
        Bootstrap boot = new Bootstrap(2000, 7);
        TaskSets.Result res = TaskSets.compute(rows(a), a.taskSetInput(), boot, Regression.INSTANCE);
        assertNull(res.refusal());
        String s1 = dir.resolve("s1.csv") + " (a)";
        String s2 = dir.resolve("s2.csv") + " (b)";
        // the choice per unit, on validation
        assertEquals(List.of(s1, s1, s2), res.choices().stream().map(TaskSets.Choice::source).toList());
        assertEquals(List.of(0L, 1L, 2L), res.choices().stream().map(TaskSets.Choice::seed).toList());
        assertEquals(List.of(dir.resolve("B").toString(), dir.resolve("B").toString(), TaskSets.THIS_GRID),
                res.choices().stream().map(TaskSets.Choice::origin).toList());
        // what shows why: k-task GEAR's own validation score and every source's, in the set's order of sources
        assertEquals(List.of(1.0, 1.0, 1.0), res.choices().stream().map(TaskSets.Choice::gearValRmse).toList());
        assertEquals(List.of(s1, s2), List.copyOf(res.choices().get(2).sourceValRmse().keySet()));
        assertEquals(List.of(3.0, 0.5), List.copyOf(res.choices().get(2).sourceValRmse().values()));
        Comparisons.Comparison best = get(res, TaskSets.BEST_SINGLE_SOURCE);
        assertEquals(Comparisons.Kind.BEST_SINGLE_SOURCE, best.kind());
        assertEquals(1.0 / 12, best.mean(), 1e-12, "chosen on test it would be -10 %");
        assertEquals(3, best.units());
        assertEquals(2, best.better());
        // Wilcoxon: Commons Math called directly on the per-unit changes (exact, n = 3)
        double[] d = {(12 - 10) / 12.0, (13 - 11) / 13.0, (11 - 12) / 11.0};
        double p = Math.min(1, new WilcoxonSignedRankTest().wilcoxonSignedRankTest(d, new double[3], true));
        assertEquals(p, best.wilcoxon().p(), 1e-15);
        assertTrue(best.wilcoxon().exact());
        // bootstrap: Commons Math's R-7 percentiles of the change recomputed here on the same resamples of the 4 units
        double[] g = {10, 11, 12, 13};
        double[] o = {12, 13, 11, Double.NaN};
        List<Double> stats = new ArrayList<>();
        for (Bootstrap.Resample r : boot.draw(new int[] {4})) {
            double sg = 0;
            double so = 0;
            for (int u : r.units()[0]) {
                if (!Double.isNaN(o[u])) {
                    sg += g[u];
                    so += o[u];
                }
            }
            if (so > 0) {
                stats.add((so - sg) / so);
            }
        }
        Percentile pc = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        pc.setData(stats.stream().mapToDouble(Double::doubleValue).toArray());
        assertEquals(pc.evaluate(2.5), best.ci().lo(), 1e-15);
        assertEquals(pc.evaluate(97.5), best.ci().hi(), 1e-15);
        assertEquals(stats.size(), best.ci().valid());
        // the k-task baselines over all four units
        Comparisons.Comparison mtl = get(res, "mtl");
        assertEquals(Comparisons.Kind.BASELINE, mtl.kind());
        assertEquals(3.0 / 49, mtl.mean(), 1e-12);
        assertEquals(4, mtl.units());
        double[] dm = {0.5 / 10.5, 1 / 12.0, 0.5 / 12.5, 1 / 14.0};
        assertEquals(new WilcoxonSignedRankTest().wilcoxonSignedRankTest(dm, new double[4], true), mtl.wilcoxon().p(), 1e-15);
        assertEquals(8.0 / 54, get(res, "stl").mean(), 1e-12);
        assertEquals(5, res.comparisons().size(), "best single source, mtl, stl, at least, best baseline on validation");
        // at least: the smaller of the baselines' means (mtl's), with the interval of the smallest per resample
        Comparisons.Comparison least = get(res, Comparisons.AT_LEAST);
        assertEquals(Comparisons.Kind.AT_LEAST, least.kind());
        assertEquals(3.0 / 49, least.mean(), 1e-12);
        assertEquals(Map.of("", "mtl"), least.chosen());
        assertTrue(least.ci().lo() <= mtl.ci().lo() + 1e-12);
        // best baseline on validation: per task set, the baseline of the lower mean validation RMSE, never test
        double[] val = new double[2];
        for (ResultRow r : rows(a)) {
            if (r.pair().equals("ks") && (r.method().equals("mtl") || r.method().equals("stl"))) {
                val[r.method().equals("mtl") ? 0 : 1] += r.result().valRmse();
            }
        }
        String chosenOnVal = val[0] <= val[1] ? "mtl" : "stl";
        Comparisons.Comparison bv = get(res, Comparisons.BEST_ON_VALIDATION);
        assertEquals(Map.of("ks", chosenOnVal), bv.chosen());
        assertEquals(get(res, chosenOnVal).mean(), bv.mean(), 1e-12);
        // only the task set's cells: the pair p2's own mtl and stl cells are not in it
        assertEquals(List.of("ks"), List.copyOf(mtl.perPair().keySet()));
    }

    /** The verdict on the best single source reads the interval, not the sign of the mean alone. */
    @Test
    void theVerdictReadsTheInterval() {
        java.util.function.BiFunction<Double, double[], Comparisons.Comparison> c = (mean, ci) -> new Comparisons.Comparison(
                "random", TaskSets.BEST_SINGLE_SOURCE, Comparisons.Kind.BEST_SINGLE_SOURCE, mean,
                new Bootstrap.Interval(ci[0], ci[1], 100), Map.of(), Map.of(), 3, 2, null);
        assertEquals("beats its best single source", TaskSets.verdict(c.apply(0.05, new double[] {0.01, 0.09})));
        assertTrue(TaskSets.verdict(c.apply(0.05, new double[] {-0.02, 0.09}))
                .startsWith("is ahead of its best single source on average, within the noise"));
        assertTrue(TaskSets.verdict(c.apply(-0.05, new double[] {-0.09, 0.01})).endsWith("behind it on average; the interval reaches 0)"));
        assertTrue(TaskSets.verdict(c.apply(-0.05, new double[] {-0.09, -0.01})).endsWith("the interval lies below 0)"));
        assertEquals("is level with its best single source on average", TaskSets.verdict(c.apply(0.0, new double[] {-0.01, 0.01})));
        assertEquals("is ahead of its best single source on average (no interval)",
                TaskSets.verdict(c.apply(0.05, new double[] {Double.NaN, Double.NaN})));
        // one unit: its bootstrap interval has no width, and it is no win however it lies
        Comparisons.Comparison one = new Comparisons.Comparison("random", TaskSets.BEST_SINGLE_SOURCE,
                Comparisons.Kind.BEST_SINGLE_SOURCE, 0.015, new Bootstrap.Interval(0.015, 0.015, 100), Map.of(), Map.of(),
                1, 1, null);
        assertEquals("is ahead of its best single source on its one unit (no interval from one unit)",
                TaskSets.verdict(one));
    }

    @Test
    void missingPairCellsAreListedAndTheirUnitsLeftOut(@TempDir Path dir) throws Exception {
        Grid a = grids(dir);
        TaskSets.Result res = TaskSets.compute(rows(a), a.taskSetInput(), new Bootstrap(200, 1), Regression.INSTANCE);
        String s1 = dir.resolve("s1.csv") + " (a)";
        String t = dir.resolve("t.csv") + " (c)";
        assertEquals(List.of(new TaskSets.Missing("random", "ks", 3, 0, s1, t)), res.missing());
        // the grid's summary.md (written by the run) has the section, the choice per unit and the missing cell
        String md = Files.readString(a.dir().resolve("summary.md"));
        assertTrue(md.contains("## Task sets: k-task GEAR against its best single source"), md);
        assertTrue(md.contains("| random | **best single source** (pair GEAR, chosen on validation) | +8.3% |"), md);
        assertTrue(md.contains("| random | ks | 2 | 0 | " + dir.resolve("s2.csv") + " (b) | p2.gear.random.f0.s2 | 0.5000 | 11.00 | 12.00 | "
                + "1.000 | " + s1 + ": 3.000; " + dir.resolve("s2.csv") + " (b): 0.5000 |"), md);
        assertTrue(md.contains("| random | ks | 3 | 0 | " + s1 + " → " + t + " |"), md);
        Comparisons.Comparison bss = get(res, TaskSets.BEST_SINGLE_SOURCE);
        String verdict = bss.ci().lo() > 0 ? "beats its best single source"
                : "is ahead of its best single source on average, within the noise (the interval reaches 0)";
        assertTrue(md.contains("**random split: k-task GEAR " + verdict + "** (+8.3%, 95 % interval ["), md);
        assertTrue(md.contains("| random | at least (mtl) | "), md);
        assertTrue(md.contains("| random | ks | " + s1 + " | 2 |"), "p1 chosen at two units: " + md);
        // without --pairs-from every p1 cell is missing: no unit to compare, nothing fails
        TaskSets.Result alone = TaskSets.compute(rows(a), new TaskSets.Input(a.config().pairs(), a.dir(), List.of()),
                new Bootstrap(200, 1), Regression.INSTANCE);
        assertNull(alone.refusal());
        assertEquals(4, alone.missing().size());
        assertEquals(0, get(alone, TaskSets.BEST_SINGLE_SOURCE).units());
        assertTrue(Double.isNaN(get(alone, TaskSets.BEST_SINGLE_SOURCE).mean()));
        assertTrue(TaskSets.lines(alone).get(TaskSets.lines(alone).size() - 1).contains("4 pair cells missing"));
        // a grid without task sets has no section
        Grid b = new Grid(TaskSetToyGrid.config(dir.resolve("b.json"), List.of("gear")), dir.resolve("B"), TaskSetToyGrid.QUIET);
        assertTrue(TaskSets.compute(rows(b), b.taskSetInput(), Regression.INSTANCE).isEmpty());
        assertFalse(Files.readString(dir.resolve("B/summary.md")).contains("Task sets"));
    }

    @Test
    void targetSplitsAreRecordedAndMismatchedSplitsRefused(@TempDir Path dir) throws Exception {
        Grid a = grids(dir);
        List<ResultRow> rows = rows(a);
        ResultRow ks0 = ResultsFiles.readCell(a.dir().resolve("cells/ks.gear.random.f0.s0"));
        ResultRow p20 = ResultsFiles.readCell(a.dir().resolve("cells/p2.gear.random.f0.s0"));
        ResultRow p10 = ResultsFiles.readCell(dir.resolve("B/cells/p1.gear.random.f0.s0"));
        ResultRow ks1 = ResultsFiles.readCell(a.dir().resolve("cells/ks.gear.random.f0.s1"));
        assertNotNull(ks0.targetSplit());
        assertEquals(ks0.targetSplit(), p20.targetSplit(), "a task set and its pair share the target split");
        assertEquals(ks0.targetSplit(), p10.targetSplit(), "also across grids");
        assertNotEquals(ks0.targetSplit(), ks1.targetSplit(), "another seed, another split");
        // the fingerprint of a cell's splits.json is the recorded one
        Cell cell = a.cell(new CellKey("ks", "gear", SplitType.RANDOM, 0, 0));
        Path probe = dir.resolve("probe");
        Files.createDirectories(probe);
        SplitsFile.write(probe.resolve("splits.json"), new gear.data.Split(cell.train(), cell.val(), cell.test()), cell.target());
        assertEquals(ks0.targetSplit(), TargetSplit.read(probe));
        assertNull(TargetSplit.read(dir), "no splits.json");
        TaskSets.Result ok = TaskSets.compute(rows, a.taskSetInput(), new Bootstrap(10, 1), Regression.INSTANCE);
        assertEquals(3 * 2 + 1, ok.fingerprinted(), "two pair cells at seeds 0-2, p2 at seed 3");
        assertEquals(0, ok.sizesOnly());

        // another protocol (target subsample): other sizes, refused naming both cells
        TaskSetToyGrid.run(dir.resolve("c.json"), List.of("gear"), dir.resolve("C"), List.of());
        TaskSets.Result c = TaskSets.compute(rows, new TaskSets.Input(a.config().pairs(), a.dir(), List.of(dir.resolve("C"))),
                new Bootstrap(10, 1), Regression.INSTANCE);
        assertNotNull(c.refusal());
        assertTrue(c.refusal().contains("ks.gear.random.f0.s0") && c.refusal().contains(dir.resolve("C").toString())
                && c.refusal().contains("sizes") && c.refusal().contains("another target subsample"), c.refusal());
        assertTrue(c.comparisons().isEmpty());
        assertTrue(TaskSets.markdown(c).contains("**Refused:**"));
        // the same source and target under two subsamples are two pairs (gap-exc, gap-exc-500): each unit takes the
        // cell of its own split, whichever grid is read first
        for (List<Path> from : List.of(List.of(dir.resolve("C"), dir.resolve("B")), List.of(dir.resolve("B"), dir.resolve("C")))) {
            TaskSets.Result both = TaskSets.compute(rows, new TaskSets.Input(a.config().pairs(), a.dir(), from),
                    new Bootstrap(10, 1), Regression.INSTANCE);
            assertNull(both.refusal(), from.toString());
            assertEquals(ok.fingerprinted(), both.fingerprinted());
            assertEquals(ok.choices(), both.choices());
            assertEquals(ok.comparisons(), both.comparisons());
            // seed 3: B's p1 cell is missing, C's (other sizes) is not taken for it
            assertEquals(1, both.missing().size());
            assertTrue(both.missing().get(0).why().startsWith(TaskSets.NO_CELL + " of this target split ("
                    + dir.resolve("C").resolve("cells/p1.gear.random.f0.s3")), both.missing().get(0).why());
        }
        // the grid refuses before running anything, and --summary-only too
        Grid again = new Grid(a.config(), a.dir(), TaskSetToyGrid.QUIET).runnerFactory(TaskSetToyGrid.Runner::new)
                .plots(false).summaryOnly(true).pairsFrom(List.of(dir.resolve("C")));
        BadInputException e = assertThrows(BadInputException.class, again::run);
        assertTrue(e.getMessage().contains("differ"), e.getMessage());

        // same sizes, another split (a recorded fingerprint that differs): refused
        Path b2 = copy(dir.resolve("B"), dir.resolve("B2"));
        Path cell1 = b2.resolve("cells/p1.gear.random.f0.s1/result.json");
        ObjectNode o = (ObjectNode) JSON.readTree(cell1.toFile());
        o.put("target_split", "0123456789abcdef");
        Files.writeString(cell1, o.toString());
        String refusal = TaskSets.compute(rows, new TaskSets.Input(a.config().pairs(), a.dir(), List.of(b2)),
                new Bootstrap(10, 1), Regression.INSTANCE).refusal();
        assertNotNull(refusal);
        assertTrue(refusal.contains("fingerprints") && refusal.contains("0123456789abcdef") && refusal.contains("ks.gear.random.f0.s1"),
                refusal);

        // a cell without a recorded fingerprint: its splits.json, else its sizes only
        Path b3 = copy(dir.resolve("B"), dir.resolve("B3"));
        Path c0 = b3.resolve("cells/p1.gear.random.f0.s0");
        ObjectNode n = (ObjectNode) JSON.readTree(c0.resolve("result.json").toFile());
        n.remove("target_split");
        Files.writeString(c0.resolve("result.json"), n.toString());
        TaskSets.Input in3 = new TaskSets.Input(a.config().pairs(), a.dir(), List.of(b3));
        TaskSets.Result sizes = TaskSets.compute(rows, in3, new Bootstrap(10, 1), Regression.INSTANCE);
        assertNull(sizes.refusal());
        assertEquals(1, sizes.sizesOnly());
        assertEquals(6, sizes.fingerprinted());
        Files.copy(probe.resolve("splits.json"), c0.resolve("splits.json"));
        TaskSets.Result viaFile = TaskSets.compute(rows, in3, new Bootstrap(10, 1), Regression.INSTANCE);
        assertEquals(0, viaFile.sizesOnly());
        assertEquals(7, viaFile.fingerprinted());
        // a splits.json with one training and one test molecule swapped: refused
        int[] train = cell.train().clone();
        int[] test = cell.test().clone();
        int t0 = train[0];
        train[0] = test[0];
        test[0] = t0;
        SplitsFile.write(c0.resolve("splits.json"), new gear.data.Split(train, cell.val(), test), cell.target());
        String swapped = TaskSets.compute(rows, in3, new Bootstrap(10, 1), Regression.INSTANCE).refusal();
        assertNotNull(swapped);
        assertTrue(swapped.contains("fingerprints") && swapped.contains(c0.toString()), swapped);
    }

    /**
     * A pair grid run under other options than the task-set grid (another epoch budget, other tuned values, a cell whose
     * config.json records another value) is refused naming both cells and the option; the same options pass and are
     * counted; a pair grid whose options cannot be known (results.json only) is compared by split only, and counted so.
     */
    @Test
    void pairCellsOfAnotherProtocolOrOtherTunedValuesAreRefused(@TempDir Path dir) throws Exception {
        Grid a = grids(dir);
        List<ResultRow> rows = rows(a);
        TaskSets.Result ok = TaskSets.compute(rows, a.taskSetInput(), new Bootstrap(10, 1), Regression.INSTANCE);
        assertNull(ok.refusal());
        assertEquals(7, ok.optionsCompared(), "every matched pair cell, from the grid's config.json");
        assertEquals(0, ok.optionsUnknown());
        assertTrue(TaskSets.markdown(ok).contains("7 equal to the k-task GEAR cell's, 0 not compared"), TaskSets.markdown(ok));

        // another epoch budget: refused, naming the task set's cell, the pair cell and the option with both values
        TaskSetToyGrid.run(TaskSetToyGrid.config(dir.resolve("b.json"), List.of("gear"), Map.of("epochs", "5")), dir.resolve("E"),
                List.of());
        String epochs = TaskSets.compute(rows, new TaskSets.Input(a.config().pairs(), a.dir(), List.of(dir.resolve("E"))),
                new Bootstrap(10, 1), Regression.INSTANCE).refusal();
        assertNotNull(epochs);
        assertTrue(epochs.contains("ks.gear.random.f0.s0") && epochs.contains(dir.resolve("E/cells/p1.gear.random.f0.s0").toString())
                && epochs.contains("other options") && epochs.contains("epochs 3 against 5"), epochs);
        Grid again = new Grid(a.config(), a.dir(), TaskSetToyGrid.QUIET).runnerFactory(TaskSetToyGrid.Runner::new)
                .plots(false).summaryOnly(true).pairsFrom(List.of(dir.resolve("E")));
        assertTrue(assertThrows(BadInputException.class, again::run).getMessage().contains("epochs 3 against 5"));

        // a pair grid that purged its validation molecules from the source: refused against the task set's cells, whose
        // resolved options leave source_purge out at the value every earlier cell ran with (test)
        TaskSetToyGrid.run(TaskSetToyGrid.config(dir.resolve("b.json"), List.of("gear"), Map.of("epochs", "3",
                "source_purge", "validation")), dir.resolve("V"), List.of());
        String purge = TaskSets.compute(rows, new TaskSets.Input(a.config().pairs(), a.dir(), List.of(dir.resolve("V"))),
                new Bootstrap(10, 1), Regression.INSTANCE).refusal();
        assertNotNull(purge);
        assertTrue(purge.contains("source_purge test against validation"), purge);

        // the same values from another tuned file, in both grids: refused on the file's hash
        Map<String, String> tunedA = Map.of("epochs", "3", Tuned.key("gear", "w_curv"), "0.1", Tuned.SOURCE, "aaaa");
        Map<String, String> tunedB = Map.of("epochs", "3", Tuned.key("gear", "w_curv"), "0.1", Tuned.SOURCE, "bbbb");
        Grid ta = TaskSetToyGrid.run(TaskSetToyGrid.config(dir.resolve("a.json"), List.of("gear"), tunedA), dir.resolve("TA"),
                List.of());
        TaskSetToyGrid.run(TaskSetToyGrid.config(dir.resolve("b.json"), List.of("gear"), tunedB), dir.resolve("TB"), List.of());
        String tuned = TaskSets.compute(rows(ta), new TaskSets.Input(ta.config().pairs(), ta.dir(), List.of(dir.resolve("TB"))),
                new Bootstrap(10, 1), Regression.INSTANCE).refusal();
        assertNotNull(tuned);
        assertTrue(tuned.contains(CellOptions.TUNED_SHA256 + " aaaa against bbbb"), tuned);
        TaskSetToyGrid.run(TaskSetToyGrid.config(dir.resolve("b.json"), List.of("gear"), tunedA), dir.resolve("TC"), List.of());
        TaskSets.Result same = TaskSets.compute(rows(ta), new TaskSets.Input(ta.config().pairs(), ta.dir(),
                List.of(dir.resolve("TC"))), new Bootstrap(10, 1), Regression.INSTANCE);
        assertNull(same.refusal());
        assertEquals(8, same.optionsCompared());

        // a cell's own config.json (the run's record) is read before its grid's: another value there is refused
        Path b5 = copy(dir.resolve("B"), dir.resolve("B5"));
        Files.writeString(b5.resolve("cells/p1.gear.random.f0.s1/config.json"), "{\"command\": \"transfer\", \"epochs\": 4}");
        String own = TaskSets.compute(rows, new TaskSets.Input(a.config().pairs(), a.dir(), List.of(b5)), new Bootstrap(10, 1),
                Regression.INSTANCE).refusal();
        assertNotNull(own);
        assertTrue(own.contains("ks.gear.random.f0.s1") && own.contains("epochs 3 against 4"), own);
        // a run's record with source_purge validation against the task set's cells (which name no source_purge)
        Files.writeString(b5.resolve("cells/p1.gear.random.f0.s1/config.json"),
                "{\"command\": \"transfer\", \"epochs\": 3, \"source_purge\": \"validation\"}");
        String ownPurge = TaskSets.compute(rows, new TaskSets.Input(a.config().pairs(), a.dir(), List.of(b5)),
                new Bootstrap(10, 1), Regression.INSTANCE).refusal();
        assertNotNull(ownPurge);
        assertTrue(ownPurge.contains("source_purge test against validation"), ownPurge);

        // options not knowable: a grid directory with results.json only (no cells/, no config.json): not compared, counted
        Path r6 = Files.createDirectories(dir.resolve("R6"));
        Files.copy(dir.resolve("B/results.json"), r6.resolve("results.json"));
        TaskSets.Result unknown = TaskSets.compute(rows, new TaskSets.Input(a.config().pairs(), a.dir(), List.of(r6)),
                new Bootstrap(10, 1), Regression.INSTANCE);
        assertNull(unknown.refusal());
        assertEquals(4, unknown.optionsUnknown(), "p1 at seeds 0-3 (B's results.json was written before its seed-3 cell was removed)");
        assertEquals(4, unknown.optionsCompared(), "p2 of the grid itself");
        // a pair grid's config.json whose resolution does not give the cells' recorded fingerprints is not trusted
        Path b7 = copy(dir.resolve("B"), dir.resolve("B7"));
        ObjectNode cfg7 = (ObjectNode) JSON.readTree(b7.resolve("config.json").toFile());
        ((ObjectNode) cfg7.get("options")).put("epochs", "9");
        Files.writeString(b7.resolve("config.json"), cfg7.toString());
        TaskSets.Result untrusted = TaskSets.compute(rows, new TaskSets.Input(a.config().pairs(), a.dir(), List.of(b7)),
                new Bootstrap(10, 1), Regression.INSTANCE);
        assertNull(untrusted.refusal(), "9 epochs is not what the cells recorded");
        assertEquals(3, untrusted.optionsUnknown());
    }

    /**
     * A pair cell without a validation score cannot take part in the choice on validation: its unit is left out of the
     * best-single-source comparison and listed as missing, with the reason, whether one source or every source lacks it.
     */
    @Test
    void pairCellsWithoutValidationScoreAreReportedMissing(@TempDir Path dir) throws Exception {
        Grid a = grids(dir);
        Path b8 = copy(dir.resolve("B"), dir.resolve("B8"));
        for (String cell : List.of("p1.gear.random.f0.s0", "p1.gear.random.f0.s1")) {
            Path f = b8.resolve("cells").resolve(cell).resolve("result.json");
            ObjectNode o = (ObjectNode) JSON.readTree(f.toFile());
            o.putNull("val_rmse");
            Files.writeString(f, o.toString());
        }
        // seed 1: the grid's own p2 cell lacks it too, so no source of that unit has a validation score
        List<ResultRow> rows = new ArrayList<>();
        for (ResultRow r : rows(a)) {
            if (r.cell().equals("p2.gear.random.f0.s1")) {
                CellResult c = r.result();
                r = new ResultRow(r.cell(), r.pair(), r.source(), r.target(), r.method(), r.splitType(), r.fold(), r.seed(),
                        r.nTrain(), r.nVal(), r.nTest(), r.nSource(), new CellResult(c.testRmse(), c.testMae(), c.testR2(),
                                Double.NaN, c.bestEpoch(), c.trainSeconds(), c.meanAbsR()), r.fingerprint(), r.noiseFraction(),
                        r.noiseSigma(), r.extrapolation(), r.budget(), r.targetSplit());
            }
            rows.add(r);
        }
        TaskSets.Result res = TaskSets.compute(rows, new TaskSets.Input(a.config().pairs(), a.dir(), List.of(b8)),
                new Bootstrap(10, 1), Regression.INSTANCE);
        assertNull(res.refusal());
        String s1 = dir.resolve("s1.csv") + " (a)";
        String s2 = dir.resolve("s2.csv") + " (b)";
        List<String> why = res.missing().stream().map(m -> m.seed() + " " + m.source() + " " + m.why()).toList();
        assertEquals(List.of("0 " + s1 + " " + TaskSets.NO_VALIDATION + " (cell " + b8.resolve("cells/p1.gear.random.f0.s0") + ")",
                "1 " + s1 + " " + TaskSets.NO_VALIDATION + " (cell " + b8.resolve("cells/p1.gear.random.f0.s1") + ")",
                "1 " + s2 + " " + TaskSets.NO_VALIDATION + " (cell " + a.dir().resolve("cells/p2.gear.random.f0.s1") + ")",
                "3 " + s1 + " " + TaskSets.NO_CELL), why);
        // only seed 2 is left to compare: p2 chosen (the only unit with every source's validation score)
        assertEquals(List.of(2L), res.choices().stream().map(TaskSets.Choice::seed).toList());
        assertEquals(1, get(res, TaskSets.BEST_SINGLE_SOURCE).units());
        String md = TaskSets.markdown(res);
        assertTrue(md.contains("| random | ks | 1 | 0 | " + s2 + " → " + dir.resolve("t.csv") + " (c) | " + TaskSets.NO_VALIDATION), md);
        assertTrue(TaskSets.lines(res).get(TaskSets.lines(res).size() - 1).contains("4 pair cells missing")
                && TaskSets.lines(res).get(TaskSets.lines(res).size() - 1).contains("3 of them finished without a validation "
                        + "score"), TaskSets.lines(res).toString());
    }

    @Test
    void aDirectoryThatIsNoGridIsRefused(@TempDir Path dir) throws Exception {
        Grid a = grids(dir);
        Path empty = Files.createDirectories(dir.resolve("empty"));
        String r = TaskSets.compute(rows(a), new TaskSets.Input(a.config().pairs(), a.dir(), List.of(empty)),
                new Bootstrap(10, 1), Regression.INSTANCE).refusal();
        assertTrue(r != null && r.contains("--pairs-from " + empty) && r.contains("not a grid directory"), r);
    }

    static Path copy(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
        return to;
    }
}
