package gear.transfer;

import gear.config.Opt;
import gear.config.Schema;
import gear.train.TrainOptions;
import java.util.List;

/**
 * All hyperparameters of a transfer run (design/GEAR.md §2, §4), declared once here, in {@link #SCHEMA}: the key is
 * the snake_case name of {@code config.json}, the model file and the grid's {@code --set}; the flag of
 * {@code gear transfer} is derived from it ({@code w_curv} → {@code --w-curv}). A run's values of them are a
 * {@link TransferOptions}.
 *
 * <p>The defaults: D-MPNN d_h 300, depth 3, no dropout; d_z 16, d_M 32, map hidden 32, curvature on 8 molecules
 * per batch by the Gauss route (chosen by cost: docs/PERFORMANCE.md "Transfer cost"); α = β = γ = 1, δ (metric)
 * = 1, ε (curvature) = 1e-3, σ_p = 0.1, K = 1, GATE distance and KD weights 1; GEAR's φ initialized
 * near-isometric ({@link PhiInit}), no curvature warm-up; chemprop's training schedule (30 epochs, batch 50,
 * Noam 1e-4 → 1e-3 → 1e-4 with 2 warm-up epochs), no early stopping. These are the <em>declared</em> defaults
 * ({@link TransferOptions#defaults()}: what {@code --help} prints and {@code gear tune} starts from); each method
 * overrides a few of them with the values the tune chose on validation ({@link TransferOptions#defaults(TransferMethod)},
 * {@link TransferMethod#defaults}; GEAR: max_lr 2.48e-3, dropout 0.164, ε = 1.479e-4 with the relative l_curv, δ = 0.3537).
 *
 * <p>Why the isometric init and the declared ε = 1e-3 (docs/RESULTS.md "GEAR on the demo pair: diagnosis and defaults";
 * validation RMSE only): with PyTorch's default init g = JᵀJ ≈ 0.06·I, so |R| ≈ 20–160 and the squared Ricci
 * difference starts at 10³–10⁴; l_metric cannot move g within a run's few hundred Adam steps, and every
 * ε ≥ 1e-3 stalled training (94–99.6 K, the mean predictor). With the isometric init the initial squared
 * difference is ~40 and ε = 1e-3 trains normally. Demo pair, d_h 100, batch 16, 10 epochs, seeds 0/1,
 * validation RMSE (K): STL 38.9/38.8; ε 0 default init 29.3/31.4; ε 0 isometric 25.8/29.9; ε 1e-3 isometric
 * 26.3/30.2. The isometric init is a clear gain; ε = 1e-3 is 0.3–0.4 K <em>worse</em> than ε = 0 there (small
 * against the 4 K seed spread) and is kept so that GEAR still matches curvature, its defining term (pass
 * {@code --w-curv 0} for the validation optimum). δ = 1 was chosen earlier (27.1 K against 29.0 K for δ 0.1,
 * ε 0, demo pair, d_h 300, 20 epochs, seed 0).
 */
public final class TransferSchema {
    /** d_h of the D-MPNN embedding and of the hidden layers of encoder and head. */
    public static final Opt<Integer> HIDDEN_SIZE = gear.nn.DmpnnConfig.HIDDEN_SIZE;
    /** Message passing steps. */
    public static final Opt<Integer> DEPTH = gear.nn.DmpnnConfig.DEPTH;
    /** Dropout of the D-MPNN, encoders and heads. */
    public static final Opt<Double> DROPOUT = gear.nn.DmpnnConfig.DROPOUT;
    /** d_z. */
    public static final Opt<Integer> LATENT_SIZE = Opt.integer("latent_size", 16, 1, "d_z, width of the latent chart z");
    /** d_M. */
    public static final Opt<Integer> COMMON_SIZE = Opt.integer("common_size", 32, 1,
            "d_M, width of the common flat space M (GATE, GEAR; GEAR needs d_M > d_z)");
    /** Hidden width of φ and ψ. */
    public static final Opt<Integer> MAP_HIDDEN = Opt.integer("map_hidden", 32, 1,
            "hidden width of the SiLU maps phi: d_z -> h -> d_M and psi: d_M -> h -> d_z");
    /** α. */
    public static final Opt<Double> W_AUTO = Opt.real("w_auto", 1.0, 0.0, "", "alpha, weight of l_auto");
    /** β. */
    public static final Opt<Double> W_CONS = Opt.real("w_cons", 1.0, 0.0, "", "beta, weight of l_cons");
    /** γ. */
    public static final Opt<Double> W_MAP = Opt.real("w_map", 1.0, 0.0, "", "gamma, weight of l_map");
    /** δ. */
    public static final Opt<Double> W_METRIC = Opt.real("w_metric", 1.0, 0.0, "", "delta, weight of l_metric (GEAR)");
    /** ε. */
    public static final Opt<Double> W_CURV = Opt.real("w_curv", 1e-3, 0.0, "", "epsilon, weight of l_curv (GEAR)");
    /** GATE's distance weight. */
    public static final Opt<Double> W_DIS = Opt.real("w_dis", 1.0, 0.0, "", "weight of GATE's distance loss l_dis");
    /** KD weight. */
    public static final Opt<Double> W_KD = Opt.real("w_kd", 1.0, 0.0, "", "weight of the KD / GSP-KD distillation term");
    /** σ_p. */
    public static final Opt<Double> PERTURB_SCALE = Opt.real("perturb_scale", 0.1, 0.0, "latent units",
            "sigma_p of the perturbations (GEAR: in the latent chart; GATE: in M)");
    /** K. */
    public static final Opt<Integer> PERTURBATIONS = Opt.integer("perturbations", 1, 1, "K perturbations per molecule");
    /** Molecules per batch where curvature is matched. */
    public static final Opt<Integer> CURV_SUBSET = Opt.integer("curv_subset", 8, 1,
            "molecules of each batch at which R is matched (GEAR; at most the batch)");
    /** Curvature route. */
    public static final Opt<String> CURV_ROUTE = Opt.choice("curv_route", "gauss", List.of("gauss", "intrinsic"),
            "curvature route");
    /** Epochs of the target phase. */
    public static final Opt<Integer> EPOCHS = TrainOptions.EPOCHS;
    /** Source epochs of the pretraining phase. */
    public static final Opt<Integer> PRETRAIN_EPOCHS = Opt.integer("pretrain_epochs", 30, 1,
            "source epochs of the pretraining phase of finetune, kd and gspkd");
    /** φ initialization. */
    public static final Opt<String> PHI_INIT = Opt.choice("phi_init", "isometric", List.of("isometric", "default"),
            "GEAR transfer-map init: isometric (g = J^T J rescaled to mean eigenvalue 1) or default (PyTorch)");
    /** Curvature warm-up. */
    public static final Opt<Double> CURV_WARMUP = Opt.real("curv_warmup", 0.0, 0.0, "epochs",
            "GEAR: epochs over which epsilon ramps from 0 (0 = off)");
    /** Form of l_curv ({@link GeometryLosses#curvature}). */
    public static final Opt<String> CURV_LOSS = Opt.choice("curv_loss", "mse", List.of("mse", "relative", "standardized"),
            "GEAR curvature loss: mse of R, relative (R_s-R_t)^2/(R_s^2+R_t^2+c), or mse of batch-standardized R");
    /** The constant c of the scale-aware curvature losses. */
    public static final Opt<Double> CURV_C = Opt.real("curv_c", 1e-6, 0.0, "",
            "c of curv_loss relative (denominator) and standardized (variance floor)");
    /** Source exposure of the paired methods. */
    public static final Opt<Integer> SOURCE_BATCHES = Opt.integer("source_batches", 1, 1,
            "paired methods (mtl, gate, gear): source molecules per step, in batches of batch_size (1 = as many as target)");
    /** GATE's φ initialization. */
    public static final Opt<String> GATE_PHI_INIT = Opt.choice("gate_phi_init", "default", List.of("default", "isometric"),
            "GATE transfer-map init: default (PyTorch) or isometric (as GEAR's phi_init isometric)");
    /** Share of the purged source held out to validate the pretraining phase. */
    public static final Opt<Double> PRETRAIN_VAL_FRACTION = Opt.real("pretrain_val_fraction", 0.0, 0.0, "",
            "finetune, kd, gspkd: share of the source held out (seeded) to validate pretraining and keep its best epoch "
                    + "(0 = no split, the last of pretrain_epochs is kept)");
    /** Early stopping of the pretraining phase. */
    public static final Opt<Integer> PRETRAIN_PATIENCE = Opt.integer("pretrain_patience", 0, 0,
            "source epochs without improvement of the source validation score before pretraining stops (0 = off; "
                    + "needs pretrain_val_fraction > 0)");
    /** Peak learning rate of the source pretraining. */
    public static final Opt<Double> PRETRAIN_MAX_LR = Opt.real("pretrain_max_lr", 1e-3, Double.MIN_VALUE, "",
            "finetune, kd, gspkd and source_init pretrained or both: learning rate after warm-up of the source "
                    + "pretraining (max_lr is the target phase's), so that one pretraining serves every target-phase "
                    + "setting");
    /** Dropout of the source pretraining. */
    public static final Opt<Double> PRETRAIN_DROPOUT = Opt.real("pretrain_dropout", 0.0, 0.0, "",
            "finetune (also across k tasks), kd, gspkd and source_init pretrained or both: dropout probability of the "
                    + "source pretraining (dropout is the target phase's)");
    /** Warm start of the paired methods' source network. */
    public static final Opt<String> SOURCE_INIT = Opt.choice("source_init", "scratch", List.of("scratch", "pretrained",
            "both"), "mtl, gate, gear: source network from scratch, or warm-started from the shared source pretraining "
                    + "(the one finetune, kd and gspkd use); both: the target network's embedding and encoder too, "
                    + "as fine-tuning's");

    /**
     * The target molecules removed from the source before training (by canonical SMILES): {@code test}, the target's
     * test part (design/GEAR.md §6); {@code validation}, its validation part too, so that validation molecules, like
     * test molecules, carry no source label (docs/RESULTS.md "Validation molecules in the source"). The default is
     * {@code validation} since 2026-12-07 (before, {@code test}: {@link #LEGACY}), as with {@code test} every choice
     * made on validation (early stopping, tuning, the best baseline on validation) is flattered for the methods that
     * read the source.
     */
    public static final Opt<String> SOURCE_PURGE = Opt.choice("source_purge", "validation", List.of("test",
            "validation"), "target molecules removed from the source: validation (the target's validation and test "
                    + "parts, so that validation molecules carry no source label, as test molecules) or test (its test "
                    + "part only, the default before 2026-12-07)");

    /**
     * Options added after runs, grid cells and checkpoints were written without them, each with the value those ran
     * with. Fingerprints ({@link TransferOptions#fingerprintJson}: the grid's cells, the checkpoints) leave such an
     * option out at that value, so that what was written before it existed stays valid; a later change of an option's
     * declared default does not change its value here. Files that do not name such an option (model files, a tune's
     * or a run's {@code config.json} from before it existed) are read with this value ({@link
     * TransferOptions#fromJson}), not the declared default.
     */
    public static final java.util.Map<Opt<?>, String> LEGACY = java.util.Map.of(SOURCE_PURGE, "test");

    /** Every option of a transfer run, in help and file order. */
    public static final Schema SCHEMA = new Schema("transfer",
            List.of(HIDDEN_SIZE, DEPTH, DROPOUT, LATENT_SIZE, COMMON_SIZE, MAP_HIDDEN, W_AUTO, W_CONS, W_MAP, W_METRIC,
                W_CURV, W_DIS, W_KD, PERTURB_SCALE, PERTURBATIONS, CURV_SUBSET, CURV_ROUTE, EPOCHS, PRETRAIN_EPOCHS,
                TrainOptions.BATCH_SIZE, TrainOptions.INIT_LR, TrainOptions.MAX_LR, TrainOptions.FINAL_LR,
                TrainOptions.WARMUP_EPOCHS, TrainOptions.PATIENCE, TrainOptions.MIN_DELTA, TrainOptions.CLIP_NORM, PHI_INIT,
                CURV_WARMUP, CURV_LOSS, CURV_C, GATE_PHI_INIT, SOURCE_BATCHES, PRETRAIN_VAL_FRACTION, PRETRAIN_PATIENCE,
                SOURCE_INIT, PRETRAIN_MAX_LR, PRETRAIN_DROPOUT, SOURCE_PURGE));

    private TransferSchema() {}
}
