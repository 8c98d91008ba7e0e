package gear.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.geometry.Curvature.Options;
import gear.geometry.Curvature.Route;
import gear.nn.Params;
import gear.nn.Tensors;
import gear.nn.Torch;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

/** (e) The weight gradient of a loss on R (one ordinary backward pass) against central differences. */
class CurvatureGradientTest {
    static final Options F64 = Options.defaults(ScalarType.Double);

    /** Compares the backward gradient of loss() w.r.t. a few entries of each weight to central differences. */
    private static void checkGradient(Params params, Supplier<Tensor> loss, double rel, String what) {
        params.zeroGrad();
        Tensor l = loss.get();
        l.backward();
        double h = 1e-4;
        int checked = 0;
        for (var e : params.asMap().entrySet()) {
            Tensor w = e.getValue();
            Tensor grad = w.grad();
            // the last bias does not enter J, H or T: no gradient is recorded for it
            Tensor flatGrad = grad.defined() ? grad.reshape(-1) : torch.zeros_like(w).reshape(-1);
            Tensor flat = w.view(-1);
            long n = w.numel();
            for (long idx : new long[] {0, n / 2, n - 1}) {
                double analytic = flatGrad.select(0, idx).item_double();
                double fd1 = central(loss, flat, idx, h);
                double fd2 = central(loss, flat, idx, h / 2);
                double fd = (4 * fd2 - fd1) / 3; // Richardson extrapolation: error O(h^4)
                double tol = rel * Math.max(1.0, Math.abs(fd));
                assertEquals(fd, analytic, tol, what + " d/d " + e.getKey() + "[" + idx + "]");
                checked++;
            }
        }
        assertTrue(checked >= 12);
    }

    private static double central(Supplier<Tensor> loss, Tensor flat, long idx, double h) {
        try (NoGradGuard g = new NoGradGuard()) {
            flat.select(0, idx).add_(new Scalar(h));
            double plus = loss.get().item_double();
            flat.select(0, idx).sub_(new Scalar(2 * h));
            double minus = loss.get().item_double();
            flat.select(0, idx).add_(new Scalar(h));
            return (plus - minus) / (2 * h);
        }
    }

    /**
     * Relative tolerance: the intrinsic route sums terms much larger than R (they cancel), so its
     * loss carries more rounding noise, which central differences divide by h.
     */
    private static double tol(Route route) {
        return route == Route.GAUSS ? 1e-6 : 1e-5;
    }

    @Test
    void meanSquaredCurvatureGradient() {
        Torch.init(1);
        for (Route route : Route.values()) {
            try (PointerScope s = new PointerScope()) {
                Params params = new Params();
                Torch.seed(3);
                SiluMlp mlp = SiluMlp.float64(params, "phi", 3, 6, 5);
                Tensor z = GeoTestUtil.points(4, 4, 3, 1.0);
                checkGradient(params, () -> Curvature.ricciScalar(mlp, z, route).scalar().square().mean(), tol(route), route + " mean R²");
            }
        }
    }

    @Test
    void curvatureMatchingLossGradient() {
        Torch.init(1);
        for (Route route : Route.values()) {
            try (PointerScope s = new PointerScope()) {
                Params params = new Params();
                Torch.seed(5);
                SiluMlp source = SiluMlp.float64(params, "source", 2, 5, 4, 4);
                SiluMlp target = SiluMlp.float64(params, "target", 2, 6, 5);
                Tensor zs = GeoTestUtil.points(6, 3, 2, 1.0);
                Tensor zt = GeoTestUtil.points(7, 3, 2, 1.0);
                checkGradient(params, () -> torch.mse_loss(Curvature.ricciScalar(source, zs, route).scalar(),
                        Curvature.ricciScalar(target, zt, route).scalar()), tol(route), route + " MSE(R_s, R_t)");
            }
        }
    }

    /** The analytic routes and the nested-autograd baseline give the same weight gradient. */
    @Test
    void analyticAndAutogradGradientsAgree() {
        Torch.init(1);
        try (PointerScope s = new PointerScope()) {
            Params params = new Params();
            Torch.seed(9);
            SiluMlp mlp = SiluMlp.float64(params, "phi", 3, 5, 4, 5);
            Tensor z = GeoTestUtil.points(10, 3, 3, 1.0);
            Tensor[] grads = new Tensor[3];
            DerivativeProvider[] providers = {new MlpDerivatives(mlp), new MlpDerivatives(mlp), AutogradDerivatives.of(mlp)};
            Route[] routes = {Route.GAUSS, Route.INTRINSIC, Route.INTRINSIC};
            for (int k = 0; k < 3; k++) {
                params.zeroGrad();
                Curvature.ricciScalar(providers[k], z, routes[k], F64).scalar().square().mean().backward();
                grads[k] = mlp.weight(1).grad().clone();
            }
            assertTrue(GeoTestUtil.relErr(grads[1], grads[0]) < 1e-9);
            assertTrue(GeoTestUtil.relErr(grads[2], grads[0]) < 1e-9);
            assertTrue(Tensors.toDoubles(grads[0].abs().max())[0] > 1e-6);
        }
    }
}
