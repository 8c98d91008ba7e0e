package gear.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The feed-forward head of chemprop v1 ({@code MoleculeModel.create_ffn}): for L layers,
 *
 * <pre>
 * L = 1:  y = W_0 dropout(h)
 * L ≥ 2:  z_1 = τ(W_0 dropout(h) + b_0), z_{k+1} = τ(W_k dropout(z_k) + b_k), y = W_{L−1} dropout(z_{L−1}) + b_{L−1}
 * </pre>
 *
 * with τ = ReLU, widths in → ffn_hidden → … → ffn_hidden → out, and chemprop's initialization
 * (Xavier normal weights, zero biases). Parameters: {@code prefix.K.weight}, {@code prefix.K.bias}
 * for K = 0..L−1.
 */
public final class FfnHead {
    private final List<Tensor> weights = new ArrayList<>();
    private final List<Tensor> biases = new ArrayList<>();
    private final double dropout;

    /**
     * Creates the head's layers.
     *
     * @param in input width (the encoder's output size)
     * @param hidden width of the hidden layers
     * @param layers number of linear layers (at least 1)
     * @param out number of outputs
     */
    public FfnHead(Params params, String prefix, int in, int hidden, int layers, int out, double dropout,
            org.bytedeco.pytorch.global.torch.ScalarType type, Random rnd) {
        this.dropout = dropout;
        for (int k = 0; k < layers; k++) {
            int i = k == 0 ? in : hidden;
            int o = k == layers - 1 ? out : hidden;
            weights.add(params.add(prefix + "." + k + ".weight", Init.xavierNormal(rnd, o, i, type)));
            biases.add(params.add(prefix + "." + k + ".bias", Init.zeros(o, type)));
        }
    }

    /** @return the layers' weights, first layer first (for {@link DmpnnTrainStep}) */
    List<Tensor> weights() {
        return weights;
    }

    /** @return the layers' biases, first layer first */
    List<Tensor> biases() {
        return biases;
    }

    /** @return the dropout probability */
    public double dropout() {
        return dropout;
    }

    /** @return the head's output for molecule vectors {@code h} (n × in) */
    public Tensor forward(Tensor h, boolean training) {
        Tensor z = h;
        for (int k = 0; k < weights.size(); k++) {
            if (training && dropout > 0) {
                z = BernoulliMask.dropout(z, dropout);
            }
            z = torch.addmm(biases.get(k), z, weights.get(k).t());
            if (k < weights.size() - 1) {
                z = z.relu_();
            }
        }
        return z;
    }
}
