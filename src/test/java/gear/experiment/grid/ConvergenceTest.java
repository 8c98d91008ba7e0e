package gear.experiment.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.AtomicFiles;
import gear.data.SplitType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The convergence check: which finished cells selected an epoch in the last tenth of their budget. */
class ConvergenceTest {
    static PairSpec pair;
    @TempDir
    Path out;

    @BeforeAll
    static void data(@TempDir Path dir) throws IOException {
        pair = GridFixture.demoPair(dir, 120);
    }

    /** Epochs 10 and pretraining epochs 20: the last tenth is epoch index 9, resp. 18 and 19 (0-based). */
    static GridConfig config() {
        return new GridConfig(List.of(pair), List.of("stl", "finetune", "gear"), List.of(SplitType.RANDOM), 2, 2,
                List.of(0L, 1L), 0.2, Map.of("epochs", "10", "pretrain-epochs", "20"), null, null,
                FakeCellRunner.class.getName(), 1, Isolation.THREAD);
    }

    /**
     * Selected target epochs: stl 9 (late) on fold 0, 3 on fold 1; gear 8 everywhere (the epoch just before the last
     * tenth); finetune 9 only on (fold 0, seed 0). Finetune's pretraining, written to config.json as the real runner
     * does: seed 0 selects 19 and 18 of 20 run (both late); seed 1 fold 0 selects 5 after stopping at 11, seed 1 fold 1
     * selects 18 after stopping at 19 (late by index, but stopped early by patience: converged).
     */
    static Supplier<CellRunner> runner() {
        return () -> (cell, dir) -> {
            int fold = cell.key().fold();
            long seed = cell.seed();
            int best = switch (cell.method()) {
                case "stl" -> fold == 0 ? 9 : 3;
                case "gear" -> 8;
                default -> fold == 0 && seed == 0 ? 9 : 2;
            };
            if (cell.method().equals("finetune")) {
                int[][] pre = {{19, 20}, {18, 20}, {5, 11}, {18, 19}}; // {source_best_epoch, source_epochs}
                int[] p = pre[(int) seed * 2 + fold];
                ObjectNode cfg = new ObjectMapper().createObjectNode();
                ObjectNode n = cfg.putObject("pretraining");
                n.put("pretrained", true);
                n.put("source_best_epoch", p[0]);
                n.put("source_epochs", p[1]);
                AtomicFiles.writeString(dir.resolve("config.json"), cfg.toString());
            }
            CellResult r = FakeCellRunner.result(cell);
            return new CellResult(r.testRmse(), r.testMae(), r.testR2(), r.valRmse(), best, r.trainSeconds(), r.meanAbsR());
        };
    }

    static Convergence.Count count(List<Convergence.Count> l, String method) {
        return l.stream().filter(c -> c.method().equals(method)).findFirst().orElseThrow();
    }

    @Test
    void gridCountsLateCellsPerMethodAndPhaseAndWarns() throws Exception {
        Grid.Outcome o = new Grid(config(), out, GridRunTest.QUIET).plots(false).runnerFactory(runner()).run();
        assertEquals(12, o.rows().size());
        Convergence.Result res = Convergence.compute(o.rows());
        assertEquals(new Convergence.Count("stl", 4, 2), count(res.target(), "stl"));
        assertEquals(new Convergence.Count("finetune", 4, 1), count(res.target(), "finetune"));
        assertEquals(new Convergence.Count("gear", 4, 0), count(res.target(), "gear"));
        assertEquals(new Convergence.Count(Convergence.ALL, 12, 3), res.targetAll());
        assertEquals(0.25, res.targetAll().share());
        assertEquals(List.of(new Convergence.Count("finetune", 4, 2), new Convergence.Count(Convergence.ALL, 4, 2)),
                res.pretraining());
        assertEquals(0, res.unknown());

        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains("**not converged: 3 of 12 cells (25.0 %) selected an epoch in the last tenth of their target "
                + "phase budget (epochs); the limit is under 20 %; at or over it: stl 50.0 %, finetune 25.0 %**"), md);
        assertTrue(md.contains("**not converged: 2 of 4 cells (50.0 %) selected an epoch in the last tenth of their "
                + "pretraining budget (pretrain_epochs); the limit is under 20 %; at or over it: finetune 50.0 %**"), md);
        assertTrue(md.contains("| target | gear | 4 | 0 | 0.0 % |"), md);
        assertTrue(md.contains("| target | all methods | 12 | 3 | 25.0 % (not converged) |"), md);
        assertTrue(md.contains("| pretraining | finetune | 4 | 2 | 50.0 % (not converged) |"), md);

        // the per-cell budgets are in results.json, so the report recomputes the same counts
        JsonNode rows = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        List<ResultRow> parsed = new ArrayList<>();
        rows.forEach(r -> parsed.add(ResultRow.fromJson(r)));
        assertEquals(res, Convergence.compute(parsed));
        JsonNode ft = null;
        for (JsonNode r : rows) {
            if (r.get("method").asText().equals("finetune") && r.get("seed").asInt() == 1 && r.get("fold").asInt() == 1) {
                ft = r;
            }
        }
        assertEquals(10, ft.get("epochs").asInt());
        assertEquals(20, ft.get("pretrain_epochs").asInt());
        assertEquals(18, ft.get("source_best_epoch").asInt());
        assertEquals(19, ft.get("source_epochs").asInt());
        assertTrue(rows.get(0).get("pretrain_epochs").isNull(), "stl does not pretrain");

        String html = Files.readString(gear.experiment.report.RunReport.write(out, out.resolve("report.html")).file());
        assertTrue(html.contains("not converged: 3 of 12 cells (25.0 %)"), "report states the check");
    }

    @Test
    void cellsFinishedBeforeTheBudgetsWereRecordedGetThemOnTheNextSummary() throws Exception {
        Convergence.Result first = Convergence.compute(
                new Grid(config(), out, GridRunTest.QUIET).plots(false).runnerFactory(runner()).run().rows());
        try (var cells = Files.list(out.resolve("cells"))) {
            for (Path cd : cells.toList()) {
                Path f = cd.resolve(ResultsFiles.CELL_RESULT);
                ObjectNode o = (ObjectNode) new ObjectMapper().readTree(f.toFile());
                o.remove(List.of("epochs", "pretrain_epochs", "source_best_epoch", "source_epochs"));
                Files.writeString(f, o.toString());
                assertEquals(Convergence.Budget.NONE, ResultsFiles.readCell(cd).budget());
            }
        }
        Grid.Outcome o = new Grid(config(), out, GridRunTest.QUIET).plots(false).runnerFactory(runner()).summaryOnly(true).run();
        Convergence.Result res = Convergence.compute(o.rows());
        assertEquals(new Convergence.Count(Convergence.ALL, 12, 3), res.targetAll());
        assertEquals(first, res);
        assertTrue(Files.readString(out.resolve("summary.md")).contains("**not converged: 3 of 12 cells (25.0 %)"));
    }

    static ResultRow row(String method, int best, Convergence.Budget b) {
        CellResult r = new CellResult(1, 1, 0, 1, best, 1, Map.of());
        return new ResultRow("c", "p", "s", "t", method, "random", 0, 0, 8, 2, 2, 5, r, "fp", 0.0, Double.NaN, null, b);
    }

    @Test
    void lastTenthBoundaryAndTheTwentyPercentLimit() {
        // E = 30: the last tenth is the 1-based epochs 28..30, i.e. best_epoch 27..29
        assertFalse(Convergence.late(26, 30));
        assertTrue(Convergence.late(27, 30));
        // E = 25: 10 (b + 1) > 225, i.e. best_epoch 22..24 (the last ⌈2.5⌉ epochs)
        assertFalse(Convergence.late(21, 25));
        assertTrue(Convergence.late(22, 25));
        assertTrue(Convergence.late(0, 1));
        Convergence.Budget e10 = new Convergence.Budget(10, -1, -1, -1);
        List<ResultRow> five = new ArrayList<>(List.of(row("a", 9, e10), row("a", 0, e10), row("a", 5, e10), row("b", 8, e10),
                row("b", 1, e10)));
        Convergence.Result at = Convergence.compute(five);
        assertEquals(0.2, at.targetAll().share());
        assertTrue(at.targetAll().notConverged(), "20 % is not under 20 %");
        assertEquals(1, Convergence.warnings(at).size());
        assertTrue(at.pretraining().isEmpty());
        five.add(row("b", 2, e10));
        five.add(row("b", 7, Convergence.Budget.NONE)); // unknown budget: not counted
        Convergence.Result under = Convergence.compute(five);
        assertEquals(new Convergence.Count(Convergence.ALL, 6, 1), under.targetAll());
        assertEquals(1, under.unknown());
        assertEquals(List.of(), Convergence.warnings(under));
        String md = Convergence.markdown(under);
        assertFalse(md.contains("**not converged"), md); // no line over every method; method a (1 of 3) is marked in its row
        assertTrue(md.contains("| target | a | 3 | 1 | 33.3 % (not converged) |"), md);
        assertTrue(md.contains("| target | all methods | 6 | 1 | 16.7 % |"), md);
    }
}
