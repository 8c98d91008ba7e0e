package gear.nn;

import gear.chem.MolGraph;
import java.util.List;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;

/**
 * A chemprop v1 molecule model: the {@link DmpnnEncoder} followed by an {@link FfnHead}
 * (Yang et al., J. Chem. Inf. Model. 59:3370, 2019). Outputs are in the standardized target space;
 * the caller undoes the scaling.
 *
 * <p>Parameters are registered in one {@link Params} under {@code encoder.*} and {@code head.*}, in
 * a fixed order, and initialized from a seeded Java generator: the same seed gives bit-identical
 * weights on every run. The encoder and the head are separable ({@link #encoder()}, {@link #head()}):
 * transfer methods reuse the encoder under other heads.
 *
 * <p>Device: a model is made on the CPU; {@link #to} moves its weights (e.g. to CUDA) before training, and its
 * batches ({@link #batch}) and the tensors made for it ({@link #onDevice}) follow them ({@link Placement}).
 */
public final class Dmpnn {
    private final DmpnnConfig config;
    private final Params params = new Params();
    private final DmpnnEncoder encoder;
    private final FfnHead head;
    private final Placement placement = new Placement();

    /**
     * Creates a freshly initialized model.
     *
     * @param seed initialization seed
     */
    public Dmpnn(DmpnnConfig config, long seed) {
        Torch.ensure();
        this.config = config;
        Random rnd = new Random(seed);
        encoder = new DmpnnEncoder(params, "encoder", config, rnd);
        head = new FfnHead(params, "head", config.hiddenSize(), config.ffnHiddenSize(), config.ffnNumLayers(),
                config.numTasks(), config.dropout(), config.dtype(), rnd);
    }

    /** @return the hyperparameters */
    public DmpnnConfig config() {
        return config;
    }

    /** @return all trainable weights ({@code encoder.*}, then {@code head.*}) */
    public Params params() {
        return params;
    }

    /** @return the encoder (graph → molecule vector) */
    public DmpnnEncoder encoder() {
        return encoder;
    }

    /** @return the FFN head (molecule vector → outputs) */
    public FfnHead head() {
        return head;
    }

    /** @return standardized predictions, n_mols × num_tasks */
    public Tensor forward(BatchGraph batch, boolean training) {
        return head.forward(encoder.forward(batch, training), training);
    }

    /** @return a batch of {@code mols} in this model's dtype, on the device of its weights */
    public BatchGraph batch(List<MolGraph> mols) {
        return placement.batch(mols, config.dtype());
    }

    /** @return a batch made from prebuilt arrays in this model's dtype, on the device of its weights */
    public BatchGraph batch(BatchGraph.Arrays arrays) {
        return placement.batch(arrays, config.dtype());
    }

    /**
     * Moves every weight to {@code device} in place (a no-op where they are: a CPU model is unchanged). Call it before
     * training starts (before a training step or optimizer is made for the model).
     *
     * @return this model
     */
    public Dmpnn to(org.bytedeco.pytorch.Device device) {
        placement.moveTo(params, device);
        return this;
    }

    /** @return the device of the weights */
    public org.bytedeco.pytorch.Device device() {
        return placement.device();
    }

    /** @return {@code t} on the device of the weights (itself when it is there, e.g. on the CPU) */
    public Tensor onDevice(Tensor t) {
        return placement.onDevice(t);
    }
}
