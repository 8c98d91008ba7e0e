package gear.run;

import gear.train.RunWriter;

/**
 * The file names of a training run directory (CONVENTIONS.md). The files are written by the one run-directory
 * writer of train and transfer, {@link RunWriter}, which describes them; these names are the same constants:
 *
 * <ul>
 *   <li>{@value #CONFIG}: the resolved {@link TrainConfig} (re-run with {@code gear train --config});</li>
 *   <li>{@value #SPLITS}: the split as data-row indices and SMILES ({@link gear.data.SplitsFile});</li>
 *   <li>{@value #MODEL}: the model file ({@link gear.train.ModelFile});</li>
 *   <li>{@value #METRICS}: one row per epoch: {@code epoch,train_loss,val_rmse,lr,seconds} (epoch from 1);</li>
 *   <li>{@value #TEST_PREDICTIONS}: {@code smiles}, then per target {@code <t>_true,<t>_predicted};</li>
 *   <li>{@value #TEST_METRICS}: test RMSE/MAE/R² per target and their means, split sizes, best epoch;</li>
 *   <li>{@value #LEARNING_CURVE}, {@value #PARITY}: plots;</li>
 *   <li>{@code checkpoint.safetensors}: the resumable training state ({@link gear.train.Checkpoint});</li>
 *   <li>with {@code --ensemble-size N > 1} or {@code --task-type mve} ({@link gear.train.UncertaintyReport}): {@code member-i/}
 *       (checkpoint and metrics of ensemble member i ≥ 1), {@code calibration.csv}, {@code calibration.png},
 *       {@code error_vs_uncertainty.png}, an {@code uncertainty} object in {@value #TEST_METRICS} and a
 *       {@code <t>_std} column per target in {@value #TEST_PREDICTIONS};</li>
 *   <li>{@value gear.train.RunGuard#INCOMPLETE} while the run has not finished (left by a failed or killed run),
 *       and {@value gear.train.RunGuard#LOCK} while a run holds the directory ({@link gear.train.RunGuard}).</li>
 * </ul>
 */
public final class RunDirectory {
    /** Resolved configuration. */
    public static final String CONFIG = RunWriter.CONFIG;
    /** Split indices and SMILES. */
    public static final String SPLITS = RunWriter.SPLITS;
    /** Model file. */
    public static final String MODEL = RunWriter.MODEL;
    /** Per-epoch metrics. */
    public static final String METRICS = RunWriter.METRICS;
    /** Test-set predictions. */
    public static final String TEST_PREDICTIONS = RunWriter.TEST_PREDICTIONS;
    /** Test-set metrics (JSON). */
    public static final String TEST_METRICS = RunWriter.TEST_METRICS;
    /** Learning curve plot. */
    public static final String LEARNING_CURVE = RunWriter.LEARNING_CURVE;
    /** Parity plot of the test set. */
    public static final String PARITY = RunWriter.PARITY;

    private RunDirectory() {}
}
