package gear.train;

/**
 * The training diverged: a batch's loss became NaN or infinite (thrown before that batch updates the weights, so the
 * weights in memory are those of the last good step), or an epoch's validation score became infinite (weights or
 * latent points that became non-finite; thrown before that epoch is checkpointed). Either way the last checkpoint is
 * that of the last good epoch. The message names the phase (a pretraining's), the epoch and the batch, counted from 1
 * as the log counts them; the command line reports it in one line with exit 2 ({@code gear.cli.ErrorReport}).
 */
public class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int epoch;
    private final int batch;
    private final double loss;
    private final String phase;

    /** @param epoch epoch index from 0; @param batch batch index from 0; @param loss the bad value */
    public TrainingDivergedException(int epoch, int batch, double loss) {
        this(epoch, batch, loss, null);
    }

    private TrainingDivergedException(int epoch, int batch, double loss, String phase) {
        super("training diverged: loss is " + loss + " at " + (phase == null || phase.equals("train") ? "" : phase + " ")
                + "epoch " + (epoch + 1) + ", batch " + (batch + 1)
                + " (try a lower --max-lr, gradient clipping, or check the targets for extreme values)");
        this.epoch = epoch;
        this.batch = batch;
        this.loss = loss;
        this.phase = phase;
    }

    /**
     * @return this divergence with the phase it happened in ({@code pretrain}: "at pretrain epoch 1"; the {@code train}
     *     phase is not named), or this one when it names a phase already
     */
    public TrainingDivergedException inPhase(String p) {
        if (phase != null || p == null) {
            return this;
        }
        TrainingDivergedException e = new TrainingDivergedException(epoch, batch, loss, p);
        e.setStackTrace(getStackTrace());
        for (Throwable s : getSuppressed()) {
            e.addSuppressed(s);
        }
        return e;
    }

    /** @return the phase ({@code train}, {@code pretrain}), or null where the engine did not name it */
    public String phase() {
        return phase;
    }

    /** @return epoch index, from 0 */
    public int epoch() {
        return epoch;
    }

    /** @return batch index within the epoch, from 0 */
    public int batch() {
        return batch;
    }
}
