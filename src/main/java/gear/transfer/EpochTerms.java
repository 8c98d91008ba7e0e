package gear.transfer;

import java.util.Map;

/**
 * What one epoch of transfer training reports: the mean over its batches of every loss term.
 *
 * @param phase {@code pretrain} (source phase of finetune/KD/GSP-KD) or {@code train}
 * @param epoch epoch index within the phase, from 0
 * @param terms mean per batch of each term (keys {@code reg, auto, cons, map, metric, curv, dis, kd} as the
 *     method has them, then {@code total}; GEAR adds {@code abs_r_source}, {@code abs_r_target}: mean |R| at
 *     the curvature subset) and its {@code geo_*} diagnostics; with {@link TransferSpec#trainRmse()} also
 *     {@code train_rmse}, the target training RMSE in original units after the epoch (not a batch mean)
 * @param valRmse target validation RMSE in original units after the epoch (NaN in the pretrain phase or
 *     without validation data)
 * @param lr learning rate of the last batch
 * @param seconds wall-clock seconds of the epoch
 * @param improved whether this epoch's weights are the best so far (kept)
 */
public record EpochTerms(String phase, int epoch, Map<String, Double> terms, double valRmse, double lr, double seconds,
        boolean improved) {}
