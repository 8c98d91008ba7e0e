package gear.transfer;

import gear.nn.BatchParts;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * What a {@link TransferMethod} sees of one target-phase batch: the {@link PhaseStep} (options, molecules, step and
 * epoch, embeddings, loss, seeded randomness, diagnostics) with the two-task model: the networks of both tasks and
 * the scaled labels for both tasks (NaN = not labelled for that task) of the batch's molecules (target molecules
 * first, then source molecules for a paired batch).
 */
public final class StepContext extends PhaseStep {
    private final TransferObjective owner;
    private final Tensor ys;
    private final Tensor yt;

    StepContext(TransferObjective owner, BatchParts batch, Tensor ys, Tensor yt, int n, long step, int epoch,
            Map<String, Double> diagnostics) {
        super(owner, batch, n, step, epoch, diagnostics);
        this.owner = owner;
        this.ys = ys;
        this.yt = yt;
    }

    /** @return the model being trained */
    public TransferModel model() {
        return owner.model();
    }

    /** @return the task's network */
    public TaskNetwork network(Task t) {
        return owner.model().network(t);
    }

    /** @return the scaled source labels of the batch's molecules (NaN = unlabelled), shape (n) */
    public Tensor sourceLabels() {
        return ys;
    }

    /** @return the scaled target labels of the batch's molecules (NaN = unlabelled), shape (n) */
    public Tensor targetLabels() {
        return yt;
    }

    /** @return z = Encoder(Embedding(G)) of a task's network in training mode */
    public Tensor latent(TaskNetwork net) {
        Tensor z = net.encoder().forward(embed(net.embedding()), true);
        lap("encoder forward");
        return z;
    }

    /**
     * @return z = Encoder(Embedding(G)) of a frozen network (a distillation teacher) in evaluation mode, detached:
     *     the embedding through its fast buffered forward pass where it has one and no dropout
     */
    public Tensor teacherLatent(TaskNetwork net) {
        try (NoGradGuard g = new NoGradGuard()) {
            return net.encoder().forward(owner.teacherEmbed(net.embedding(), parts()), false).detach();
        }
    }
}
