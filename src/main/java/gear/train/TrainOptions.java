package gear.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.config.Opt;
import gear.config.Schema;
import gear.config.Values;
import java.util.List;

/**
 * Options of the training loop (chemprop v1 names and defaults; model hyperparameters live in
 * {@link gear.nn.DmpnnConfig}), each declared once as an {@link Opt} in {@link #SCHEMA}: key, default, unit,
 * description and rule. The same {@code Opt}s are options of {@code gear train} ({@code gear.run.TrainConfig#SCHEMA})
 * and of {@code gear transfer} ({@code gear.transfer.TransferSchema#SCHEMA}), so that each is declared once.
 * Immutable; set options with {@link #with(Opt, Object)}:
 *
 * <pre>{@code TrainOptions o = TrainOptions.defaults().with(TrainOptions.EPOCHS, 5).with(TrainOptions.SEED, 3L);}</pre>
 *
 * <p>One rule spans two options: the warm-up is capped at the epochs (a value above them is set to them), as the
 * Noam schedule needs {@code warmup_epochs ≤ epochs}.
 */
public final class TrainOptions {
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
    /**
     * Cores: a run option of every command that computes. Training ({@code train}, {@code transfer} of a pair or of k
     * tasks, {@code demo}) runs each step's D-MPNN data-parallel on this many lanes of one libtorch thread each
     * ({@link gear.nn.EncoderLanes}; results equal up to float summation order); the other commands use it as libtorch
     * and OpenBLAS intra-op threads.
     */
    public static final Opt<Integer> THREADS = Opt.integer("threads", 1, 1,
            "cores: data-parallel lanes of each training step (train, transfer of two or k tasks, demo), else (predict, "
                    + "embed, curvature) libtorch and OpenBLAS threads");
    /** Compute device: a run option of every command that trains. */
    public static final Opt<String> DEVICE = Opt.text("device", "cpu", "compute device: cpu, cuda or cuda:N");
    /** The training-loop options, in help and file order. */
    public static final List<Opt<?>> OPTIONS = List.of(EPOCHS, BATCH_SIZE, INIT_LR, MAX_LR, FINAL_LR, WARMUP_EPOCHS, PATIENCE,
            MIN_DELTA, CLIP_NORM, SEED);
    /** The training-loop options as a schema. */
    public static final Schema SCHEMA = new Schema("training", OPTIONS);

    private final Values values;

    private TrainOptions(Values values) {
        if (values.schema() != SCHEMA) {
            throw new IllegalArgumentException("values of schema " + values.schema().name() + " are not training options");
        }
        double cap = values.get(EPOCHS);
        this.values = values.get(WARMUP_EPOCHS) > cap ? values.with(WARMUP_EPOCHS, cap) : values;
    }

    /** @return chemprop v1's defaults with seed 0 */
    public static TrainOptions defaults() {
        return new TrainOptions(Values.defaults(SCHEMA));
    }

    /**
     * @param v values of any schema that declares every option of {@link #OPTIONS} (e.g. {@code gear train}'s)
     * @return the training options among them
     */
    public static TrainOptions of(Values v) {
        Values t = Values.defaults(SCHEMA);
        for (Opt<?> o : OPTIONS) {
            t = copy(t, v, o);
        }
        return new TrainOptions(t);
    }

    private static <T> Values copy(Values into, Values from, Opt<T> o) {
        return into.with(o, from.get(o));
    }

    /** @return the values */
    public Values values() {
        return values;
    }

    /** @return the value of an option */
    public <T> T get(Opt<T> o) {
        return values.get(o);
    }

    /** @return a copy with one option set (validated; the warm-up capped at the epochs) */
    public <T> TrainOptions with(Opt<T> o, T value) {
        return new TrainOptions(values.with(o, value));
    }

    /**
     * @return a copy with one option set from text (key in any spelling)
     * @throws gear.config.UnknownOptionException naming the key and the closest valid one
     */
    public TrainOptions with(String key, String value) {
        return new TrainOptions(values.with(key, value));
    }

    /** @return number of epochs (chemprop 30) */
    public int epochs() {
        return get(EPOCHS);
    }

    /** @return molecules per batch (chemprop 50) */
    public int batchSize() {
        return get(BATCH_SIZE);
    }

    /** @return learning rate at step 0 (chemprop 1e-4) */
    public double initLr() {
        return get(INIT_LR);
    }

    /** @return learning rate at the end of warm-up (chemprop 1e-3) */
    public double maxLr() {
        return get(MAX_LR);
    }

    /** @return learning rate at the last step (chemprop 1e-4) */
    public double finalLr() {
        return get(FINAL_LR);
    }

    /** @return epochs of linear warm-up (chemprop 2; at most the epochs) */
    public double warmupEpochs() {
        return get(WARMUP_EPOCHS);
    }

    /** @return stop after this many epochs without a better validation score; 0 = never */
    public int patience() {
        return get(PATIENCE);
    }

    /** @return an epoch is better only when it beats the best validation score by more than this (original units) */
    public double minDelta() {
        return get(MIN_DELTA);
    }

    /** @return the gradient's global L2 norm is clipped to this value; 0 = no clipping */
    public double clipNorm() {
        return get(CLIP_NORM);
    }

    /** @return seed of initialization, shuffling and dropout */
    public long seed() {
        return get(SEED);
    }

    /** @return the stable JSON form (snake_case keys, in {@link #OPTIONS} order) */
    public ObjectNode toJson(ObjectMapper json) {
        return values.toJson(json);
    }

    /**
     * Reads the form written by {@link #toJson} (absent keys, e.g. {@code min_delta} in files written before it
     * existed, take their defaults).
     *
     * @throws IllegalArgumentException when a key is unknown or a value invalid
     */
    public static TrainOptions fromJson(JsonNode n) {
        return new TrainOptions(Values.fromJson(SCHEMA, n));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainOptions t && t.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "TrainOptions" + values;
    }
}
