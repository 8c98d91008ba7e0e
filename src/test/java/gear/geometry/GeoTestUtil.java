package gear.geometry;

import gear.nn.Params;
import gear.nn.Tensors;
import gear.nn.Torch;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Small helpers shared by the geometry tests. */
final class GeoTestUtil {
    private GeoTestUtil() {}

    /** max|a − b| / max(max|b|, 1e-300). */
    static double relErr(Tensor a, Tensor b) {
        double[] x = Tensors.toDoubles(a);
        double[] y = Tensors.toDoubles(b);
        if (x.length != y.length) {
            throw new AssertionError("sizes differ: " + x.length + " vs " + y.length);
        }
        double num = 0;
        double den = 1e-300;
        for (int i = 0; i < x.length; i++) {
            num = Math.max(num, Math.abs(x[i] - y[i]));
            den = Math.max(den, Math.abs(y[i]));
        }
        return num / den;
    }

    /** A float64 SiLU MLP with the given widths, seeded. */
    static SiluMlp mlp(long seed, int... widths) {
        Torch.init(1);
        Torch.seed(seed);
        return SiluMlp.float64(new Params(), "phi", widths);
    }

    /** Random float64 latent points, shape (b, d), entries N(0, scale²). */
    static Tensor points(long seed, int b, int d, double scale) {
        Torch.seed(seed);
        return torch.randn(new long[] {b, d}, Tensors.options(torch.ScalarType.Double)).mul(new org.bytedeco.pytorch.Scalar(scale));
    }
}
