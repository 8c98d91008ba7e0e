package gear.experiment.grid;

import java.util.Map;

/**
 * What a {@link CellRunner} measured for one cell. Metrics are in the target's original units, over the
 * cell's test positions (validation RMSE over its validation positions).
 *
 * @param testRmse test RMSE
 * @param testMae test MAE
 * @param testR2 test R²
 * @param valRmse validation RMSE of the selected model
 * @param bestEpoch epoch of the selected model (0-based)
 * @param trainSeconds wall time of training
 * @param meanAbsR for GEAR: mean |R| (Ricci scalar) of each task's latent manifold on the test set,
 *     keys {@code source} and {@code target}; empty for other methods
 * @param trainRmse target training RMSE of the selected model (on the labels it trained on; NaN when not
 *     recorded, see {@link Cell#trainRmse()})
 * @param trainRmseLast target training RMSE after the last epoch (NaN when not recorded)
 * @param valRmseLast validation RMSE after the last epoch (NaN when not recorded)
 */
public record CellResult(double testRmse, double testMae, double testR2, double valRmse, int bestEpoch, double trainSeconds,
        Map<String, Double> meanAbsR, double trainRmse, double trainRmseLast, double valRmseLast) {
    public CellResult {
        meanAbsR = meanAbsR == null ? Map.of() : Map.copyOf(meanAbsR);
    }

    /** A result without the training RMSE and last-epoch numbers. */
    public CellResult(double testRmse, double testMae, double testR2, double valRmse, int bestEpoch, double trainSeconds,
            Map<String, Double> meanAbsR) {
        this(testRmse, testMae, testR2, valRmse, bestEpoch, trainSeconds, meanAbsR, Double.NaN, Double.NaN, Double.NaN);
    }
}
