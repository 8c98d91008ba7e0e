package gear.experiment.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.experiment.grid.RenamedTaskType;
import gear.experiment.grid.ResultRow;
import gear.experiment.grid.ResultsFiles;
import gear.experiment.grid.Summary;
import gear.train.MeanVariance;
import gear.train.Regression;
import gear.train.TaskType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's grid and study sections take the metric's label and direction from the task type that the
 * run's or grid's config.json names (regression when it names none).
 */
class ReportTaskTypeLabelsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theTaskTypeComesFromConfigJson() throws Exception {
        assertSame(Regression.INSTANCE, RunReport.taskType(null));
        assertSame(Regression.INSTANCE, RunReport.taskType(JSON.readTree("{\"methods\": [\"gear\"]}")));
        assertSame(Regression.INSTANCE, RunReport.taskType(JSON.readTree("{\"task_type\": \"regression\"}")));
        assertSame(MeanVariance.INSTANCE, RunReport.taskType(JSON.readTree("{\"task_type\": \"mve\"}")));
        assertSame(Regression.INSTANCE, RunReport.taskType(JSON.readTree("{\"task_type\": \"no-such-type\"}")));
    }

    /** Answer, per-pair detail, statistics and study tables of the fixture grid (no plots, so no image data). */
    private static String sections(Path dir, TaskType t) throws Exception {
        Path grid = GridReportFixture.write(dir.resolve("grid"));
        List<ResultRow> rows = StudySections.rows(JSON.readTree(grid.resolve("results.json").toFile()));
        Path bare = dir.resolve("bare");
        java.nio.file.Files.createDirectories(bare);
        ResultsFiles.write(bare, rows);
        JsonNode results = JSON.readTree(bare.resolve("results.json").toFile());
        Summary.Result stats = Summary.compute(rows, t);
        StringBuilder b = new StringBuilder(GridSections.answer(rows, stats, "")).append(GridSections.detail(rows, stats));
        StudySections.Rendered st = StudySections.render(bare, results, t);
        assertFalse(st.sections().isEmpty(), "the fixture has an ablation variant");
        st.sections().forEach(s -> b.append(s[0]).append(s[1]));
        return b.toString();
    }

    @Test
    void testPredictionsTakeTheTaskTypesMetrics(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("test_predictions.csv");
        java.nio.file.Files.writeString(csv, "smiles,y,y_pred\nC,1,1.5\nCC,2,2\nCCC,3,2.5\n");
        String reg = Predictions.render(csv, Regression.INSTANCE);
        assertTrue(reg.equals(Predictions.render(csv)), reg);
        assertTrue(reg.contains("RMSE") && reg.contains("MAE") && reg.contains("R²"), reg);
        String x = Predictions.render(csv, RenamedTaskType.INSTANCE);
        assertFalse(x.contains("RMSE") || x.contains("MAE"), x);
        assertTrue(x.contains("SCORE") && x.contains(String.format(java.util.Locale.ROOT, "%.6g", Math.sqrt(0.5 / 3))), x);
    }

    @Test
    void regressionGivesTodaysLabels(@TempDir Path dir) throws Exception {
        String x = sections(dir, Regression.INSTANCE);
        assertTrue(x.contains("Test RMSE, random split"), x);
        assertTrue(x.contains("the lowest mean of each row"), x);
        assertTrue(x.contains("(RMSE_other − RMSE_gear) / RMSE_other, positive = GEAR better"), x);
        assertTrue(x.contains("change = (RMSE − RMSE_gear) / RMSE_gear."), x);
    }

    @Test
    void anotherTaskTypeRenamesEveryLabel(@TempDir Path dir) throws Exception {
        String x = sections(dir, RenamedTaskType.INSTANCE);
        assertFalse(x.contains("RMSE"), x);
        assertTrue(x.contains("Test SCORE, random split"), x);
        assertTrue(x.contains("the highest mean of each row"), x);
        assertTrue(x.contains("(SCORE_gear − SCORE_other) / SCORE_other, positive = GEAR better"), x);
        assertTrue(x.contains("the baseline with the highest validation SCORE"), x);
        assertTrue(x.contains("change = (SCORE_gear − SCORE) / SCORE_gear."), x);
    }
}
