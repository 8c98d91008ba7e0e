package gear.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.data.StandardScaler;
import gear.nn.HeadLoss;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The names of the metric in metrics.csv, the epoch logs and the summaries come from the {@link TaskType}:
 * regression gives today's names ({@code val_rmse}, {@code train_rmse}, RMSE/MAE/R2), and another task type
 * renames every one of them.
 */
class TaskTypeNamesTest {
    /** Regression's loss with another metric name and label (what a new task type changes). */
    static final class Renamed implements TaskType {
        @Override
        public String name() {
            return "renamed";
        }

        @Override
        public String metricName() {
            return "mae";
        }

        @Override
        public String metricLabel() {
            return "MAE";
        }

        @Override
        public String lossLabel() {
            return "L1";
        }

        @Override
        public List<String> testLabels() {
            return List.of("MAE", "MAX");
        }

        @Override
        public double[] testMetrics(double[] pred, double[] truth) {
            return new double[] {0, 0};
        }

        @Override
        public boolean higherIsBetter() {
            return false;
        }

        @Override
        public double[] metric(double[][] pred, double[][] truth) {
            return Regression.INSTANCE.metric(pred, truth);
        }

        @Override
        public StandardScaler fitScaler(double[][] trainTargets) {
            return Regression.INSTANCE.fitScaler(trainTargets);
        }

        @Override
        public Tensor loss(Tensor pred, Tensor target) {
            return Regression.INSTANCE.loss(pred, target);
        }

        @Override
        public HeadLoss headLoss(Tensor target, Tensor mask) {
            return Regression.INSTANCE.headLoss(target, mask);
        }
    }

    private static final EpochStats E = new EpochStats("train", 0, 2, Map.of("a", 1.0), 0.5, 0.001, 1.25, true);

    @Test
    void regressionGivesTodaysNames() {
        TaskType r = Regression.INSTANCE;
        assertEquals("val_rmse", r.valColumn());
        assertEquals("train_rmse", r.trainColumn());
        assertEquals("RMSE", r.metricLabel());
        assertEquals("RMSE 1.2346  MAE 2.0000  R2 -0.5000", r.testSummary(1.23456, 2, -0.5));
        assertEquals(RunWriter.epochMetricsCsv(List.of(E)), RunWriter.epochMetricsCsv(r, List.of(E)));
        assertEquals(TrainListeners.line(E), TrainListeners.line(E, r));
        assertTrue(TrainListeners.line(E).contains("  val_rmse 0.50000  "), TrainListeners.line(E));
        double[] m = r.testMetrics(new double[] {1, 2, 3}, new double[] {1, 2, 5});
        assertEquals(Math.sqrt(4.0 / 3), m[0], 1e-12);
        assertEquals(2.0 / 3, m[1], 1e-12);
    }

    @Test
    void anotherTaskTypeRenamesEveryColumnAndLabel() {
        TaskType t = new Renamed();
        assertEquals("epoch,train_loss,val_mae,lr,seconds", RunWriter.epochMetricsCsv(t, List.of(E)).lines().findFirst()
                .orElseThrow());
        assertEquals("phase,epoch,a,val_mae,lr,seconds,kept", RunWriter.termMetricsCsv(t, List.of("a"), List.of(E)).lines()
                .findFirst().orElseThrow());
        String line = TrainListeners.line(E, t);
        assertTrue(line.contains("val_mae 0.50000") && !line.contains("rmse"), line);
        assertEquals("train_mae", t.trainColumn());
        assertEquals("MAE 1.0000  MAX 2.0000", t.testSummary(1, 2));
        assertFalse(t.testSummary(1, 2).contains("RMSE"));
    }
}
