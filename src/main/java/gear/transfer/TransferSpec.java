package gear.transfer;

import gear.data.MoleculeDataset;
import gear.data.Split;
import java.nio.file.Path;

/**
 * One transfer run (one pair, one method, one split, one seed): the input of {@link TransferRun#run}.
 *
 * @param method the method
 * @param source the source data set
 * @param sourceColumn the source property (a target column of {@code source})
 * @param target the target data set
 * @param targetColumn the target property (a target column of {@code target})
 * @param targetSplit train/val/test positions in {@code target} (e.g. {@code SplitType.split} or a fold of
 *     {@code SplitType.folds}); the source is purged of every molecule of the test part (canonical SMILES), with
 *     {@code source_purge validation} of the validation part too
 * @param options hyperparameters
 * @param seed seed of initialization, shuffling and perturbations
 * @param outputDir run directory to write (config.json, splits.json, model.gear, metrics.csv,
 *     test_predictions.csv, plots), or null to write nothing
 * @param trainRmse also evaluate the target training RMSE (original units, on the training labels) after
 *     every target-phase epoch: logged as the term {@code train_rmse} of the epochs' {@link gear.train.EpochStats}; costs one
 *     prediction pass over the target training set per epoch and changes no result
 * @param device where the networks train ({@link gear.train.TrainOptions#DEVICE}: cpu, cuda or cuda:N); the data,
 *     metrics and files stay on the CPU
 */
public record TransferSpec(TransferMethod method, MoleculeDataset source, String sourceColumn, MoleculeDataset target,
        String targetColumn, Split targetSplit, TransferOptions options, long seed, Path outputDir, boolean trainRmse,
        String device) {
    /** A run on the CPU. */
    public TransferSpec(TransferMethod method, MoleculeDataset source, String sourceColumn, MoleculeDataset target,
            String targetColumn, Split targetSplit, TransferOptions options, long seed, Path outputDir, boolean trainRmse) {
        this(method, source, sourceColumn, target, targetColumn, targetSplit, options, seed, outputDir, trainRmse,
                gear.train.TrainOptions.DEVICE.defaultValue());
    }

    /** @return this run on {@code device} (null: the CPU) */
    public TransferSpec withDevice(String device) {
        return new TransferSpec(method, source, sourceColumn, target, targetColumn, targetSplit, options, seed, outputDir,
                trainRmse, device == null ? gear.train.TrainOptions.DEVICE.defaultValue() : device);
    }

    /** A run without the per-epoch training RMSE. */
    public TransferSpec(TransferMethod method, MoleculeDataset source, String sourceColumn, MoleculeDataset target,
            String targetColumn, Split targetSplit, TransferOptions options, long seed, Path outputDir) {
        this(method, source, sourceColumn, target, targetColumn, targetSplit, options, seed, outputDir, false);
    }

    /** @return the target's task type: its loss, metric and their names (regression, the one implemented) */
    public gear.train.TaskType taskType() {
        return gear.train.Regression.INSTANCE;
    }
}
