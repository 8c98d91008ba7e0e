package gear.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.geometry.AutogradDerivatives;
import gear.geometry.MetricTerm;
import gear.geometry.SiluMlp;
import gear.nn.Params;
import gear.nn.Tensors;
import gear.nn.Torch;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hand-derived gradient of l_metric ({@link MetricTerm}) against autograd through the analytic Jacobian
 * ({@link GeometryLosses#jacobian}, itself checked against the geometry package) in float64 (1e-10), against central
 * differences of the value, and the surrogate of {@link MetricTerm#loss} against both; for an affine map and maps
 * with one and two hidden layers.
 */
class MetricHandGradientTest {
    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    private static int[] widths(int hidden) {
        return switch (hidden) {
            case 0 -> new int[] {3, 5};
            case 1 -> new int[] {3, 6, 5};
            default -> new int[] {3, 7, 6, 5};
        };
    }

    private static Tensor points(long seed, int n, int d) {
        Random r = new Random(seed);
        double[] v = new double[n * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1.5 * r.nextGaussian();
        }
        return Tensors.of(v, n, d);
    }

    /** Every input of l_metric: the weights, the hidden biases and the points (in the order of MetricTerm.Gradient). */
    private static List<Tensor> inputs(SiluMlp phi, Tensor z) {
        List<Tensor> in = new ArrayList<>();
        for (int l = 0; l < phi.layers(); l++) {
            in.add(phi.weight(l));
            in.add(phi.bias(l));
        }
        in.add(z);
        return in;
    }

    /** Map {@code map}'s share of a (stacked) hand gradient, in the order of {@link #inputs}. */
    private static List<Tensor> hand(MetricTerm.Gradient g, SiluMlp phi, int map) {
        List<Tensor> out = new ArrayList<>();
        for (int l = 0; l < phi.layers(); l++) {
            out.add(g.weights()[l].select(0, map));
            out.add(g.biases()[l].select(0, map));
        }
        out.add(g.points().select(0, map));
        return out;
    }

    private static MetricTerm.Gradient gradient(SiluMlp phi, Tensor z) {
        return MetricTerm.gradient(List.of(phi), List.of(z));
    }

    private static double maxAbsDiff(Tensor a, Tensor b) {
        return a.sub(b).abs().max().item_double();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void handGradientEqualsAutogradInFloat64(int hidden) {
        Params p = new Params();
        Torch.seed(11 + hidden);
        SiluMlp phi = new SiluMlp(p, "phi", widths(hidden), org.bytedeco.pytorch.global.torch.ScalarType.Double);
        Tensor z = points(3 + hidden, 9, 3).requires_grad_(true);
        MetricTerm.Gradient g = gradient(phi, z);
        p.zeroGrad();
        Tensor ref = GeometryLosses.metric(GeometryLosses.jacobian(phi, z));
        ref.backward();
        assertEquals(ref.item_double(), g.value().item_double(), 1e-12 * Math.max(1, ref.item_double()));
        assertTrue(ref.item_double() > 0.01, "a non-trivial metric loss");
        List<Tensor> in = inputs(phi, z);
        List<Tensor> mine = hand(g, phi, 0);
        int nonzero = 0;
        for (int i = 0; i < in.size(); i++) {
            Tensor x = in.get(i);
            Tensor want = x.grad().defined() ? x.grad() : torch.zeros_like(x);
            org.junit.jupiter.api.Assertions.assertArrayEquals(Tensors.shape(want), Tensors.shape(mine.get(i)),
                    "shape of gradient " + i);
            double scale = Math.max(1.0, want.abs().max().item_double());
            assertTrue(maxAbsDiff(want, mine.get(i)) <= 1e-10 * scale,
                    "input " + i + ": " + maxAbsDiff(want, mine.get(i)));
            if (want.abs().max().item_double() > 1e-6) {
                nonzero++;
            }
        }
        // every weight, every hidden bias and the points (unless φ is affine) have a gradient
        assertEquals(hidden == 0 ? 1 : 2 * hidden + 2, nonzero);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void handGradientEqualsCentralDifferences(int hidden) {
        Params p = new Params();
        Torch.seed(21 + hidden);
        SiluMlp phi = new SiluMlp(p, "phi", widths(hidden), org.bytedeco.pytorch.global.torch.ScalarType.Double);
        Tensor z = points(5 + hidden, 7, 3);
        MetricTerm.Gradient g = gradient(phi, z);
        Supplier<Double> value = () -> gradient(phi, z).value().item_double();
        // and the value against the independent autograd Jacobian (repeated reverse mode)
        Tensor jac = AutogradDerivatives.of(phi).derivatives(z, 2).jacobian();
        assertEquals(GeometryLosses.metric(jac).item_double(), value.get(), 1e-12);
        List<Tensor> in = inputs(phi, z);
        List<Tensor> mine = hand(g, phi, 0);
        int checked = 0;
        for (int i = 0; i < in.size(); i++) {
            Tensor flat = in.get(i).view(-1);
            Tensor grad = mine.get(i).reshape(-1);
            long n = flat.numel();
            for (long idx : new long[] {0, n / 2, n - 1}) {
                double fd1 = central(value, flat, idx, 1e-4);
                double fd2 = central(value, flat, idx, 5e-5);
                double fd = (4 * fd2 - fd1) / 3;
                assertEquals(fd, grad.select(0, idx).item_double(), 1e-7 * Math.max(1, Math.abs(fd)),
                        "input " + i + "[" + idx + "]");
                checked++;
            }
        }
        assertTrue(checked >= 9);
    }

    private static double central(Supplier<Double> f, Tensor flat, long idx, double h) {
        try (NoGradGuard ng = new NoGradGuard()) {
            flat.select(0, idx).add_(new Scalar(h));
            double plus = f.get();
            flat.select(0, idx).sub_(new Scalar(2 * h));
            double minus = f.get();
            flat.select(0, idx).add_(new Scalar(h));
            return (plus - minus) / (2 * h);
        }
    }

    /** The surrogate: value l_metric; backward gives the hand gradient to the weights and, through z = f(y), to y. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void surrogateCarriesTheHandGradientThroughAutograd(int hidden) {
        Params p = new Params();
        Torch.seed(31 + hidden);
        SiluMlp phi = new SiluMlp(p, "phi", widths(hidden), org.bytedeco.pytorch.global.torch.ScalarType.Double);
        Tensor y = points(7, 6, 3).requires_grad_(true);
        p.zeroGrad();
        Tensor ref = GeometryLosses.metric(GeometryLosses.jacobian(phi, y.tanh().mul(new Scalar(2.0)))).mul(new Scalar(3.0));
        ref.backward();
        List<Tensor> want = new ArrayList<>();
        for (Tensor w : p.asMap().values()) {
            want.add(w.grad().defined() ? w.grad().clone() : torch.zeros_like(w));
        }
        Tensor wantY = y.grad().clone();
        p.zeroGrad();
        y.grad().zero_();
        Tensor mine = MetricTerm.loss(phi, y.tanh().mul(new Scalar(2.0))).mul(new Scalar(3.0));
        assertEquals(ref.item_double(), mine.item_double(), 1e-12);
        mine.backward();
        int i = 0;
        for (Tensor w : p.asMap().values()) {
            Tensor got = w.grad().defined() ? w.grad() : torch.zeros_like(w);
            assertTrue(maxAbsDiff(want.get(i), got) <= 1e-10, "weight " + i);
            i++;
        }
        assertTrue(maxAbsDiff(wantY, y.grad()) <= 1e-10, "points");
        assertFalse(wantY.abs().max().item_double() == 0, "a gradient reaches the points");
    }

    /** Three maps in one stacked evaluation: the sum of the values and each map's own gradient, in float64. */
    @org.junit.jupiter.api.Test
    void stackedMapsEqualMapByMap() {
        Params p = new Params();
        Torch.seed(41);
        List<SiluMlp> maps = new ArrayList<>();
        List<Tensor> z = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            maps.add(new SiluMlp(p, "phi" + t, widths(2), org.bytedeco.pytorch.global.torch.ScalarType.Double));
            z.add(points(50 + t, 8, 3));
        }
        MetricTerm.Gradient all = MetricTerm.gradient(maps, z);
        double sum = 0;
        for (int t = 0; t < 3; t++) {
            MetricTerm.Gradient one = gradient(maps.get(t), z.get(t));
            sum += one.value().item_double();
            List<Tensor> a = hand(all, maps.get(t), t);
            List<Tensor> b = hand(one, maps.get(t), 0);
            for (int i = 0; i < a.size(); i++) {
                assertTrue(maxAbsDiff(a.get(i), b.get(i)) <= 1e-12, "map " + t + " input " + i);
            }
        }
        assertEquals(sum, all.value().item_double(), 1e-12);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MetricTerm.gradient(maps, List.of(z.get(0), z.get(1), points(9, 7, 3))));
    }
}
