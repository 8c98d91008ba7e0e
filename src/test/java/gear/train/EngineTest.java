package gear.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.nn.Params;
import gear.nn.Tensors;
import gear.nn.Torch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine on a one-parameter objective whose validation scores are scripted. */
class EngineTest {
    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    /** l = (w − 3)², one batch per epoch; validation scores from a list; a NaN loss at (epoch, batch) when asked. */
    static final class Quadratic implements Objective {
        final Params params = new Params();
        final double[] scores;
        final int badEpoch;
        Tensor loss;

        Quadratic(double[] scores, int badEpoch) {
            params.add("w", Tensors.of(new float[] {0f}, 1).requires_grad_(true));
            this.scores = scores;
            this.badEpoch = badEpoch;
        }

        @Override
        public Params params() {
            return params;
        }

        @Override
        public int trainSize() {
            return 4;
        }

        @Override
        public List<int[]> batches(int epoch) {
            return Engine.shuffledBatches(4, 2, 0, epoch);
        }

        @Override
        public Map<String, Double> forward(int epoch, int batch, int[] idx, long step, PointerScope scope) {
            params.zeroGrad();
            Tensor d = params.get("w").sub(new org.bytedeco.pytorch.Scalar(3.0));
            loss = d.mul(d).sum();
            if (epoch == badEpoch && batch == 1) {
                loss = loss.mul(new org.bytedeco.pytorch.Scalar(Double.NaN));
            }
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("sq", loss.item_double());
            m.put(TOTAL, loss.item_double());
            return m;
        }

        @Override
        public void backward() {
            loss.backward();
        }

        @Override
        public double validate(int epoch, int lastBatch) {
            return scores[epoch];
        }

        @Override
        public String fingerprint() {
            return "quadratic";
        }
    }

    static TrainOptions options(int epochs, int patience, double minDelta) {
        return TrainOptions.defaults().with(TrainOptions.EPOCHS, epochs).with(TrainOptions.BATCH_SIZE, 2)
                .with(TrainOptions.INIT_LR, 1e-2).with(TrainOptions.MAX_LR, 1e-1).with(TrainOptions.FINAL_LR, 1e-2)
                .with(TrainOptions.WARMUP_EPOCHS, 0.0).with(TrainOptions.PATIENCE, patience).with(TrainOptions.MIN_DELTA, minDelta)
                .with(TrainOptions.SEED, 0L);
    }

    @Test
    void divergenceNamesEpochAndBatch() {
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new Engine(options(4, 0, 0), Regression.INSTANCE).run("train", new Quadratic(new double[4], 2)));
        assertEquals(2, e.epoch());
        assertEquals(1, e.batch());
    }

    @Test
    void minimumImprovementAndPatience() {
        // scores 5, 4.95, 4.9, 4.85, ...: each better by 0.05; with min_delta 0.1 none after the first counts
        double[] s = {5, 4.95, 4.9, 4.85, 4.8, 4.75};
        Engine.Result r = new Engine(options(6, 2, 0.1), Regression.INSTANCE).run("train", new Quadratic(s, -1));
        assertEquals(0, r.bestEpoch());
        assertTrue(r.stoppedEarly());
        assertEquals(3, r.history().size());
        Engine.Result all = new Engine(options(6, 2, 0.0), Regression.INSTANCE).run("train", new Quadratic(s, -1));
        assertEquals(5, all.bestEpoch());
        assertEquals(6, all.history().size());
        assertEquals(List.of("sq", "total"), List.copyOf(all.history().get(0).terms().keySet()));
    }

    @Test
    void theTaskTypeDecidesTheDirection() {
        TaskType higher = new TaskType() {
            @Override
            public String name() {
                return "score";
            }

            @Override
            public String metricName() {
                return "auc";
            }

            @Override
            public boolean higherIsBetter() {
                return true;
            }

            @Override
            public double[] metric(double[][] pred, double[][] truth) {
                throw new UnsupportedOperationException();
            }

            @Override
            public gear.data.StandardScaler fitScaler(double[][] y) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Tensor loss(Tensor p, Tensor y) {
                throw new UnsupportedOperationException();
            }

            @Override
            public gear.nn.HeadLoss headLoss(Tensor y, Tensor m) {
                throw new UnsupportedOperationException();
            }
        };
        double[] s = {0.5, 0.9, 0.7};
        assertEquals(1, new Engine(options(3, 0, 0), higher).run("train", new Quadratic(s, -1)).bestEpoch());
        assertEquals(0, new Engine(options(3, 0, 0), Regression.INSTANCE).run("train", new Quadratic(s, -1)).bestEpoch());
    }
}
