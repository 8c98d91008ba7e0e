package gear.transfer.ktask;

import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;

/**
 * Fine-tuning from a model pretrained on all sources (design/GEAR.md §5 with k − e sources for e evaluated tasks):
 * the layout and loss of {@link KMtl} (one shared D-MPNN embedding and encoder, one head per task), in two phases.
 * <ol>
 *   <li>{@code pretrain}: the shared network and the source heads are trained on the pooled training molecules of
 *       every non-evaluated task, l = Σ_{s source} MSE_m(Head_s(z), y_s) (a molecule counts for every source
 *       that labels it), for at most {@code pretrain_epochs}; with {@code pretrain_val_fraction} f &gt; 0 a
 *       seeded share f of each source's training molecules is held out, the epoch with the best mean
 *       standardized source validation RMSE is kept and {@code pretrain_patience} stops early (training to
 *       convergence; {@code gear transfer --task} and the task-set cells of {@code gear benchmark} set f =
 *       {@value #DEFAULT_PRETRAIN_VAL_FRACTION} and patience {@value #DEFAULT_PRETRAIN_PATIENCE} unless given,
 *       {@link #withDefaults}); with f = 0 the last epoch is kept, as the two-task {@code finetune};</li>
 *   <li>{@code train}: every weight is fine-tuned on the evaluated tasks' molecules, l = Σ_{t evaluated}
 *       MSE_m(Head_t(z), y_t); each evaluated task's head starts from its initialization (it was not
 *       trained in the pretraining phase).</li>
 * </ol>
 */
public final class KFinetune extends KMtl {
    /** The one instance. */
    public static final KFinetune INSTANCE = new KFinetune();
    /**
     * {@code pretrain_val_fraction} of a k-task finetune run when none is given (the converged protocol's value,
     * {@code pairs/converged.json}): pretraining runs to convergence by default.
     */
    public static final double DEFAULT_PRETRAIN_VAL_FRACTION = 0.1;
    /** {@code pretrain_patience} of a k-task finetune run when none is given (the converged protocol's value). */
    public static final int DEFAULT_PRETRAIN_PATIENCE = 10;

    private KFinetune() {}

    /**
     * The options of a k-task finetune run: {@code o} with {@link #DEFAULT_PRETRAIN_VAL_FRACTION} and
     * {@link #DEFAULT_PRETRAIN_PATIENCE} where {@code given} (snake_case keys) sets neither.
     */
    public static TransferOptions withDefaults(TransferOptions o, java.util.Set<String> given) {
        TransferOptions r = o;
        if (!given.contains(TransferSchema.PRETRAIN_VAL_FRACTION.key())) {
            r = r.with(TransferSchema.PRETRAIN_VAL_FRACTION, DEFAULT_PRETRAIN_VAL_FRACTION);
        }
        if (!given.contains(TransferSchema.PRETRAIN_PATIENCE.key())) {
            r = r.with(TransferSchema.PRETRAIN_PATIENCE, DEFAULT_PRETRAIN_PATIENCE);
        }
        return r;
    }

    @Override
    public String name() {
        return "finetune";
    }

    @Override
    public boolean pretrains() {
        return true;
    }
}
