package gear.transfer.ktask;

import gear.nn.BatchGraph;
import gear.nn.Tensors;
import gear.train.Engine;
import gear.transfer.TaskNetwork;
import gear.transfer.TransferOptions;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * One batch of a k-task phase as {@link KGear} sees it (the k-task counterpart of
 * {@link gear.transfer.StepContext}): the molecules (the primary task's first, then each other task's mini-batch
 * in task order), their scaled labels for every task (NaN = unlabelled), and the helpers that run the networks
 * in training mode, draw seeded randomness and record diagnostics. The random draws are those of the two-task
 * step: libtorch's generator re-seeded from (seed, step) before the batch, the curvature subset from a
 * generator seeded by (seed, step).
 */
public final class KStep {
    private final KTaskObjective owner;
    private final BatchGraph batch;
    private final List<Tensor> labels;
    private final int n;
    private final long step;
    private final int epoch;
    private final Map<String, Double> diagnostics;
    /** Embeddings run in this step (a shared embedding runs once and serves every task). */
    private final Map<gear.nn.DmpnnEncoder, Tensor> embedded = new java.util.IdentityHashMap<>();

    KStep(KTaskObjective owner, BatchGraph batch, List<Tensor> labels, int n, long step, int epoch,
            Map<String, Double> diagnostics) {
        this.owner = owner;
        this.batch = batch;
        this.labels = labels;
        this.n = n;
        this.step = step;
        this.epoch = epoch;
        this.diagnostics = diagnostics;
    }

    /** @return the run's options */
    public TransferOptions options() {
        return owner.model().options();
    }

    /** @return the number of tasks */
    public int tasks() {
        return owner.model().tasks();
    }

    /** @return task τ's network */
    public TaskNetwork network(int task) {
        return owner.model().network(task);
    }

    /** @return the scaled τ-labels of the batch's molecules (NaN = unlabelled), shape (n) */
    public Tensor labels(int task) {
        return labels.get(task);
    }

    /** @return molecules in the batch */
    public int size() {
        return n;
    }

    /** @return the epoch, from 0 */
    public int epoch() {
        return epoch;
    }

    /** @return the primary task's index */
    public int primary() {
        return owner.model().primary();
    }

    /**
     * @return the tasks whose supervised terms this phase trains (every task, but for a pretraining method the
     *     non-evaluated tasks in its pretraining phase and the evaluated ones after it)
     */
    public List<Integer> supervised() {
        return owner.supervised();
    }

    /** @return h = Embedding_τ(G) in training mode (a shared embedding runs once per step) */
    public Tensor embed(int task) {
        return embedded.computeIfAbsent(network(task).embedding(), e -> owner.embed(e, batch));
    }

    /** @return z_τ = Encoder_τ(Embedding_τ(G)) of every molecule of the batch, training mode */
    public Tensor latent(int task) {
        return network(task).encoder().forward(embed(task), true);
    }

    /**
     * @return standard normal noise of this shape on the model's device, drawn on the CPU from libtorch's CPU generator
     *     (re-seeded per step), so that a run draws the same numbers on every device
     */
    public Tensor randn(long... shape) {
        return owner.model().onDevice(torch.randn(shape, Tensors.options(ScalarType.Float)));
    }

    /** @return positions (int64, shape (k)) as an index tensor on the model's device, e.g. of {@link #subset} */
    public Tensor index(long[] positions) {
        return owner.model().onDevice(Tensors.of(positions, positions.length));
    }

    /** @return the task type's supervised loss (NaN labels left out) */
    public Tensor loss(Tensor prediction, Tensor y) {
        return owner.taskType().loss(prediction, y);
    }

    /** @return {@code z} repeated K = perturbations times plus N(0, σ_p²) noise (none when σ_p = 0) */
    public Tensor perturb(Tensor z) {
        TransferOptions o = options();
        Tensor zr = z.repeat(o.perturbations(), 1);
        if (o.perturbScale() == 0) {
            return zr;
        }
        return zr.add(randn(zr.sizes().vec().get()).mul(new Scalar(o.perturbScale())));
    }

    /** @return min(k, n) distinct positions of 0..n−1 seeded by the run seed and the step (as the two-task step) */
    public long[] subset(int k) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom r = new SplittableRandom(Engine.mix(owner.seed() ^ 0x2545F4914F6CDD1DL, step));
        int m = Math.min(n, k);
        long[] out = new long[m];
        for (int i = 0; i < m; i++) {
            int j = i + r.nextInt(n - i);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
            out[i] = p[i];
        }
        return out;
    }

    /** Records a diagnostic of this batch. */
    public void diagnostic(String name, double value) {
        diagnostics.put(name, value);
    }
}
