package gear.train;

/**
 * chemprop v1's {@code NoamLR} learning-rate schedule, stepped once per batch: with
 * w = ⌊warmup_epochs · steps_per_epoch⌋ and T = epochs · steps_per_epoch,
 *
 * <pre>
 * lr(s) = init + s · (max − init) / w           for s ≤ w
 * lr(s) = max · γ^(s − w),  γ = (final / max)^(1 / (T − w))   for w &lt; s ≤ T
 * lr(s) = final                                  for s &gt; T
 * </pre>
 *
 * where s is the number of batches already taken (the first batch uses lr(0) = init). As in
 * chemprop, steps_per_epoch = ⌊n_train / batch_size⌋ (at least 1), so lr reaches final_lr a few
 * batches before the end when n_train is not a multiple of the batch size.
 */
public final class NoamSchedule {
    private final long warmupSteps;
    private final long totalSteps;
    private final double initLr;
    private final double maxLr;
    private final double finalLr;
    private final double gamma;

    /**
     * @param warmupEpochs epochs of linear warm-up (may be fractional)
     * @param epochs total epochs
     * @param stepsPerEpoch batches per epoch in the schedule's count
     */
    public NoamSchedule(double warmupEpochs, int epochs, long stepsPerEpoch, double initLr, double maxLr, double finalLr) {
        this.warmupSteps = (long) (warmupEpochs * stepsPerEpoch);
        this.totalSteps = (long) epochs * stepsPerEpoch;
        this.initLr = initLr;
        this.maxLr = maxLr;
        this.finalLr = finalLr;
        long decay = totalSteps - warmupSteps;
        this.gamma = decay > 0 ? Math.pow(finalLr / maxLr, 1.0 / decay) : 1.0;
    }

    /** @return chemprop's schedule step count per epoch, ⌊nTrain / batchSize⌋ but at least 1 */
    public static long stepsPerEpoch(int nTrain, int batchSize) {
        return Math.max(1, nTrain / batchSize);
    }

    /** @return the learning rate for the batch after {@code step} batches were taken */
    public double lr(long step) {
        if (step <= warmupSteps) {
            return warmupSteps == 0 ? maxLr : initLr + step * (maxLr - initLr) / warmupSteps;
        }
        if (step <= totalSteps) {
            return maxLr * Math.pow(gamma, step - warmupSteps);
        }
        return finalLr;
    }

    /** @return ⌊warmup_epochs · steps_per_epoch⌋ */
    public long warmupSteps() {
        return warmupSteps;
    }

    /** @return epochs · steps_per_epoch */
    public long totalSteps() {
        return totalSteps;
    }
}
