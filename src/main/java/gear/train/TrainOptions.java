package gear.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import gear.config.Opt;
import java.util.List;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Options of the training loop (chemprop v1 names and defaults; model hyperparameters live in
 * {@link gear.nn.DmpnnConfig}), each declared once as an {@link Opt} ({@link #OPTIONS}): key, default,
 * unit, description and rule; the record checks the same rules.
 *
 * @param epochs number of epochs (chemprop 30)
 * @param batchSize molecules per batch (chemprop 50)
 * @param initLr learning rate at step 0 (chemprop 1e-4)
 * @param maxLr learning rate at the end of warm-up (chemprop 1e-3)
 * @param finalLr learning rate at the last step (chemprop 1e-4)
 * @param warmupEpochs epochs of linear warm-up (chemprop 2)
 * @param patience stop after this many epochs without a better validation score; 0 = never
 * @param minDelta an epoch is better only when it beats the best validation score by more than this
 *     (original units; 0 = any improvement)
 * @param clipNorm clip the gradient's global L2 norm to this value; 0 = no clipping
 * @param seed seed of initialization, shuffling and dropout
 */
public record TrainOptions(int epochs, int batchSize, double initLr, double maxLr, double finalLr, double warmupEpochs,
        int patience, double minDelta, double clipNorm, long seed) {

    /** Training epochs. */
    public static final Opt<Integer> EPOCHS = Opt.integer("epochs", 30, 1, "training epochs (one pass over the training set)");
    /** Molecules per batch. */
    public static final Opt<Integer> BATCH_SIZE = Opt.integer("batch_size", 50, 1, "molecules per batch (per task in a paired batch)");
    /** Noam start. */
    public static final Opt<Double> INIT_LR = Opt.real("init_lr", 1e-4, Double.MIN_VALUE, "", "learning rate at the start");
    /** Noam peak. */
    public static final Opt<Double> MAX_LR = Opt.real("max_lr", 1e-3, Double.MIN_VALUE, "", "learning rate after warm-up");
    /** Noam end. */
    public static final Opt<Double> FINAL_LR = Opt.real("final_lr", 1e-4, Double.MIN_VALUE, "", "learning rate at the end");
    /** Warm-up. */
    public static final Opt<Double> WARMUP_EPOCHS = Opt.real("warmup_epochs", 2.0, 0.0, "epochs",
            "epochs of linear warm-up (capped at the epochs)");
    /** Early stopping. */
    public static final Opt<Integer> PATIENCE = Opt.integer("patience", 0, 0,
            "stop after N epochs without a better validation score (0 = never)");
    /** Minimum improvement. */
    public static final Opt<Double> MIN_DELTA = Opt.real("min_delta", 0.0, 0.0, "target units",
            "an epoch counts as better only when it beats the best validation score by more than this");
    /** Clipping. */
    public static final Opt<Double> CLIP_NORM = Opt.real("clip_norm", 0.0, 0.0, "", "clip the gradient's global L2 norm (0 = off)");
    /** Seed. */
    public static final Opt<Long> SEED = Opt.int64("seed", 0L, "seed of splits, initialization, shuffling and dropout");
    /** The training-loop options, in help order. */
    public static final List<Opt<?>> OPTIONS = List.of(EPOCHS, BATCH_SIZE, INIT_LR, MAX_LR, FINAL_LR, WARMUP_EPOCHS, PATIENCE,
            MIN_DELTA, CLIP_NORM, SEED);

    /** Validates the values. */
    public TrainOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
        }
        if (!(initLr > 0) || !(maxLr > 0) || !(finalLr > 0)) {
            throw new IllegalArgumentException("learning rates must be positive, got --init-lr " + initLr
                    + " --max-lr " + maxLr + " --final-lr " + finalLr);
        }
        if (!(warmupEpochs >= 0) || warmupEpochs > epochs) {
            throw new IllegalArgumentException("--warmup-epochs must be in [0, epochs], got " + warmupEpochs);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("--patience must be at least 0, got " + patience);
        }
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("--min-delta must be a finite number ≥ 0, got " + minDelta);
        }
        if (!(clipNorm >= 0)) {
            throw new IllegalArgumentException("--clip-norm must be at least 0, got " + clipNorm);
        }
    }

    /** @return chemprop v1's defaults with seed 0 */
    public static TrainOptions defaults() {
        return new TrainOptions(EPOCHS.defaultValue(), BATCH_SIZE.defaultValue(), INIT_LR.defaultValue(), MAX_LR.defaultValue(),
                FINAL_LR.defaultValue(), WARMUP_EPOCHS.defaultValue(), PATIENCE.defaultValue(), MIN_DELTA.defaultValue(),
                CLIP_NORM.defaultValue(), SEED.defaultValue());
    }

    /** @return a copy with another number of epochs */
    public TrainOptions withEpochs(int e) {
        return new TrainOptions(e, batchSize, initLr, maxLr, finalLr, Math.min(warmupEpochs, e), patience, minDelta, clipNorm, seed);
    }

    /** @return a copy with another batch size */
    public TrainOptions withBatchSize(int b) {
        return new TrainOptions(epochs, b, initLr, maxLr, finalLr, warmupEpochs, patience, minDelta, clipNorm, seed);
    }

    /** @return a copy with other learning rates */
    public TrainOptions withLr(double init, double max, double fin) {
        return new TrainOptions(epochs, batchSize, init, max, fin, warmupEpochs, patience, minDelta, clipNorm, seed);
    }

    /** @return a copy with another warm-up length */
    public TrainOptions withWarmupEpochs(double w) {
        return new TrainOptions(epochs, batchSize, initLr, maxLr, finalLr, w, patience, minDelta, clipNorm, seed);
    }

    /** @return a copy with early stopping after {@code p} epochs without improvement (0 = off) */
    public TrainOptions withPatience(int p) {
        return new TrainOptions(epochs, batchSize, initLr, maxLr, finalLr, warmupEpochs, p, minDelta, clipNorm, seed);
    }

    /** @return a copy with another minimum improvement of the validation score */
    public TrainOptions withMinDelta(double d) {
        return new TrainOptions(epochs, batchSize, initLr, maxLr, finalLr, warmupEpochs, patience, d, clipNorm, seed);
    }

    /** @return a copy with gradient-norm clipping (0 = off) */
    public TrainOptions withClipNorm(double c) {
        return new TrainOptions(epochs, batchSize, initLr, maxLr, finalLr, warmupEpochs, patience, minDelta, c, seed);
    }

    /** @return a copy with another seed */
    public TrainOptions withSeed(long s) {
        return new TrainOptions(epochs, batchSize, initLr, maxLr, finalLr, warmupEpochs, patience, minDelta, clipNorm, s);
    }

    /** @return the stable JSON form (snake_case keys) */
    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode n = json.createObjectNode();
        n.put("epochs", epochs);
        n.put("batch_size", batchSize);
        n.put("init_lr", initLr);
        n.put("max_lr", maxLr);
        n.put("final_lr", finalLr);
        n.put("warmup_epochs", warmupEpochs);
        n.put("patience", patience);
        n.put("min_delta", minDelta);
        n.put("clip_norm", clipNorm);
        n.put("seed", seed);
        return n;
    }
}
