package gear.transfer.ktask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.nn.Tensors;
import gear.nn.Torch;
import gear.transfer.GeometryLosses;
import gear.transfer.Losses;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The O(k) leave-one-out forms of {@link KLosses} against the all-pairs definitions and the two-task terms. */
class KLossesTest {
    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    static List<Tensor> values(int k, long... shape) {
        Torch.seed(17 + k);
        List<Tensor> v = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            v.add(torch.randn(shape, Tensors.options(ScalarType.Double)).mul(new Scalar(1.0 + t)));
        }
        return v;
    }

    static Tensor mask(int b) {
        double[] m = new double[b];
        for (int i = 0; i < b; i++) {
            m[i] = i % 3 == 1 ? 0 : 1;
        }
        return Tensors.of(m, b);
    }

    /** The mean over all pairs a &lt; b of the two-task curvature loss (the O(k²) definition). */
    static double pairMean(List<Tensor> r, Tensor mask, String form, double c) {
        double s = 0;
        int pairs = 0;
        for (int a = 0; a < r.size(); a++) {
            for (int b = a + 1; b < r.size(); b++) {
                s += GeometryLosses.curvature(r.get(a), r.get(b), mask, form, c).item_double();
                pairs++;
            }
        }
        return s / pairs;
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 6})
    void leaveOneOutFormsAreTheMeansOverPairs(int k) {
        List<Tensor> r = values(k, 9);
        Tensor m = mask(9);
        for (String form : List.of("mse", "standardized")) {
            double want = pairMean(r, m, form, 1e-3);
            double got = KLosses.curvature(r, m, form, 1e-3).item_double();
            assertEquals(want, got, 1e-12 * Math.max(1, Math.abs(want)), form + " k=" + k);
        }
        // the consistency term: mean over pairs of MSE(x_a, x_b)
        List<Tensor> x = values(k, 7, 5);
        List<Tensor> loo = KLosses.leaveOneOut(x);
        double sum = 0;
        for (int t = 0; t < k; t++) {
            sum += Losses.mse(x.get(t), loo.get(t)).item_double();
        }
        double got = KLosses.pairFactor(k) * sum;
        double want = 0;
        int pairs = 0;
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                want += Losses.mse(x.get(a), x.get(b)).item_double();
                pairs++;
            }
        }
        assertEquals(want / pairs, got, 1e-12 * want / pairs);
        // each leave-one-out mean is the mean of the others
        for (int t = 0; t < k; t++) {
            Tensor s = torch.zeros_like(x.get(0));
            for (int u = 0; u < k; u++) {
                if (u != t) {
                    s = s.add(x.get(u));
                }
            }
            assertTrue(s.div(new Scalar((double) (k - 1))).sub(loo.get(t)).abs().max().item_double() < 1e-12);
        }
    }

    @Test
    void relativeFormIsTheRatioOfPairMeans() {
        List<Tensor> r = values(3, 6);
        Tensor m = mask(6);
        double[][] v = new double[3][];
        for (int t = 0; t < 3; t++) {
            v[t] = Tensors.toDoubles(r.get(t));
        }
        double[] mm = Tensors.toDoubles(m);
        double s = 0;
        double n = 0;
        for (int i = 0; i < 6; i++) {
            double num = ((v[0][i] - v[1][i]) * (v[0][i] - v[1][i]) + (v[0][i] - v[2][i]) * (v[0][i] - v[2][i])
                    + (v[1][i] - v[2][i]) * (v[1][i] - v[2][i])) / 3;
            double den = ((v[0][i] * v[0][i] + v[1][i] * v[1][i]) + (v[0][i] * v[0][i] + v[2][i] * v[2][i])
                    + (v[1][i] * v[1][i] + v[2][i] * v[2][i])) / 3 + 0.01;
            s += mm[i] * num / den;
            n += mm[i];
        }
        assertEquals(s / n, KLosses.curvature(r, m, "relative", 0.01).item_double(), 1e-12);
    }

    @Test
    void twoTasksGiveTheTwoTaskTermsBitForBit() {
        for (ScalarType dt : List.of(ScalarType.Float, ScalarType.Double)) {
            List<Tensor> r = new ArrayList<>();
            for (Tensor t : values(2, 11)) {
                r.add(t.to(dt));
            }
            Tensor m = mask(11).to(dt);
            for (String form : List.of("mse", "relative", "standardized")) {
                double two = GeometryLosses.curvature(r.get(0), r.get(1), m, form, 1e-3).item_double();
                double k2 = KLosses.curvature(r, m, form, 1e-3).item_double();
                assertEquals(two, k2, 0.0, form + " " + dt);
            }
            List<Tensor> x = new ArrayList<>();
            for (Tensor t : values(2, 7, 5)) {
                x.add(t.to(dt));
            }
            List<Tensor> loo = KLosses.leaveOneOut(x);
            double k2 = Losses.mse(x.get(0), loo.get(0)).add(Losses.mse(x.get(1), loo.get(1)))
                    .mul(new Scalar(KLosses.pairFactor(2))).item_double();
            assertEquals(Losses.mse(x.get(0), x.get(1)).item_double(), k2, 0.0, "cons " + dt);
        }
    }
}
