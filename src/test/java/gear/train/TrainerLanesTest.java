package gear.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.chem.MolGraph;
import gear.data.StandardScaler;
import gear.nn.DmpnnConfig;
import gear.nn.Tensors;
import gear.nn.Torch;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code gear train --threads 2}: the D-MPNN data-parallel on two lanes trains to the losses, validation scores and
 * weights of one lane, up to float32 rounding, with and without dropout.
 */
class TrainerLanesTest {
    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    @Test
    void twoLanesTrainLikeOne() {
        List<MolGraph> g = Fixtures.graphs(Fixtures.smiles(90, 5));
        GraphSet train = Fixtures.set(g.subList(0, 70), 2);
        GraphSet val = Fixtures.set(g.subList(70, 90), 2);
        for (double p : new double[] {0, 0.2}) {
            DmpnnConfig cfg = DmpnnConfig.defaults(2).withHiddenSize(24).withDropout(p);
            TrainOptions o = TrainOptions.defaults().with(TrainOptions.EPOCHS, 3).with(TrainOptions.BATCH_SIZE, 16)
                    .with(TrainOptions.SEED, 4L);
            StandardScaler sc = StandardScaler.fit(train.targets());
            TrainResult one = new Trainer(cfg, o).lanes(1).fit(train, val, sc);
            TrainResult two = new Trainer(cfg, o).lanes(2).fit(train, val, sc);
            assertEquals(one.history().size(), two.history().size());
            for (int e = 0; e < one.history().size(); e++) {
                EpochStats a = one.history().get(e);
                EpochStats b = two.history().get(e);
                double la = a.terms().get(Objective.TOTAL);
                assertEquals(la, b.terms().get(Objective.TOTAL), 1e-5 * Math.max(1, la), "dropout " + p + " epoch " + e + " loss");
                assertEquals(a.valScore(), b.valScore(), 1e-5 * Math.max(1, Math.abs(a.valScore())), "epoch " + e + " score");
            }
            Map<String, Tensor> w1 = one.model().network().params().asMap();
            Map<String, Tensor> w2 = two.model().network().params().asMap();
            for (String k : w1.keySet()) {
                double[] x = Tensors.toDoubles(w1.get(k));
                double[] y = Tensors.toDoubles(w2.get(k));
                double d = 0;
                for (int i = 0; i < x.length; i++) {
                    d = Math.max(d, Math.abs(x[i] - y[i]));
                }
                assertTrue(d <= 1e-5, "dropout " + p + " " + k + ": weights differ by " + d);
            }
        }
    }
}
