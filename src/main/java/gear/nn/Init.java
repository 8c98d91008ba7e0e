package gear.nn;

import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Weight initialization from a seeded Java generator (independent of libtorch's global generator,
 * so a model's initial weights depend only on its seed, on every device and thread count).
 *
 * <p>chemprop v1 ({@code chemprop.nn_utils.initialize_weights}): every parameter with one dimension
 * (biases) is set to 0, every other one is drawn from Xavier/Glorot normal,
 * W ~ N(0, 2 / (fan_in + fan_out)) (Glorot and Bengio, AISTATS 2010).
 */
public final class Init {
    private Init() {}

    /** @return an (out × in) matrix drawn from N(0, 2/(in+out)) with {@code rnd}, in {@code type} */
    public static Tensor xavierNormal(Random rnd, int out, int in, ScalarType type) {
        double std = Math.sqrt(2.0 / (in + out));
        double[] w = new double[out * in];
        for (int i = 0; i < w.length; i++) {
            w[i] = rnd.nextGaussian() * std;
        }
        return fromDoubles(w, type, out, in);
    }

    /** @return a zero vector of length n in {@code type} */
    public static Tensor zeros(int n, ScalarType type) {
        Torch.ensure();
        return torch.zeros(new long[] {n}, new org.bytedeco.pytorch.TensorOptions(type));
    }

    private static Tensor fromDoubles(double[] w, ScalarType type, long... shape) {
        if (type == ScalarType.Double) {
            return Tensors.of(w, shape);
        }
        float[] f = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            f[i] = (float) w[i];
        }
        return Tensors.of(f, shape);
    }
}
