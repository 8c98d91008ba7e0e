package gear.geometry;

import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Explicit parametrizations z ↦ x of manifolds with known Ricci scalar. Their J, H, T are taken by
 * {@link AutogradDerivatives} of the explicit formula (exact up to round-off), which is how a
 * closed-form embedding is plugged into {@link Curvature} as a {@link DerivativeProvider}.
 */
final class ClosedForms {
    private ClosedForms() {}

    private static Tensor cols(Tensor... c) {
        return torch.stack(new TensorVector(c), 1);
    }

    private static Scalar s(double v) {
        return new Scalar(v);
    }

    /** S² of radius r in R³, angular coordinates (θ, φ); R = 2/r². */
    static UnaryOperator<Tensor> sphereAngular(double r) {
        return z -> {
            Tensor th = z.select(1, 0);
            Tensor ph = z.select(1, 1);
            return cols(th.sin().mul(ph.cos()).mul(s(r)), th.sin().mul(ph.sin()).mul(s(r)), th.cos().mul(s(r)));
        };
    }

    /** S^n of radius r in R^{n+1}, inverse stereographic coordinates y ∈ R^n; R = n(n−1)/r². */
    static UnaryOperator<Tensor> sphereStereographic(double r, int n) {
        return z -> {
            Tensor sq = z.mul(z).sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
            Tensor den = sq.add(s(1.0));
            Tensor[] c = new Tensor[n + 1];
            for (int i = 0; i < n; i++) {
                c[i] = z.select(1, i).mul(s(2 * r)).div(den);
            }
            c[n] = sq.sub(s(1.0)).mul(s(r)).div(den);
            return cols(c);
        };
    }

    /** Flat cylinder of radius r in R³, (u, v) ↦ (r cos u, r sin u, v); R = 0. */
    static UnaryOperator<Tensor> cylinder(double r) {
        return z -> {
            Tensor u = z.select(1, 0);
            return cols(u.cos().mul(s(r)), u.sin().mul(s(r)), z.select(1, 1).mul(s(1.0)));
        };
    }

    /** Flat (Clifford-type) torus in R⁴, (u, v) ↦ (a cos u, a sin u, b cos v, b sin v); R = 0. */
    static UnaryOperator<Tensor> flatTorus(double a, double b) {
        return z -> {
            Tensor u = z.select(1, 0);
            Tensor v = z.select(1, 1);
            return cols(u.cos().mul(s(a)), u.sin().mul(s(a)), v.cos().mul(s(b)), v.sin().mul(s(b)));
        };
    }

    /**
     * Torus of revolution in R³, (u, v) ↦ ((a + r cos v) cos u, (a + r cos v) sin u, r sin v);
     * Gauss curvature K = cos v / (r (a + r cos v)), R = 2K.
     */
    static UnaryOperator<Tensor> torusOfRevolution(double a, double r) {
        return z -> {
            Tensor u = z.select(1, 0);
            Tensor v = z.select(1, 1);
            Tensor rho = v.cos().mul(s(r)).add(s(a));
            return cols(rho.mul(u.cos()), rho.mul(u.sin()), v.sin().mul(s(r)));
        };
    }
}
