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
 *     keys {@code source} and {@code target}; in a task-set cell {@code source} is the first source's and
 *     {@code source.i} ({@link #SOURCE_PREFIX}) source i's, in the task set's order; empty for other methods
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

    /** Prefix of the {@link #meanAbsR} keys of each source of a task-set cell: {@code source.0}, {@code source.1}, … */
    public static final String SOURCE_PREFIX = "source.";

    /** @return each source's mean |R| of a task-set cell in order (keys {@code source.i}; empty for a pair) */
    public java.util.List<Double> sourcesMeanAbsR() {
        java.util.List<Double> v = new java.util.ArrayList<>();
        for (int i = 0; meanAbsR.containsKey(SOURCE_PREFIX + i); i++) {
            v.add(meanAbsR.get(SOURCE_PREFIX + i));
        }
        return v;
    }

    /** A result without the training RMSE and last-epoch numbers. */
    public CellResult(double testRmse, double testMae, double testR2, double valRmse, int bestEpoch, double trainSeconds,
            Map<String, Double> meanAbsR) {
        this(testRmse, testMae, testR2, valRmse, bestEpoch, trainSeconds, meanAbsR, Double.NaN, Double.NaN, Double.NaN);
    }
}
