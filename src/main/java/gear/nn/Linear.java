package gear.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Affine layer y = x Wᵀ + b with W of shape (out, in), initialized as PyTorch's {@code nn.Linear}:
 * W, b ~ U(−1/√in, 1/√in) (Kaiming-uniform with a = √5).
 */
public final class Linear {
    private final Tensor weight;
    private final Tensor bias;
    private final int in;
    private final int out;

    /**
     * Creates and registers the layer's weights in {@code params} as {@code name.weight} and
     * {@code name.bias}.
     *
     * @param bias whether the layer has a bias
     */
    public Linear(Params params, String name, int in, int out, boolean bias) {
        Torch.ensure();
        this.in = in;
        this.out = out;
        double bound = 1.0 / Math.sqrt(in);
        Tensor w = torch.rand(new long[] {out, in}).mul_(new org.bytedeco.pytorch.Scalar(2 * bound))
                .sub_(new org.bytedeco.pytorch.Scalar(bound));
        this.weight = params.add(name + ".weight", w);
        if (bias) {
            Tensor b = torch.rand(new long[] {out}).mul_(new org.bytedeco.pytorch.Scalar(2 * bound))
                    .sub_(new org.bytedeco.pytorch.Scalar(bound));
            this.bias = params.add(name + ".bias", b);
        } else {
            this.bias = null;
        }
    }

    /** @return x Wᵀ + b for x of shape (..., in) */
    public Tensor forward(Tensor x) {
        Tensor y = torch.matmul(x, weight.t());
        return bias == null ? y : y.add(bias);
    }

    /** @return W, shape (out, in) */
    public Tensor weight() {
        return weight;
    }

    /** @return b, shape (out), or null */
    public Tensor bias() {
        return bias;
    }

    /** @return input width */
    public int in() {
        return in;
    }

    /** @return output width */
    public int out() {
        return out;
    }
}
