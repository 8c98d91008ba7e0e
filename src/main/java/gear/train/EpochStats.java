package gear.train;

/**
 * What one finished epoch reports to the listeners.
 *
 * @param epoch epoch index, from 0
 * @param epochs total epochs planned
 * @param trainLoss mean over the epoch's batches of the masked MSE on standardized targets
 * @param valRmse validation RMSE in original units, averaged over targets (NaN without validation data)
 * @param lr learning rate of the epoch's last batch
 * @param seconds wall-clock seconds of the epoch (training and validation)
 * @param improved whether this epoch is the best so far (the one kept)
 */
public record EpochStats(int epoch, int epochs, double trainLoss, double valRmse, double lr, double seconds,
        boolean improved) {}
