package gear.train;

import java.util.List;

/**
 * The outcome of {@link Trainer#fit}.
 *
 * @param model the model with the best validation weights (the last epoch's without validation data)
 * @param history one entry per epoch run, including epochs run before a resume
 * @param bestEpoch index (from 0) of the epoch whose weights were kept
 * @param bestValScore its validation score (the task type's metric, original units) (NaN without validation data)
 * @param stoppedEarly whether early stopping ended training before the last epoch
 */
public record TrainResult(TrainedModel model, List<EpochStats> history, int bestEpoch, double bestValScore,
        boolean stoppedEarly) {}
