package gear.train;

/**
 * Receives training-loop events (as DJL's {@code TrainingListener}): progress bars, log lines,
 * metric files. All methods are called on the training thread; the defaults do nothing.
 * An exception thrown by a listener aborts training (the last checkpoint stays valid).
 */
public interface TrainListener {
    /**
     * Training starts (or resumes).
     *
     * @param firstEpoch the first epoch that will run (greater than 0 after a resume)
     * @param epochs total epochs planned
     * @param batchesPerEpoch batches of one epoch
     */
    default void onTrainingStart(int firstEpoch, int epochs, int batchesPerEpoch) {}

    /** A batch finished ({@code batch} from 0) with the given loss. */
    default void onBatchEnd(int epoch, int batch, double loss) {}

    /** An epoch finished (after its checkpoint, if any, was written). */
    default void onEpochEnd(EpochStats stats) {}

    /** A phase finished normally (also after early stopping). */
    default void onTrainingEnd(Engine.Result result) {}

    /** Training stopped with an exception (divergence, I/O error, a listener's exception). */
    default void onTrainingFailed(Throwable error) {}
}
