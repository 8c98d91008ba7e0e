package gear.train;

/**
 * The training loss became NaN or infinite. Thrown before the offending batch updates the weights,
 * so the last checkpoint and the weights in memory are those of the last good step.
 */
public class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int epoch;
    private final int batch;

    /** @param epoch epoch index from 0; @param batch batch index from 0; @param loss the bad value */
    public TrainingDivergedException(int epoch, int batch, double loss) {
        super("training diverged: loss is " + loss + " at epoch " + (epoch + 1) + ", batch " + (batch + 1)
                + " (try a lower --max-lr, gradient clipping, or check the targets for extreme values)");
        this.epoch = epoch;
        this.batch = batch;
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
