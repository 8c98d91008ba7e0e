package gear.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.chem.MolGraph;
import gear.data.BadInputException;
import gear.data.StandardScaler;
import gear.nn.Dmpnn;
import gear.nn.DmpnnConfig;
import gear.nn.HeadLoss;
import gear.nn.SafeTensors;
import gear.nn.Tensors;
import gear.nn.Torch;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ensembles, the mean-variance task type and the model file that holds them. */
class UncertaintyTest {
    static List<MolGraph> graphs;

    @BeforeAll
    static void init() {
        Torch.init(1);
        graphs = Fixtures.graphs(Fixtures.smiles(60, 4));
    }

    private static TrainedModel train(DmpnnConfig cfg, TaskType type, long initSeed, GraphSet tr, GraphSet va, int epochs) {
        Trainer t = new Trainer(cfg, TrainOptions.defaults().with(TrainOptions.EPOCHS, epochs).with(TrainOptions.BATCH_SIZE, 10).with(TrainOptions.SEED, 11L))
                .targetNames(List.of("y")).taskType(type);
        return t.fit(new Dmpnn(cfg, initSeed), tr, va, StandardScaler.fit(tr.targets())).model();
    }

    /** The must-hold test: N members trained with identical seeds predict exactly what one of them predicts, std 0. */
    @Test
    void ensembleOfIdenticalSeedsEqualsOneModel(@TempDir Path dir) throws Exception {
        DmpnnConfig cfg = new DmpnnConfig(16, 2, 0, 16, 2, 1, false);
        GraphSet tr = Fixtures.set(graphs.subList(0, 50), 1);
        GraphSet va = Fixtures.set(graphs.subList(50, 60), 1);
        TrainedModel one = train(cfg, Regression.INSTANCE, 5, tr, va, 2);
        List<TrainedModel> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(train(cfg, Regression.INSTANCE, 5, tr, va, 2));
        }
        Ensemble e = new Ensemble(members, null);
        double[][] want = one.predict(graphs);
        Ensemble.Output o = e.predict(graphs);
        for (int i = 0; i < want.length; i++) {
            assertArrayEquals(want[i], o.mean()[i], 0.0, "molecule " + i);
            assertEquals(0.0, o.std()[i][0], 0.0, "molecule " + i);
        }
        // and after a save and load (the dmpnn-ensemble kind, three members)
        Path f = dir.resolve("ens.gear");
        ModelFile.save(f, e, new long[] {5, 5, 5});
        Map<String, String> md = SafeTensors.read(f).metadata();
        assertEquals("1", md.get("format_version"));
        assertEquals(ModelFile.ENSEMBLE, md.get("model_type"));
        assertEquals("3", md.get("ensemble_size"));
        assertEquals("regression", md.get("task_type"));
        Ensemble back = ModelFile.loadEnsemble(f);
        assertEquals(3, back.size());
        Ensemble.Output b = back.predict(graphs);
        for (int i = 0; i < want.length; i++) {
            assertArrayEquals(want[i], b.mean()[i], 0.0, "molecule " + i);
        }
        BadInputException x = assertThrows(BadInputException.class, () -> ModelFile.load(f));
        assertTrue(x.getMessage().contains("ensemble of 3") && x.getMessage().contains(f.toString()), x.getMessage());
    }

    /** Different members: the mean is the members' mean and the std their population std (times the z-scale). */
    @Test
    void ensembleMeanAndStdOfDifferentMembers(@TempDir Path dir) throws Exception {
        DmpnnConfig cfg = new DmpnnConfig(16, 2, 0, 16, 2, 1, false);
        GraphSet tr = Fixtures.set(graphs.subList(0, 50), 1);
        GraphSet va = Fixtures.set(graphs.subList(50, 60), 1);
        TrainedModel a = train(cfg, Regression.INSTANCE, 1, tr, va, 2);
        TrainedModel b = train(cfg, Regression.INSTANCE, 2, tr, va, 2);
        Ensemble e = new Ensemble(List.of(a, b), new double[] {2.0});
        double[][] pa = a.predict(graphs);
        double[][] pb = b.predict(graphs);
        Path f = dir.resolve("ens.gear");
        ModelFile.save(f, e, new long[] {1, 2});
        Ensemble.Output o = ModelFile.loadEnsemble(f).predict(graphs);
        for (int i = 0; i < pa.length; i++) {
            double m = (pa[i][0] + pb[i][0]) / 2;
            assertEquals(m, o.mean()[i][0], 1e-9);
            assertEquals(2.0 * Math.abs(pa[i][0] - pb[i][0]) / 2, o.std()[i][0], 1e-9);
        }
    }

    /** One plain regression member is written as a plain dmpnn model, as before. */
    @Test
    void aPlainModelStaysFormatVersionOne(@TempDir Path dir) throws Exception {
        DmpnnConfig cfg = new DmpnnConfig(8, 2, 0, 8, 1, 1, false);
        TrainedModel m = train(cfg, Regression.INSTANCE, 1, Fixtures.set(graphs.subList(0, 50), 1),
                Fixtures.set(graphs.subList(50, 60), 1), 1);
        Path viaEnsemble = dir.resolve("a.gear");
        Path plain = dir.resolve("b.gear");
        ModelFile.save(viaEnsemble, Ensemble.of(m), new long[] {1});
        ModelFile.save(plain, m);
        assertEquals(SafeTensors.read(plain).metadata().keySet(), SafeTensors.read(viaEnsemble).metadata().keySet());
        assertEquals(ModelFile.DMPNN, SafeTensors.read(viaEnsemble).metadata().get("model_type"));
        assertArrayEquals(SafeTensors.read(plain).tensors().keySet().toArray(),
                SafeTensors.read(viaEnsemble).tensors().keySet().toArray());
        assertTrue(!ModelFile.loadEnsemble(viaEnsemble).hasUncertainty());
    }

    /** A model file written by an earlier build (format 1, the reference file) loads as a one-member ensemble. */
    @Test
    void oldModelFilesLoadAsOneMember(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("dmpnn-v1.gear");
        try (InputStream in = UncertaintyTest.class.getResourceAsStream("/gear/reference/dmpnn-v1.gear")) {
            Files.copy(in, f);
        }
        Ensemble e = ModelFile.loadEnsemble(f);
        assertEquals(1, e.size());
        assertTrue(!e.hasUncertainty());
        assertNull(e.zScale());
        double[][] want = ModelFile.load(f).predict(graphs);
        Ensemble.Output o = e.predict(graphs);
        assertNull(o.std());
        for (int i = 0; i < want.length; i++) {
            assertArrayEquals(want[i], o.mean()[i], 0.0);
        }
    }

    /** The hand gradient of the Gaussian NLL at the head equals autograd's gradient of the same loss. */
    @Test
    void meanVarianceHeadGradientMatchesAutograd() {
        Random r = new Random(3);
        int n = 7;
        int t = 2;
        double[] out = new double[n * 2 * t];
        double[] y = new double[n * t];
        double[] mask = new double[n * t];
        for (int i = 0; i < out.length; i++) {
            out[i] = r.nextGaussian() * 2;
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextGaussian();
            mask[i] = i % 4 == 0 ? 0 : 1;
        }
        Tensor o = Tensors.of(out, n, 2 * t);
        Tensor target = Tensors.of(y, n, t);
        HeadLoss.Value v = MeanVariance.INSTANCE.headLoss(target, Tensors.of(mask, n, t)).apply(o);
        double[] ynan = y.clone();
        for (int i = 0; i < ynan.length; i++) {
            ynan[i] = mask[i] == 0 ? Double.NaN : y[i];
        }
        Tensor leaf = o.clone().requires_grad_(true);
        Tensor loss = MeanVariance.INSTANCE.loss(leaf, Tensors.of(ynan, n, t));
        loss.backward();
        assertEquals(loss.item_double(), v.loss(), 1e-10);
        assertArrayEquals(Tensors.toDoubles(leaf.grad()), Tensors.toDoubles(v.gradient()), 1e-10);
    }

    /**
     * The must-hold test: on synthetic heteroscedastic data (y = 2·[molecule has N] + ε, ε ~ N(0, σ²) with σ = 0.5
     * without nitrogen and σ = 2 with it) a mean-variance D-MPNN recovers each group's noise level within 20 %
     * (mean predicted std over the group's molecules; 800 molecules, 40 epochs, max_lr 3e-3; the shifted mean makes
     * the network learn the nitrogen feature, from which the variance head then reads the noise level).
     */
    @Test
    void meanVarianceRecoversTheNoiseLevel() {
        List<MolGraph> g = Fixtures.graphs(Fixtures.smiles(800, 21));
        Random r = new Random(8);
        double[][] y = new double[g.size()][1];
        boolean[] hasN = new boolean[g.size()];
        for (int i = 0; i < g.size(); i++) {
            hasN[i] = Fixtures.count(g.get(i), 7) > 0;
            y[i][0] = (hasN[i] ? 2 : 0) + r.nextGaussian() * (hasN[i] ? 2.0 : 0.5);
        }
        GraphSet tr = new GraphSet(g.subList(0, 700), java.util.Arrays.copyOfRange(y, 0, 700));
        GraphSet va = new GraphSet(g.subList(700, 800), java.util.Arrays.copyOfRange(y, 700, 800));
        DmpnnConfig cfg = new DmpnnConfig(32, 2, 0, 32, 2, 2, false);
        TrainedModel m = new Trainer(cfg, TrainOptions.defaults().with(TrainOptions.EPOCHS, 40).with(TrainOptions.BATCH_SIZE, 50).with(TrainOptions.SEED, 3L)
                .with(TrainOptions.INIT_LR, 1e-4).with(TrainOptions.MAX_LR, 3e-3).with(TrainOptions.FINAL_LR, 1e-4))
                .targetNames(List.of("y")).taskType(MeanVariance.INSTANCE)
                .fit(tr, va, StandardScaler.fit(tr.targets())).model();
        assertTrue(m.hasVariance());
        TrainedModel.Prediction p = m.predictWithVariance(g);
        double[] sum = new double[2];
        int[] cnt = new int[2];
        for (int i = 0; i < g.size(); i++) {
            int k = hasN[i] ? 1 : 0;
            sum[k] += Math.sqrt(p.variance()[i][0]);
            cnt[k]++;
        }
        assertTrue(cnt[0] > 100 && cnt[1] > 100, "group sizes " + cnt[0] + ", " + cnt[1]);
        double low = sum[0] / cnt[0];
        double high = sum[1] / cnt[1];
        assertEquals(0.5, low, 0.5 * 0.2, "predicted std without N (true 0.5): " + low);
        assertEquals(2.0, high, 2.0 * 0.2, "predicted std with N (true 2): " + high);
    }
}
