package gear.train;

import gear.nn.Params;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;

/**
 * What the {@link Engine} optimizes in one phase: the parameters, the batches of an epoch, the named
 * loss terms of a batch with their gradients, and the validation score. The engine owns everything
 * around it (schedule, optimizer, clipping, divergence check, model selection, early stopping,
 * checkpoints, listeners); an objective owns the data and the model.
 *
 * <p>Per step the engine calls {@link #forward} inside a {@link PointerScope} it closes after the
 * optimizer step, checks the {@link #TOTAL} loss (a NaN or infinite value stops training, naming epoch
 * and batch, before the weights change), calls {@link #backward}, which must leave ∂total/∂θ in every
 * parameter's {@code grad()}, then clips and steps.
 */
public interface Objective extends AutoCloseable {
    /** Name of the optimized loss among the terms. */
    String TOTAL = "total";

    /** @return the parameters the optimizer updates (and model selection snapshots) */
    Params params();

    /** @return training examples per epoch (the schedule's steps per epoch follow from it and the batch size) */
    int trainSize();

    /**
     * @return the batches of epoch {@code epoch}: positions into the training set (the default of the
     *     engine's callers is {@link Engine#shuffledBatches})
     */
    List<int[]> batches(int epoch);

    /** An epoch begins with these batches (e.g. start building them in the background). */
    default void beginEpoch(int epoch, List<int[]> batches) {}

    /**
     * The forward pass on one batch in training mode.
     *
     * @param epoch epoch index in the phase
     * @param batch batch index in the epoch
     * @param idx the batch's positions in the training set
     * @param step optimizer steps done before this one in the phase
     * @param scope the step's scope (tensors that must outlive the step are attached elsewhere)
     * @return the value of every named loss term, {@link #TOTAL} among them
     */
    Map<String, Double> forward(int epoch, int batch, int[] idx, long step, PointerScope scope);

    /** Writes ∂total/∂θ of the last {@link #forward} into the parameters' gradients. */
    void backward();

    /**
     * The validation score after an epoch (in the task type's units, original target units).
     *
     * @param epoch the epoch just trained
     * @param lastBatch index of its last batch (for a divergence report)
     * @return the score, or NaN when there is no validation data (then every epoch counts as improved)
     * @throws TrainingDivergedException when the model predicts non-finite values
     */
    double validate(int epoch, int lastBatch);

    /** @return per-epoch values logged after the batch means (diagnostics; none by default) */
    default Map<String, Double> epochExtras(int epoch) {
        return Map.of();
    }

    /**
     * Restores state that lives outside the parameters and optimizer after a resume (e.g. a generator
     * that has drawn once per step): {@code steps} optimizer steps of the phase were done before.
     */
    default void restore(long steps) {}

    /** @return a description of the settings and data that a checkpoint must match to be resumed */
    String fingerprint();

    /**
     * @return names of parameters that training leaves unchanged (frozen layers: their gradients are zeroed before
     *     clipping and the Adam step, so their moments stay zero and the update is exactly zero); none by default
     */
    default java.util.Set<String> frozen() {
        return java.util.Set.of();
    }

    /** Releases background resources (the default does nothing). */
    @Override
    default void close() {}
}
