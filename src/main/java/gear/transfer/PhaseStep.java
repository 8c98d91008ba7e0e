package gear.transfer;

import gear.nn.BatchGraph;
import gear.nn.BatchParts;
import gear.nn.DmpnnEncoder;
import gear.nn.Tensors;
import gear.train.Engine;
import gear.train.TaskType;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * What a method sees of one batch of a {@link PhaseObjective}, whatever the number of tasks: the options, the
 * molecules of the batch, the step and epoch, and the helpers that run the D-MPNN embeddings in training mode
 * (through the hand-derived backward, data-parallel on the step's lanes), evaluate the task type's loss, draw seeded
 * randomness and record diagnostics. The two-task view ({@link StepContext})
 * adds the source and target networks and labels, the k-task view ({@code gear.transfer.ktask.KStep}) task τ's.
 *
 * <p>Random draws: libtorch's CPU generator re-seeded from (seed, step) before the batch ({@link #randn}); the
 * curvature subset from a generator seeded by (seed, step) ({@link #subset}). A k-task step with k = 2 draws the
 * numbers of the two-task step.
 */
public abstract class PhaseStep {
    private final PhaseObjective owner;
    private final BatchParts batch;
    private final int n;
    private final long step;
    private final int epoch;
    private final Map<String, Double> diagnostics;

    protected PhaseStep(PhaseObjective owner, BatchParts batch, int n, long step, int epoch,
            Map<String, Double> diagnostics) {
        this.owner = owner;
        this.batch = batch;
        this.n = n;
        this.step = step;
        this.epoch = epoch;
        this.diagnostics = diagnostics;
    }

    /** @return the run's options */
    public TransferOptions options() {
        return owner.options();
    }

    /** @return the molecules of the batch */
    public BatchGraph batch() {
        return batch.whole();
    }

    /** @return the batch as the lanes' parts */
    BatchParts parts() {
        return batch;
    }

    /** @return molecules in the batch */
    public int size() {
        return n;
    }

    /** @return optimizer steps done before this one in the phase */
    public long step() {
        return step;
    }

    /** @return the epoch of the phase, from 0 */
    public int epoch() {
        return epoch;
    }

    /** @return h = Embedding(G) in training mode (an embedding may run once per step) */
    public Tensor embed(DmpnnEncoder e) {
        return owner.embed(e, batch);
    }

    /**
     * Charges the time since the previous lap to {@code phase} when the step is profiled
     * ({@code gear bench train --method M --profile}); otherwise does nothing.
     */
    public void lap(String phase) {
        owner.lap(phase);
    }

    /** @return the task type's supervised loss of predictions against scaled labels (NaN labels left out) */
    public Tensor loss(Tensor prediction, Tensor labels) {
        return owner.taskType().loss(prediction, labels);
    }

    /** @return the task type */
    public TaskType taskType() {
        return owner.taskType();
    }

    /**
     * @return standard normal noise of this shape on the model's device, drawn on the CPU from libtorch's CPU generator
     *     (re-seeded per step from the run seed), so that a run draws the same numbers on every device
     */
    public Tensor randn(long... shape) {
        return owner.onDevice(torch.randn(shape, Tensors.options(ScalarType.Float)));
    }

    /** @return positions (int64, shape (k)) as an index tensor on the model's device, e.g. of {@link #subset} */
    public Tensor index(long[] positions) {
        return owner.onDevice(Tensors.of(positions, positions.length));
    }

    /** @return {@code z} repeated K = perturbations times, plus N(0, σ_p²) noise (none when σ_p = 0) */
    public Tensor perturb(Tensor z) {
        TransferOptions o = options();
        Tensor zr = o.perturbations() == 1 ? z : z.repeat(o.perturbations(), 1);
        if (o.perturbScale() == 0) {
            return zr;
        }
        return zr.add(randn(zr.size(0), zr.size(1)), new Scalar(o.perturbScale())); // zr + σ_p · N(0, I)
    }

    /** @return min(k, n) distinct positions of 0..n−1, drawn from a generator seeded by the run seed and the step */
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

    /** Records a diagnostic of this batch (logged as its mean over the epoch). */
    public void diagnostic(String name, double value) {
        diagnostics.put(name, value);
    }

    /** Adds to a diagnostic of this batch (e.g. a count summed over tasks). */
    public void addDiagnostic(String name, double value) {
        diagnostics.merge(name, value, Double::sum);
    }

    /** @return whether a diagnostic was recorded in this batch */
    public boolean hasDiagnostic(String name) {
        return diagnostics.containsKey(name);
    }
}
