package gear.experiment.tune;

import gear.data.Split;
import java.nio.file.Path;
import gear.train.TrainingDivergedException;
import gear.transfer.Methods;
import gear.transfer.PretrainCache;
import gear.transfer.TransferOutcome;
import gear.transfer.TransferRun;
import gear.transfer.TransferSpec;

/**
 * The real trial: one {@link TransferRun} of the trial's method on the pool's training folds, selected and scored
 * on its validation fold, with an empty test part and no run directory (nothing but the trial's own
 * {@code result.json} is written). A NaN/Inf loss gives a {@code diverged} result instead of an error.
 *
 * <p>With a pretraining cache ({@link gear.transfer.PretrainCache}, {@code TUNE_DIR/pretrain} from {@link Tuner}),
 * the source pretraining of finetune, KD and GSP-KD is computed once per fingerprint (purged source, seed,
 * pretraining options) and shared by the trials that need the same one, as in a grid: configuration i draws the
 * same shared values for every method, so the three methods' trials i pretrain once.
 */
public final class TransferTrialRunner implements TrialRunner {
    private final Path pretrainCache;

    /** A runner without a pretraining cache (every trial pretrains for itself). */
    public TransferTrialRunner() {
        this(null);
    }

    /** @param pretrainCache directory of the shared pretraining cache, or null for none */
    public TransferTrialRunner(Path pretrainCache) {
        this.pretrainCache = pretrainCache;
    }

    @Override
    public TrialResult run(Trial trial, Data d) {
        TransferSpec spec = new TransferSpec(Methods.get(trial.method()), d.source(), d.sourceColumn(), d.pool(),
                d.targetColumn(), new Split(d.train(), d.val(), new int[0]), d.options(), trial.seed(), null);
        long t0 = System.nanoTime();
        try {
            TransferOutcome o = TransferRun.run(spec, null, null, false,
                    pretrainCache == null ? null : new PretrainCache(pretrainCache));
            if (o.testTruth().length != 0) {
                throw new IllegalStateException("trial " + trial.id() + " evaluated a test part; a trial must not");
            }
            return new TrialResult(o.valRmse(), o.bestEpoch(), o.trainSeconds(), TrialResult.OK);
        } catch (TrainingDivergedException e) {
            return new TrialResult(Double.NaN, -1, (System.nanoTime() - t0) / 1e9, TrialResult.DIVERGED);
        }
    }
}
