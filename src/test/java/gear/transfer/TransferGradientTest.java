package gear.transfer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.chem.Chem;
import gear.chem.MolGraph;
import gear.nn.Adam;
import gear.nn.Params;
import gear.nn.Tensors;
import gear.nn.Torch;
import gear.train.Provenance;
import gear.data.StandardScaler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * After one training step every weight of both tasks' networks has a non-zero gradient (no term is
 * accidentally detached), and the GEAR model's curvature on real molecules is finite and non-zero.
 */
class TransferGradientTest {
    static final List<String> SMILES = List.of("CCO", "CC(=O)O", "c1ccccc1O", "CCN(CC)CC", "ClCCl", "CC(C)CO",
            "OCC(O)CO", "c1ccncc1", "CCOC(=O)C", "CC#N", "C1CCCCC1", "CCCCCCCC", "Oc1ccc(Cl)cc1", "CC(=O)c1ccccc1",
            "NCCO", "CSC", "FC(F)(F)c1ccccc1", "O=C1CCCCC1", "CCCl", "COc1ccccc1");
    static List<MolGraph> graphs = new ArrayList<>();

    @BeforeAll
    static void init() throws Exception {
        Torch.init(1);
        for (String s : SMILES) {
            graphs.add(Chem.featurize(s));
        }
    }

    static TransferModel model(TransferMethod m) {
        TransferOptions o = PairFixture.small(1).with(TransferSchema.PERTURBATIONS, 2).with(TransferSchema.CURV_SUBSET, 6);
        return new TransferModel(m, o, 3, new StandardScaler(new double[] {0}, new double[] {1}),
                new StandardScaler(new double[] {0}, new double[] {1}), "s", "t", Provenance.now("", 3));
    }

    /** 10 target molecules (labelled for the target, half also for the source) and 10 source molecules. */
    static PairData data() {
        float[] a = new float[10];
        float[] b = new float[10];
        float[] nan = new float[10];
        for (int i = 0; i < 10; i++) {
            a[i] = (float) Math.sin(i);
            b[i] = i % 2 == 0 ? (float) Math.cos(i) : Float.NaN;
            nan[i] = i % 3 == 0 ? 0.3f : Float.NaN;
        }
        return new PairData(graphs.subList(10, 20), a, nan, graphs.subList(0, 10), a.clone(), b, List.of(), new double[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gear", "gate", "mtl"})
    void everyWeightGetsAGradient(String name) {
        TransferMethod method = Methods.get(name);
        TransferModel m = model(method);
        TransferTrainer tr = new TransferTrainer(m, 3, null);
        Params p = m.params();
        int[] ti = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        int[] si = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        Map<String, Double> terms = tr.step(p, new Adam(p, 1e-3), data(), ti, si, 0, 0, 0, 0.0);
        assertTrue(terms.keySet().containsAll(method == Methods.get("gear") ? List.of("reg", "auto", "cons", "map", "metric", "curv")
                : method == Methods.get("gate") ? List.of("reg", "auto", "cons", "map", "dis") : List.of("reg")), terms.toString());
        for (Map.Entry<String, Tensor> e : p.asMap().entrySet()) {
            Tensor g = e.getValue().grad();
            assertTrue(g != null && g.defined(), method + ": no gradient for " + e.getKey());
            double s = g.abs().sum().item_double();
            assertTrue(s > 0 && Double.isFinite(s), method + ": gradient of " + e.getKey() + " is " + s);
        }
    }

    @Test
    void curvatureTermAloneReachesEveryEmbeddingWeight() {
        // only l_curv (all other weights 0 except the unavoidable l_reg on unlabelled rows: masked to 0)
        TransferOptions o = PairFixture.small(1).with(TransferSchema.W_AUTO, 0.0).with(TransferSchema.W_CONS, 0.0)
                .with(TransferSchema.W_MAP, 0.0).with(TransferSchema.W_METRIC, 0.0).with(TransferSchema.W_CURV, 1.0)
                .with(TransferSchema.W_DIS, 0.0).with(TransferSchema.W_KD, 0.0).with(TransferSchema.CURV_SUBSET, 10);
        TransferModel m = new TransferModel(Methods.get("gear"), o, 4, new StandardScaler(new double[] {0}, new double[] {1}),
                new StandardScaler(new double[] {0}, new double[] {1}), "s", "t", Provenance.now("", 4));
        float[] nan = new float[10];
        java.util.Arrays.fill(nan, Float.NaN);
        PairData d = new PairData(graphs.subList(10, 20), nan, nan, graphs.subList(0, 10), nan, nan, List.of(), new double[0]);
        Params p = m.params();
        new TransferTrainer(m, 4, null).step(p, new Adam(p, 1e-3), d, new int[] {0, 1, 2, 3, 4},
                new int[] {0, 1, 2, 3, 4}, 0, 0, 0, 0.0);
        for (String k : List.of("source.embedding.W_i.weight", "target.embedding.W_i.weight", "source.phi.0.weight",
                "target.phi.1.weight", "source.encoder.0.weight", "target.encoder.1.weight")) {
            Tensor g = p.get(k).grad();
            assertTrue(g != null && g.defined() && g.abs().sum().item_double() > 0, "l_curv gives no gradient to " + k);
        }
    }

    @Test
    void gearCurvatureOnRealMoleculesIsFiniteAndNonZero() {
        TransferModel m = model(Methods.get("gear"));
        for (Task t : Task.values()) {
            var d = Diagnostics.evaluate(m, t, m.latent(t, graphs), gear.geometry.Curvature.Route.GAUSS);
            int nonZero = 0;
            for (int i = 0; i < graphs.size(); i++) {
                assertTrue(Double.isFinite(d.ricci()[i]), t + " R[" + i + "] = " + d.ricci()[i]);
                nonZero += !d.singular()[i] && Math.abs(d.ricci()[i]) > 1e-6 ? 1 : 0;
            }
            assertTrue(nonZero >= graphs.size() - 1, t + ": only " + nonZero + " non-zero curvatures");
            var di = Diagnostics.evaluate(m, t, m.latent(t, graphs), gear.geometry.Curvature.Route.INTRINSIC);
            for (int i = 0; i < graphs.size(); i++) {
                if (!d.singular()[i]) {
                    assertTrue(Math.abs(d.ricci()[i] - di.ricci()[i]) <= 1e-2 * Math.max(1, Math.abs(d.ricci()[i])),
                            "routes differ at " + i + ": " + d.ricci()[i] + " vs " + di.ricci()[i]);
                }
            }
        }
    }
}
