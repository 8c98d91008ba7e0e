package gear.transfer.ktask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.data.StandardScaler;
import gear.nn.Adam;
import gear.nn.Params;
import gear.nn.Torch;
import gear.train.EpochStats;
import gear.train.Provenance;
import gear.transfer.Methods;
import gear.transfer.PairData;
import gear.transfer.TransferModel;
import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;
import gear.transfer.TransferTrainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GATE and MTL across k tasks: with k = 2 (source, target) the same initial weights and first step as the two-task
 * methods (bit for bit) and the same per-epoch losses within float32 round-off; with k = 3 they train, every weight
 * gets a gradient, and the model file round-trips every task's predictions.
 */
class KTaskBaselinesTest {
    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gate", "mtl", "gear"})
    void twoTasksReproduceTheTwoTaskMethod(String name) {
        TransferOptions o = KFixture.small(2).with(TransferSchema.GATE_PHI_INIT, "isometric");
        StandardScaler u = KFixture.unit();
        TransferModel two = new TransferModel(Methods.get(name), o, 8, u, u, "s", "t", Provenance.now("", 8));
        KTaskModel k2 = new KTaskModel(KMethod.get(name), o, 8, List.of("s", "t"), 1, List.of(u, u));
        List<Tensor> a = List.copyOf(two.params().asMap().values());
        List<Tensor> b = List.copyOf(k2.params().asMap().values());
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertTrue(a.get(i).equal(b.get(i)), name + ": initial weight " + i + " differs");
        }
        PairData pd = KTaskGearTest.pair();
        KTaskData kd = KTaskData.fromPair(pd, "s", "t");
        Params p2 = two.params();
        Params pk = k2.params();
        int[] ti = {0, 3, 5, 7, 9, 11, 13, 15, 17, 19};
        int[] si = {1, 2, 4, 6, 8, 10, 12, 14, 16, 18};
        Map<String, Double> x = new TransferTrainer(two, 8, null).step(p2, new Adam(p2, 1e-3), pd, ti, si, 0, 0, 0, 0.0);
        Map<String, Double> y = new KTaskTrainer(k2, 8, null).step(new Adam(pk, 1e-3), kd, new int[][] {si, ti}, 0, 0);
        assertEquals(Methods.get(name).terms(), k2.method().terms());
        for (String term : k2.method().terms()) {
            assertEquals(x.get(term), y.get(term), 0.0, name + " step 0 " + term);
        }
        // whole runs from fresh models through the engine
        TransferModel two2 = new TransferModel(Methods.get(name), o, 8, u, u, "s", "t", Provenance.now("", 8));
        KTaskModel k22 = new KTaskModel(KMethod.get(name), o, 8, List.of("s", "t"), 1, List.of(u, u));
        TransferTrainer.Fit f2 = new TransferTrainer(two2, 8, null).fit(pd);
        KTaskTrainer.Fit fk = new KTaskTrainer(k22, 8, null).fit(kd);
        assertEquals(f2.history().size(), fk.history().size());
        for (int e = 0; e < f2.history().size(); e++) {
            EpochStats s = f2.history().get(e);
            EpochStats t = fk.history().get(e);
            for (String term : k2.method().terms()) {
                double vx = s.terms().get(term);
                double vy = t.terms().get(term);
                assertTrue(Math.abs(vx - vy) <= 1e-4 * Math.max(1e-6, Math.abs(vx)), name + " epoch " + e + " " + term + ": "
                        + vx + " vs " + vy);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gate", "mtl"})
    void threeTasksTrainEveryWeightAndRoundTrip(String name, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        KTaskData d = KFixture.data(3);
        List<StandardScaler> sc = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            sc.add(new StandardScaler(new double[] {t}, new double[] {1 + t}));
        }
        KTaskModel m = new KTaskModel(KMethod.get(name), KFixture.small(1), 4, d.names(), d.primary(), sc);
        Params p = m.params();
        Map<String, Double> terms = new KTaskTrainer(m, 4, null).step(new Adam(p, 1e-3), d,
                new int[][] {{0, 1, 2, 3, 4}, {0, 1, 2, 3, 4}, {5, 6, 7, 8, 9}}, 0, 0);
        assertTrue(terms.keySet().containsAll(m.method().terms()), terms.toString());
        for (Map.Entry<String, Tensor> e : p.asMap().entrySet()) {
            Tensor g = e.getValue().grad();
            assertTrue(g != null && g.defined() && g.abs().sum().item_double() > 0, name + ": no gradient for " + e.getKey());
        }
        java.nio.file.Path f = dir.resolve("m.gear");
        KTaskModelFile.save(f, m);
        KTaskModel back = KTaskModelFile.load(f);
        assertEquals(name, back.method().name());
        assertEquals(d.names(), back.names());
        for (int t = 0; t < 3; t++) {
            double[] a = m.predict(t, d.valGraphs());
            double[] b = back.predict(t, d.valGraphs());
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 0.0, name + " task " + t);
            }
        }
    }
}
