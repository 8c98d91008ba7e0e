package gear.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import gear.nn.Tensors;
import gear.nn.Torch;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The curvature loss forms of {@link GeometryLosses#curvature} against values worked out by hand, their autograd
 * gradients (float64) against hand-derived gradients and central differences, and their invariances.
 */
class CurvatureLossTest {
    private static final double[] A = {2, -1, 4, 0.5};
    private static final double[] B = {1, 1, 4, 3};
    private static final double[] M = {1, 1, 0, 1};

    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    private static double loss(double[] a, double[] b, double[] m, String form, double c) {
        return GeometryLosses.curvature(t(a), t(b), t(m), form, c).item_double();
    }

    private static Tensor t(double[] v) {
        return Tensors.of(v, v.length);
    }

    @Test
    void mseByHand() {
        // masked points 0, 1, 3: (1² + 2² + 2.5²)/3
        assertEquals((1 + 4 + 6.25) / 3, loss(A, B, M, "mse", 0), 1e-12);
    }

    @Test
    void relativeByHand() {
        double c = 0.5;
        double e = (1.0 / (4 + 1 + c) + 4.0 / (1 + 1 + c) + 6.25 / (0.25 + 9 + c)) / 3;
        assertEquals(e, loss(A, B, M, "relative", c), 1e-12);
    }

    @Test
    void standardizedByHand() {
        double c = 0.1;
        // a over the mask: 2, -1, 0.5 → μ 0.5, σ² (2.25 + 2.25 + 0)/3 = 1.5
        // b over the mask: 1, 1, 3 → μ 5/3, σ² (4/9 + 4/9 + 16/9)/3 = 8/9
        double sa = Math.sqrt(1.5 + c);
        double sb = Math.sqrt(8.0 / 9 + c);
        double[] ah = {1.5 / sa, -1.5 / sa, 0 / sa};
        double[] bh = {(-2.0 / 3) / sb, (-2.0 / 3) / sb, (4.0 / 3) / sb};
        double e = 0;
        for (int i = 0; i < 3; i++) {
            e += (ah[i] - bh[i]) * (ah[i] - bh[i]) / 3;
        }
        assertEquals(e, loss(A, B, M, "standardized", c), 1e-12);
    }

    @Test
    void noPointsGiveZero() {
        double[] none = {0, 0, 0, 0};
        for (String f : List.of("mse", "relative", "standardized")) {
            assertEquals(0.0, loss(A, B, none, f, 1e-6), 0.0, f);
        }
    }

    @Test
    void unknownFormIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> loss(A, B, M, "huber", 0));
    }

    @Test
    void relativeIsScaleFreeAndStandardizedAffineFree() {
        double l1 = loss(A, B, M, "relative", 0);
        double l2 = loss(scale(A, 1e3, 0), scale(B, 1e3, 0), M, "relative", 0);
        assertEquals(l1, l2, 1e-12);
        double s1 = loss(A, B, M, "standardized", 0);
        double s2 = loss(scale(A, 50, 7), scale(B, 0.01, -3), M, "standardized", 0);
        assertEquals(s1, s2, 1e-9);
        // and MSE is not: a factor 1e3 on R gives 1e6 on the loss
        assertEquals(1e6 * loss(A, B, M, "mse", 0), loss(scale(A, 1e3, 0), scale(B, 1e3, 0), M, "mse", 0), 1e-3);
    }

    private static double[] scale(double[] v, double f, double shift) {
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = f * v[i] + shift;
        }
        return o;
    }

    @Test
    void relativeGradientMatchesHandDerivation() {
        double c = 0.3;
        Tensor a = t(A).requires_grad_(true);
        GeometryLosses.curvature(a, t(B), t(M), "relative", c).backward();
        double[] g = Tensors.toDoubles(a.grad());
        for (int i = 0; i < A.length; i++) {
            // ∂/∂a of (a−b)²/D, D = a² + b² + c: 2(a−b)/D − 2a(a−b)²/D², over n = 3 masked points
            double d = A[i] - B[i];
            double den = A[i] * A[i] + B[i] * B[i] + c;
            double e = M[i] * (2 * d / den - 2 * A[i] * d * d / (den * den)) / 3;
            assertEquals(e, g[i], 1e-12, "point " + i);
        }
    }

    @Test
    void gradientsMatchCentralDifferences() {
        for (String f : List.of("mse", "relative", "standardized")) {
            double c = 0.2;
            Tensor a = t(A).requires_grad_(true);
            Tensor b = t(B).requires_grad_(true);
            GeometryLosses.curvature(a, b, t(M), f, c).backward();
            double[] ga = Tensors.toDoubles(a.grad());
            double[] gb = Tensors.toDoubles(b.grad());
            double h = 1e-6;
            for (int i = 0; i < A.length; i++) {
                double[] ap = A.clone();
                double[] am = A.clone();
                ap[i] += h;
                am[i] -= h;
                assertEquals((loss(ap, B, M, f, c) - loss(am, B, M, f, c)) / (2 * h), ga[i], 1e-7, f + " dA " + i);
                double[] bp = B.clone();
                double[] bm = B.clone();
                bp[i] += h;
                bm[i] -= h;
                assertEquals((loss(A, bp, M, f, c) - loss(A, bm, M, f, c)) / (2 * h), gb[i], 1e-7, f + " dB " + i);
            }
        }
    }
}
