package gear.geometry;

import gear.nn.Linear;
import gear.nn.Params;
import gear.nn.Torch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * A SiLU multilayer perceptron x = φ(z), the transfer map of GEAR (Ko et al., arXiv 2506.13015;
 * design/GEAR.md §2): layers u⁽ˡ⁾ = W⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾ with a⁽⁰⁾ = z, a⁽ˡ⁾ = s(u⁽ˡ⁾) for every layer but the
 * last, s(u) = u·σ(u) (SiLU), and x = u⁽ᴸ⁾ (no activation after the last layer).
 *
 * <p>Weights are initialized like PyTorch's {@code nn.Linear} (through {@link Linear}) in float32 and
 * converted to the requested dtype; they are registered in a {@link Params} as
 * {@code name.K.weight} (shape out×in) and {@code name.K.bias} (shape out), K = 0..L−1. The
 * analytic derivatives of φ are computed by {@link MlpDerivatives}.
 */
public final class SiluMlp {
    private final int[] widths;
    private final List<Tensor> weights = new ArrayList<>();
    private final List<Tensor> biases = new ArrayList<>();
    private final ScalarType dtype;

    /**
     * Creates the MLP and registers its weights.
     *
     * @param params where the weights are registered
     * @param name name prefix of the weights
     * @param widths layer widths d_z, h₁, ..., d_M (at least two entries, all positive)
     * @param dtype {@code ScalarType.Float} or {@code ScalarType.Double}
     * @throws IllegalArgumentException on fewer than two widths, a width below 1 or another dtype
     */
    public SiluMlp(Params params, String name, int[] widths, ScalarType dtype) {
        if (widths == null || widths.length < 2) {
            throw new IllegalArgumentException("a SiLU MLP needs at least an input and an output width, got "
                    + Arrays.toString(widths));
        }
        for (int w : widths) {
            if (w < 1) {
                throw new IllegalArgumentException("MLP widths must be positive, got " + Arrays.toString(widths));
            }
        }
        if (dtype != ScalarType.Float && dtype != ScalarType.Double) {
            throw new IllegalArgumentException("SiluMlp supports float32 and float64, got " + dtype);
        }
        Torch.ensure();
        this.widths = widths.clone();
        this.dtype = dtype;
        Params scratch = new Params();
        for (int l = 0; l + 1 < widths.length; l++) {
            Linear lin = new Linear(scratch, "l" + l, widths[l], widths[l + 1], true);
            Tensor w = lin.weight().detach().to(dtype).clone();
            Tensor b = lin.bias().detach().to(dtype).clone();
            weights.add(params.add(name + "." + l + ".weight", w));
            biases.add(params.add(name + "." + l + ".bias", b));
        }
    }

    private SiluMlp(int[] widths, ScalarType dtype) {
        this.widths = widths.clone();
        this.dtype = dtype;
    }

    /**
     * A copy of this MLP's weights on another device (e.g. CUDA), registered in {@code params} under
     * {@code name} like the constructor does; same dtype.
     */
    public SiluMlp copyTo(Params params, String name, org.bytedeco.pytorch.Device device) {
        SiluMlp c = new SiluMlp(widths, dtype);
        for (int l = 0; l < layers(); l++) {
            c.weights.add(params.add(name + "." + l + ".weight", weights.get(l).detach().to(device, dtype).clone()));
            c.biases.add(params.add(name + "." + l + ".bias", biases.get(l).detach().to(device, dtype).clone()));
        }
        return c;
    }

    /** Convenience: the widths d_z, hidden..., d_M as varargs, float32. */
    public static SiluMlp float32(Params params, String name, int... widths) {
        return new SiluMlp(params, name, widths, ScalarType.Float);
    }

    /** Convenience: the widths d_z, hidden..., d_M as varargs, float64. */
    public static SiluMlp float64(Params params, String name, int... widths) {
        return new SiluMlp(params, name, widths, ScalarType.Double);
    }

    /**
     * Evaluates x = φ(z).
     *
     * @param z latent points, shape (B, d_z), same dtype as the weights
     * @return x, shape (B, d_M)
     */
    public Tensor forward(Tensor z) {
        Tensor a = z;
        for (int l = 0; l < layers(); l++) {
            Tensor u = a.dim() == 2 ? torch.addmm(biases.get(l), a, weights.get(l).t())
                    : torch.matmul(a, weights.get(l).t()).add(biases.get(l));
            a = l + 1 < layers() ? torch.silu(u) : u;
        }
        return a;
    }

    /** @return the number of affine layers L */
    public int layers() {
        return weights.size();
    }

    /** @return W⁽ˡ⁾, shape (out, in) */
    public Tensor weight(int l) {
        return weights.get(l);
    }

    /** @return b⁽ˡ⁾, shape (out) */
    public Tensor bias(int l) {
        return biases.get(l);
    }

    /** @return all weights W⁽⁰⁾..W⁽ᴸ⁻¹⁾ (unmodifiable) */
    public List<Tensor> weights() {
        return Collections.unmodifiableList(weights);
    }

    /** @return input dimension d_z */
    public int inDim() {
        return widths[0];
    }

    /** @return output dimension d_M */
    public int outDim() {
        return widths[widths.length - 1];
    }

    /** @return a copy of the layer widths */
    public int[] widths() {
        return widths.clone();
    }

    /** @return the dtype of the weights */
    public ScalarType dtype() {
        return dtype;
    }
}
