package gear.experiment.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.train.Regression;
import gear.train.TaskType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The grid's summary takes its metric's label and the direction of its relative changes from the task type:
 * regression gives today's text, another task type renames every label and turns the changes around.
 */
class GridTaskTypeLabelsTest {
    private static final TaskType R = RenamedTaskType.INSTANCE;

    /** {@link SummaryTest#ROWS} plus one ablation variant of GEAR on pair A (test RMSE 3 against GEAR's 1.5). */
    private static List<ResultRow> rows() {
        List<ResultRow> rows = new ArrayList<>(SummaryTest.ROWS);
        rows.add(SummaryTest.row("A", "gear-no-curv", "random", 0, 3.0));
        return rows;
    }

    private static String markdown(TaskType t) {
        return Summary.markdown(Summary.compute(rows(), t), 8, 8);
    }

    @Test
    void theGridIsRegressionAndRegressionGivesTodaysSummary() {
        PairSpec pair = new PairSpec("p", new DataRef("s.csv", "y"), new DataRef("t.csv", "y"), null);
        assertSame(Regression.INSTANCE, GridFixture.config(pair, List.of("stl", "gear"), List.of(gear.data.SplitType.RANDOM), 2,
                List.of(0L), 1, Isolation.THREAD).taskType());
        assertEquals(Summary.markdown(Summary.compute(rows()), 8, 8), markdown(Regression.INSTANCE));
        String md = markdown(Regression.INSTANCE);
        assertTrue(md.contains("Relative RMSE change (RMSE_other − RMSE_gear) / RMSE_other, each RMSE the pair's mean over "
                + "folds and seeds, averaged over pairs; positive = GEAR better. Best baseline: per pair, the baseline with the "
                + "lowest mean validation RMSE. Each method's means are over its own finished units"), md);
        assertTrue(md.contains("| pair | split | method | n | RMSE | MAE | R² |"), md);
        assertTrue(md.contains("\n### Best baseline per pair, chosen on validation RMSE\n"), md);
        assertTrue(md.contains("change = (RMSE − RMSE_gear) / RMSE_gear of the means"), md);
        assertTrue(md.contains("| A | random | gear-no-curv | 1 | 3.000 ± 0.0 | +100.0% |"), md);
    }

    @Test
    void anotherTaskTypeRenamesTheLabelsAndTurnsTheChangesAround() {
        String md = markdown(R);
        assertFalse(md.contains("RMSE"), md);
        assertTrue(md.contains("Relative SCORE change (SCORE_gear − SCORE_other) / SCORE_other"), md);
        assertTrue(md.contains("the baseline with the highest mean validation SCORE"), md);
        assertTrue(md.contains("| pair | split | method | n | SCORE | MAE | R² |"), md);
        // higher is better: GEAR's 1.5 against stl's 3 on A is −50 %, 0.9 against 1 on B −10 %: mean −30 %
        Map<String, Summary.Relative> rel = new java.util.HashMap<>();
        Summary.compute(rows(), R).relative().forEach(r -> rel.put(r.baseline(), r));
        assertEquals(-0.3, rel.get("stl").mean(), 1e-12);
        assertTrue(md.contains("| random | stl | -30.0% | 2 |"), md);
        // the best baseline on validation is now the highest: stl (3) on A, not kd (2)
        assertEquals(-0.3, rel.get(Summary.BEST).mean(), 1e-12);
        // without the curvature term the score rises from 1.5 to 3: better, so the change (positive = worse) is −100 %
        Studies.AblationStat v = Summary.compute(rows(), R).studies().ablation().stream()
                .filter(s -> s.method().equals("gear-no-curv")).findFirst().orElseThrow();
        assertEquals(-1.0, v.change(), 1e-12);
        Comparisons.Comparison c = Summary.compute(rows(), R).comparisons().comparisons().stream()
                .filter(x -> x.versus().equals("stl")).findFirst().orElseThrow();
        assertEquals(0, c.better(), "GEAR's score is lower than stl's in every unit");
    }
}
