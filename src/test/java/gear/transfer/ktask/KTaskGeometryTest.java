package gear.transfer.ktask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.data.StandardScaler;
import gear.geometry.AutogradDerivatives;
import gear.geometry.Curvature;
import gear.geometry.CurvatureResult;
import gear.geometry.Derivatives;
import gear.geometry.MlpDerivatives;
import gear.geometry.SiluMlp;
import gear.nn.Adam;
import gear.nn.BatchGraph;
import gear.nn.Params;
import gear.nn.Tensors;
import gear.nn.Torch;
import gear.transfer.TaskNetwork;
import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The derivative and curvature checks of the geometry package on every task network of a k = 3 model: the
 * analytic J, H, T of each φ_τ against nested autograd at the task's latent points of real molecules, the Gauss
 * and intrinsic routes of R agreeing there, R finite and non-zero; and after one k-task step every weight of every
 * task has a non-zero finite gradient, the curvature term alone included.
 */
class KTaskGeometryTest {
    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    static KTaskModel model(TransferOptions o, int k) {
        List<StandardScaler> sc = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            sc.add(KFixture.unit());
        }
        List<String> names = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            names.add("p" + t);
        }
        return new KTaskModel(o, 3, names, k - 1, sc);
    }

    private static double relErr(Tensor a, Tensor b) {
        double num = a.sub(b).abs().max().item_double();
        double den = Math.max(1e-12, b.abs().max().item_double());
        return num / den;
    }

    /** A float64 copy of a float32 SiLU MLP (the geometry tests' precision). */
    private static SiluMlp float64(SiluMlp phi) {
        SiluMlp c = SiluMlp.float64(new Params(), "copy", phi.widths());
        try (NoGradGuard g = new NoGradGuard()) {
            for (int l = 0; l < phi.layers(); l++) {
                c.weight(l).copy_(phi.weight(l).detach().to(ScalarType.Double));
                c.bias(l).copy_(phi.bias(l).detach().to(ScalarType.Double));
            }
        }
        return c;
    }

    @Test
    void derivativesAndCurvatureHoldForEveryTaskNetwork() {
        KTaskModel m = model(KFixture.small(1), 3);
        KTaskData d = KFixture.data(3);
        for (int t = 0; t < 3; t++) {
            try (PointerScope s = new PointerScope()) {
                TaskNetwork net = m.network(t);
                Tensor z;
                try (NoGradGuard g = new NoGradGuard()) {
                    z = net.latent(BatchGraph.of(d.graphs().get(t).subList(0, 5), ScalarType.Float), false).detach()
                            .to(ScalarType.Double);
                }
                SiluMlp phi = float64(net.phi());
                // (a) analytic J, H, T against nested autograd
                Derivatives an = new MlpDerivatives(phi).derivatives(z, 3);
                Derivatives ag = AutogradDerivatives.of(phi).derivatives(z, 3);
                assertTrue(relErr(an.jacobian(), ag.jacobian()) <= 1e-10, "task " + t + " J");
                assertTrue(relErr(an.hessian(), ag.hessian()) <= 1e-10, "task " + t + " H");
                assertTrue(relErr(an.third(), ag.third()) <= 1e-10, "task " + t + " T");
                // (b) the two curvature routes agree, R finite and non-zero
                Curvature.Options f64 = Curvature.Options.defaults(ScalarType.Double);
                CurvatureResult in = Curvature.ricciScalar(an, Curvature.Route.INTRINSIC, f64);
                CurvatureResult ga = Curvature.ricciScalar(an, Curvature.Route.GAUSS, f64);
                assertEquals(0, ga.singularCount(), "task " + t);
                double e = relErr(in.scalar(), ga.scalar());
                assertTrue(e <= 1e-8, "task " + t + ": routes differ, rel err " + e);
                double max = ga.scalar().abs().max().item_double();
                assertTrue(max > 1e-6 && Double.isFinite(max), "task " + t + ": max |R| " + max);
                // (c) the float32 route the training step uses agrees with float64
                CurvatureResult r32 = Curvature.ricciScalar(net.phi(), z.to(ScalarType.Float), Curvature.Route.GAUSS);
                assertTrue(relErr(r32.scalar().to(ScalarType.Double), ga.scalar()) <= 1e-3, "task " + t + " float32 R");
            }
        }
    }

    @Test
    void oneStepReachesEveryWeightOfEveryTask() {
        KTaskModel m = model(KFixture.small(1), 3);
        KTaskData d = KFixture.data(3);
        Params p = m.params();
        int[][] rows = {{0, 1, 2, 3, 4}, {0, 1, 2, 3, 4}, {5, 6, 7, 8, 9}};
        Map<String, Double> terms = new KTaskTrainer(m, 3, null).step(new Adam(p, 1e-3), d, rows, 0, 0);
        assertTrue(terms.keySet().containsAll(KGear.TERMS), terms.toString());
        for (Map.Entry<String, Tensor> e : p.asMap().entrySet()) {
            Tensor g = e.getValue().grad();
            assertTrue(g != null && g.defined(), "no gradient for " + e.getKey());
            double s = g.abs().sum().item_double();
            assertTrue(s > 0 && Double.isFinite(s), "gradient of " + e.getKey() + " is " + s);
        }
    }

    @Test
    void curvatureTermAloneReachesEveryTask() {
        TransferOptions o = KFixture.small(1).with(TransferSchema.W_AUTO, 0.0).with(TransferSchema.W_CONS, 0.0)
                .with(TransferSchema.W_MAP, 0.0).with(TransferSchema.W_METRIC, 0.0).with(TransferSchema.W_CURV, 1.0)
                .with(TransferSchema.CURV_SUBSET, 10);
        KTaskModel m = model(o, 3);
        KTaskData d = KFixture.data(3);
        List<float[][]> none = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            float[][] y = new float[3][d.graphs().get(t).size()];
            for (float[] r : y) {
                java.util.Arrays.fill(r, Float.NaN);
            }
            none.add(y);
        }
        KTaskData unlabelled = new KTaskData(d.names(), d.primary(), d.graphs(), none, d.valGraphs(), d.valY());
        Params p = m.params();
        new KTaskTrainer(m, 3, null).step(new Adam(p, 1e-3), unlabelled, new int[][] {{0, 1, 2}, {0, 1, 2}, {0, 1, 2}}, 0, 0);
        for (int t = 0; t < 3; t++) {
            for (String k : List.of("embedding.W_i.weight", "encoder.0.weight", "phi.0.weight", "phi.1.weight")) {
                Tensor g = p.get("task" + t + "." + k).grad();
                assertTrue(g != null && g.defined() && g.abs().sum().item_double() > 0, "l_curv gives no gradient to task"
                        + t + "." + k);
            }
        }
    }
}
