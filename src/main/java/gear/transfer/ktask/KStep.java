package gear.transfer.ktask;

import gear.nn.BatchParts;
import gear.nn.DmpnnEncoder;
import gear.transfer.PhaseStep;
import gear.transfer.TaskNetwork;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * One batch of a k-task phase as a {@link KMethod} sees it: the step of every phase ({@link PhaseStep}, that of the
 * two-task {@link gear.transfer.StepContext}: options, molecules, seeded randomness, loss, diagnostics) with the k
 * task networks and the scaled labels of the batch's molecules for every task (NaN = unlabelled); the molecules are
 * the primary task's first, then each other task's mini-batch in task order.
 */
public final class KStep extends PhaseStep {
    private final KTaskObjective owner;
    private final List<Tensor> labels;
    /** Embeddings run in this step (a shared embedding runs once and serves every task). */
    private final Map<DmpnnEncoder, Tensor> embedded = new IdentityHashMap<>();

    KStep(KTaskObjective owner, BatchParts batch, List<Tensor> labels, int n, long step, int epoch,
            Map<String, Double> diagnostics) {
        super(owner, batch, n, step, epoch, diagnostics);
        this.owner = owner;
        this.labels = labels;
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

    /** @return h = Embedding_τ(G) in training mode (a shared embedding runs once per step and serves every task) */
    public Tensor embed(int task) {
        return embedded.computeIfAbsent(network(task).embedding(), this::embed);
    }

    /** @return z_τ = Encoder_τ(Embedding_τ(G)) of every molecule of the batch, training mode */
    public Tensor latent(int task) {
        Tensor z = network(task).encoder().forward(embed(task), true);
        lap("encoder forward");
        return z;
    }
}
