package gear.experiment.tune;

import gear.data.MoleculeDataset;
import gear.transfer.TransferOptions;

/**
 * Trains and scores one trial. The default is {@link TransferTrialRunner}; tests may give their own. A runner
 * must be deterministic for a given trial (the model seeded from {@link Trial#seed()}).
 */
public interface TrialRunner {
    /**
     * A trial's data: the non-test pool of its unit and nothing else.
     *
     * @param source the source, purged of every target-test molecule (canonical SMILES), one target column; with
     *     {@code source_purge validation} the run removes the validation fold's molecules too ({@link
     *     gear.transfer.TransferRun}), so it trains on fewer than this holds
     * @param sourceColumn the source column
     * @param pool the target's non-test pool only (the test part is not in it, so it cannot be evaluated)
     * @param targetColumn the target column
     * @param train positions in {@code pool} of the training folds
     * @param val positions in {@code pool} of the validation fold
     * @param options every option of the run (fixed ones, the trial's values, the rung's epochs)
     */
    record Data(MoleculeDataset source, String sourceColumn, MoleculeDataset pool, String targetColumn, int[] train, int[] val,
            TransferOptions options) {}

    /**
     * @return the validation result
     * @throws Exception on failure other than divergence (the tune stops; the trial runs again on the next run)
     */
    TrialResult run(Trial trial, Data data) throws Exception;
}
