package gear.transfer;

import gear.train.EpochStats;
import java.util.List;

/**
 * The result of {@link TransferRun#run}.
 *
 * @param model the trained model (best epoch's weights)
 * @param testPredictions target predictions for the test molecules, original units, in the order of the
 *     split's test positions
 * @param testTruth the test molecules' target values (same order)
 * @param testRmse test RMSE, original units
 * @param testMae test MAE
 * @param testR2 test R²
 * @param valRmse best target validation RMSE (NaN without validation data)
 * @param bestEpoch the kept epoch (from 0)
 * @param trainSeconds wall-clock seconds of training (both phases)
 * @param history per-epoch loss terms
 * @param meanAbsRicciSource GEAR/GATE: mean |R| of the source latent manifold over the test molecules
 *     (non-singular points, route of the options); NaN for the other methods
 * @param meanAbsRicciTarget the same for the target manifold
 * @param nSourceTrain source molecules trained on (after the purge)
 * @param nSourcePurged source molecules removed because they are target test molecules
 */
public record TransferOutcome(TransferModel model, double[] testPredictions, double[] testTruth, double testRmse,
        double testMae, double testR2, double valRmse, int bestEpoch, double trainSeconds, List<EpochStats> history,
        double meanAbsRicciSource, double meanAbsRicciTarget, int nSourceTrain, int nSourcePurged) {}
