package gear.transfer.ktask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.data.StandardScaler;
import gear.nn.Torch;
import gear.train.EpochStats;
import gear.train.Provenance;
import gear.transfer.Methods;
import gear.transfer.PairData;
import gear.transfer.TransferModel;
import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;
import gear.transfer.TransferTrainer;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With k = 2, tasks (source, target) and the target primary, k-task GEAR trains the two-task GEAR: same initial
 * weights (bit for bit), same per-epoch losses and validation scores at a fixed seed within float32 round-off,
 * for each curvature-loss form.
 */
class KTaskGearTest {
    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    static PairData pair() {
        KTaskData d = KFixture.data(2);
        float[][] s = d.labels().get(0);
        float[][] t = d.labels().get(1);
        return new PairData(d.graphs().get(0), s[0], s[1], d.graphs().get(1), t[1], t[0], d.valGraphs(), d.valY());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mse", "relative", "standardized"})
    void twoTasksReproduceTwoTaskGear(String form) {
        TransferOptions o = KFixture.small(3).with(TransferSchema.CURV_LOSS, form);
        StandardScaler u = KFixture.unit();
        TransferModel two = new TransferModel(Methods.get("gear"), o, 5, u, u, "s", "t", Provenance.now("", 5));
        KTaskModel k2 = new KTaskModel(o, 5, List.of("s", "t"), 1, List.of(u, u));
        // the same initial weights, in the same order
        List<Tensor> a = List.copyOf(two.params().asMap().values());
        List<Tensor> b = List.copyOf(k2.params().asMap().values());
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertTrue(a.get(i).equal(b.get(i)), "initial weight " + i + " differs");
        }
        PairData pd = pair();
        TransferTrainer.Fit f2 = new TransferTrainer(two, 5, null).fit(pd);
        KTaskTrainer.Fit fk = new KTaskTrainer(k2, 5, null).fit(KTaskData.fromPair(pd, "s", "t"));
        assertEquals(f2.history().size(), fk.history().size());
        assertEquals(3, fk.history().size());
        double worst = 0;
        for (int e = 0; e < f2.history().size(); e++) {
            EpochStats x = f2.history().get(e);
            EpochStats y = fk.history().get(e);
            for (String term : KGear.TERMS) {
                double vx = x.terms().get(term);
                double vy = y.terms().get(term);
                double rel = Math.abs(vx - vy) / Math.max(1e-6, Math.abs(vx));
                worst = Math.max(worst, rel);
                assertTrue(rel <= 1e-4, form + " epoch " + e + " " + term + ": two-task " + vx + ", k-task " + vy);
            }
            assertEquals(x.valScore(), y.valScore(), 1e-4 * Math.abs(x.valScore()), "validation score, epoch " + e);
        }
        assertTrue(f2.history().get(0).terms().get("curv") > 0, "the curvature term takes part");
        System.out.println("k=2 vs two-task GEAR (" + form + "): largest relative difference of a per-epoch term " + worst);
        assertEquals(f2.bestEpoch(), fk.bestEpoch());
    }

    /**
     * The first step's terms are bit-identical (same weights, molecules, labels and random draws); after it the
     * gradients agree up to float32 summation order, so the second step's terms agree to round-off.
     */
    @org.junit.jupiter.api.Test
    void firstStepIsBitIdentical() {
        TransferOptions o = KFixture.small(1);
        StandardScaler u = KFixture.unit();
        TransferModel two = new TransferModel(Methods.get("gear"), o, 6, u, u, "s", "t", Provenance.now("", 6));
        KTaskModel k2 = new KTaskModel(o, 6, List.of("s", "t"), 1, List.of(u, u));
        PairData pd = pair();
        KTaskData kd = KTaskData.fromPair(pd, "s", "t");
        gear.nn.Params p2 = two.params();
        gear.nn.Params pk = k2.params();
        TransferTrainer t2 = new TransferTrainer(two, 6, null);
        KTaskTrainer tk = new KTaskTrainer(k2, 6, null);
        gear.nn.Adam a2 = new gear.nn.Adam(p2, 1e-3);
        gear.nn.Adam ak = new gear.nn.Adam(pk, 1e-3);
        int[] ti = {0, 3, 5, 7, 9, 11, 13, 15, 17, 19};
        int[] si = {1, 2, 4, 6, 8, 10, 12, 14, 16, 18};
        Map<String, Double> x = t2.step(p2, a2, pd, ti, si, 0, 0, 0, 0.0);
        Map<String, Double> y = tk.step(ak, kd, new int[][] {si, ti}, 0, 0);
        for (String term : KGear.TERMS) {
            assertEquals(x.get(term), y.get(term), 0.0, "step 0 " + term);
        }
        x = t2.step(p2, a2, pd, si, ti, 1, 0, 0, 0.0);
        y = tk.step(ak, kd, new int[][] {ti, si}, 1, 0);
        for (String term : KGear.TERMS) {
            assertEquals(x.get(term), y.get(term), 1e-5 * Math.abs(x.get(term)), "step 1 " + term);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4})
    void moreTasksTrainAndPredict(int k) {
        KTaskData d = KFixture.data(k);
        StandardScaler u = KFixture.unit();
        java.util.List<StandardScaler> sc = new java.util.ArrayList<>();
        for (int t = 0; t < k; t++) {
            sc.add(u);
        }
        KTaskModel m = new KTaskModel(KFixture.small(2), 9, d.names(), d.primary(), sc);
        KTaskTrainer.Fit f = new KTaskTrainer(m, 9, null).fit(d);
        assertEquals(2, f.history().size());
        for (EpochStats e : f.history()) {
            for (Map.Entry<String, Double> t : e.terms().entrySet()) {
                assertTrue(Double.isFinite(t.getValue()), "epoch " + e.epoch() + " " + t.getKey() + " " + t.getValue());
            }
            assertTrue(e.terms().get("cons") > 0 && e.terms().get("curv") > 0, e.terms().toString());
        }
        assertTrue(Double.isFinite(f.bestValScore()));
        for (int t = 0; t < k; t++) {
            double[] p = m.predict(t, d.valGraphs());
            for (double v : p) {
                assertTrue(Double.isFinite(v));
            }
        }
    }
}
