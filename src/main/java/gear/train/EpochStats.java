package gear.train;

import java.util.Map;

/**
 * What one finished epoch reports to the listeners.
 *
 * @param phase the phase of the run ({@code train}; {@code pretrain} for the source phase of the
 *     two-phase transfer methods)
 * @param epoch epoch index within the phase, from 0
 * @param epochs total epochs planned for the phase
 * @param terms mean over the epoch's batches of each named loss term of the objective, {@value Objective#TOTAL}
 *     (the optimized sum) among them, then the per-epoch extras (diagnostics, e.g. {@code train_rmse})
 * @param valScore validation metric of the task type in original units (RMSE for regression), averaged
 *     over targets (NaN without validation data or in a phase without selection)
 * @param lr learning rate of the epoch's last batch
 * @param seconds wall-clock seconds of the epoch (training and validation)
 * @param improved whether this epoch is the best so far (the one kept)
 */
public record EpochStats(String phase, int epoch, int epochs, Map<String, Double> terms, double valScore, double lr,
        double seconds, boolean improved) {
    /** Copies the terms. */
    public EpochStats {
        terms = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(terms));
    }

    /** @return the mean optimized loss of the epoch (the {@value Objective#TOTAL} term; NaN if absent) */
    public double trainLoss() {
        return terms.getOrDefault(Objective.TOTAL, Double.NaN);
    }
}
