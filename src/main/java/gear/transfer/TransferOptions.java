package gear.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.config.Opt;
import gear.config.Values;
import gear.geometry.Curvature.Route;
import gear.train.TrainOptions;
import java.util.List;
import java.util.Map;

/**
 * The values of a transfer run's hyperparameters, declared in {@link TransferSchema} (keys, defaults, rules; the
 * declared defaults and why they are what they are are documented there). Immutable; set options with
 * {@link #with(Opt, Object)} or {@link #with(String, String)}; {@link #defaults(TransferMethod)} gives a method's
 * defaults (the declared ones with the values the tune chose on validation over them).
 */
public final class TransferOptions {

    private final Values values;

    private TransferOptions(Values values) {
        if (values.schema() != TransferSchema.SCHEMA) {
            throw new IllegalArgumentException("values of schema " + values.schema().name() + " are not transfer options");
        }
        this.values = values;
    }

    /**
     * @return every option at its declared default, the same for every method (what {@code gear tune} starts
     *     from, so that its trials' fingerprints do not move with the methods' defaults)
     */
    public static TransferOptions defaults() {
        return new TransferOptions(Values.defaults(TransferSchema.SCHEMA));
    }

    /**
     * @param method the method a run trains
     * @return every option at its default for that method: the declared defaults with the method's own
     *     ({@link TransferMethod#defaults}, chosen on validation) over them; what {@code gear transfer},
     *     {@code gear benchmark} cells, the demo and the API start from before the user's options
     */
    public static TransferOptions defaults(TransferMethod method) {
        return defaults().with(method.defaults());
    }

    /** @return the options of these values */
    public static TransferOptions of(Values v) {
        return new TransferOptions(v);
    }

    /** @return the values */
    public Values values() {
        return values;
    }

    /** @return the value of an option */
    public <T> T get(Opt<T> o) {
        return values.get(o);
    }

    /** @return a copy with one option set (validated) */
    public <T> TransferOptions with(Opt<T> o, T value) {
        return new TransferOptions(values.with(o, value));
    }

    /**
     * @return a copy with one option set from text (key in any spelling)
     * @throws gear.config.UnknownOptionException naming the key and the closest valid one
     */
    public TransferOptions with(String key, String value) {
        return new TransferOptions(values.with(key, value));
    }

    /** @return a copy with every entry set (all keys checked before any is set) */
    public TransferOptions with(Map<String, String> text) {
        return new TransferOptions(values.with(text));
    }

    /** @return the training options of a phase of {@code epochs} epochs (warm-up capped at the epochs) */
    public TrainOptions training(int epochs, int patience, long seed) {
        return TrainOptions.defaults().with(TransferSchema.EPOCHS, epochs).with(TrainOptions.BATCH_SIZE, batchSize())
                .with(TrainOptions.INIT_LR, initLr()).with(TrainOptions.MAX_LR, maxLr()).with(TrainOptions.FINAL_LR, finalLr())
                .with(TrainOptions.WARMUP_EPOCHS, Math.min(warmupEpochs(), epochs)).with(TrainOptions.PATIENCE, patience)
                .with(TrainOptions.MIN_DELTA, get(TrainOptions.MIN_DELTA)).with(TrainOptions.CLIP_NORM, clipNorm())
                .with(TrainOptions.SEED, seed);
    }

    /** @return d_h */
    public int hiddenSize() {
        return get(TransferSchema.HIDDEN_SIZE);
    }

    /** @return message passing steps */
    public int depth() {
        return get(TransferSchema.DEPTH);
    }

    /** @return dropout probability */
    public double dropout() {
        return get(TransferSchema.DROPOUT);
    }

    /** @return d_z */
    public int latentSize() {
        return get(TransferSchema.LATENT_SIZE);
    }

    /** @return d_M */
    public int commonSize() {
        return get(TransferSchema.COMMON_SIZE);
    }

    /** @return hidden width of φ and ψ */
    public int mapHidden() {
        return get(TransferSchema.MAP_HIDDEN);
    }

    /** @return α */
    public double wAuto() {
        return get(TransferSchema.W_AUTO);
    }

    /** @return β */
    public double wCons() {
        return get(TransferSchema.W_CONS);
    }

    /** @return γ */
    public double wMap() {
        return get(TransferSchema.W_MAP);
    }

    /** @return δ */
    public double wMetric() {
        return get(TransferSchema.W_METRIC);
    }

    /** @return ε */
    public double wCurv() {
        return get(TransferSchema.W_CURV);
    }

    /** @return GATE's distance weight */
    public double wDis() {
        return get(TransferSchema.W_DIS);
    }

    /** @return KD weight */
    public double wKd() {
        return get(TransferSchema.W_KD);
    }

    /** @return σ_p */
    public double perturbScale() {
        return get(TransferSchema.PERTURB_SCALE);
    }

    /** @return K */
    public int perturbations() {
        return get(TransferSchema.PERTURBATIONS);
    }

    /** @return curvature points per batch */
    public int curvSubset() {
        return get(TransferSchema.CURV_SUBSET);
    }

    /** @return the curvature route */
    public Route curvRoute() {
        return Route.parse(get(TransferSchema.CURV_ROUTE));
    }

    /** @return target-phase epochs */
    public int epochs() {
        return get(TransferSchema.EPOCHS);
    }

    /** @return pretraining epochs */
    public int pretrainEpochs() {
        return get(TransferSchema.PRETRAIN_EPOCHS);
    }

    /** @return share of the source held out to validate pretraining (0 = none) */
    public double pretrainValFraction() {
        return get(TransferSchema.PRETRAIN_VAL_FRACTION);
    }

    /**
     * @return the options the source pretraining runs with: these, with {@code max_lr} and {@code dropout} replaced
     *     by {@code pretrain_max_lr} and {@code pretrain_dropout} (the same object where they already agree)
     */
    public TransferOptions pretraining() {
        double lr = get(TransferSchema.PRETRAIN_MAX_LR);
        double p = get(TransferSchema.PRETRAIN_DROPOUT);
        if (lr == maxLr() && p == dropout()) {
            return this;
        }
        return with(TrainOptions.MAX_LR, lr).with(TransferSchema.DROPOUT, p);
    }

    /** @return early-stopping patience of the pretraining phase (0 = off) */
    public int pretrainPatience() {
        return get(TransferSchema.PRETRAIN_PATIENCE);
    }

    /** @return whether the paired methods' source network starts from the shared pretraining ({@code pretrained}, {@code both}) */
    public boolean sourceInitPretrained() {
        return !get(TransferSchema.SOURCE_INIT).equals("scratch");
    }

    /** @return whether the paired methods' target network (embedding, encoder) starts from it too ({@code both}) */
    public boolean targetInitPretrained() {
        return get(TransferSchema.SOURCE_INIT).equals("both");
    }

    /** @return whether the target's validation molecules are removed from the source too ({@code source_purge validation}) */
    public boolean purgeValidation() {
        return get(TransferSchema.SOURCE_PURGE).equals("validation");
    }

    /** @return molecules per task per batch */
    public int batchSize() {
        return get(TrainOptions.BATCH_SIZE);
    }

    /** @return Noam start */
    public double initLr() {
        return get(TrainOptions.INIT_LR);
    }

    /** @return Noam peak */
    public double maxLr() {
        return get(TrainOptions.MAX_LR);
    }

    /** @return Noam end */
    public double finalLr() {
        return get(TrainOptions.FINAL_LR);
    }

    /** @return Noam warm-up epochs */
    public double warmupEpochs() {
        return get(TrainOptions.WARMUP_EPOCHS);
    }

    /** @return early-stopping patience of the target phase (0 = off) */
    public int patience() {
        return get(TrainOptions.PATIENCE);
    }

    /** @return gradient-norm clipping (0 = off) */
    public double clipNorm() {
        return get(TrainOptions.CLIP_NORM);
    }

    /** @return whether GEAR's φ is initialized near-isometric */
    public boolean isometricInit() {
        return get(TransferSchema.PHI_INIT).equals("isometric");
    }

    /** @return whether GATE's φ is initialized near-isometric ({@link PhiInit}) */
    public boolean gateIsometricInit() {
        return get(TransferSchema.GATE_PHI_INIT).equals("isometric");
    }

    /** @return source molecules per target-phase step of a paired method, in batches of {@link #batchSize} */
    public int sourceBatches() {
        return get(TransferSchema.SOURCE_BATCHES);
    }

    /** @return the form of l_curv: {@code mse}, {@code relative} or {@code standardized} */
    public String curvLoss() {
        return get(TransferSchema.CURV_LOSS);
    }

    /** @return c of the scale-aware curvature losses */
    public double curvC() {
        return get(TransferSchema.CURV_C);
    }

    /** @return GEAR's curvature warm-up epochs */
    public double curvWarmup() {
        return get(TransferSchema.CURV_WARMUP);
    }

    /** @return the stable JSON form (snake_case keys of {@link TransferSchema#SCHEMA}) */
    public ObjectNode toJson(ObjectMapper json) {
        return values.toJson(json);
    }

    /**
     * {@link #toJson} without the options of {@link TransferSchema#LEGACY} that hold the value runs had before those
     * options existed: the form that fingerprints hash (the grid's cells, the checkpoints), so that theirs stay valid.
     */
    public ObjectNode fingerprintJson(ObjectMapper json) {
        return withoutLegacy(toJson(json));
    }

    /** @return {@code o} (changed in place) without the options of {@link TransferSchema#LEGACY} at their legacy value */
    public static ObjectNode withoutLegacy(ObjectNode o) {
        TransferSchema.LEGACY.forEach((opt, v) -> {
            if (o.path(opt.key()).asText().equals(v)) {
                o.remove(opt.key());
            }
        });
        return o;
    }

    /**
     * Parses the form written by {@link #toJson}. Files written before {@code phi_init} and
     * {@code curv_warmup} existed were trained without them (default init, no warm-up); files written before
     * {@code pretrain_max_lr} and {@code pretrain_dropout} existed pretrained at their {@code max_lr} and
     * {@code dropout}, which these take; options of {@link TransferSchema#LEGACY} take the value runs had before
     * they existed ({@code source_purge test}); other absent keys take their declared defaults (what such a file trained
     * with), never a method's tuned ones.
     *
     * @throws IllegalArgumentException when a key is unknown or a value invalid
     */
    public static TransferOptions fromJson(JsonNode n) {
        TransferOptions o = new TransferOptions(Values.fromJson(TransferSchema.SCHEMA, n));
        if (n == null || !n.hasNonNull(TransferSchema.PHI_INIT.key())) {
            o = o.with(TransferSchema.PHI_INIT, "default");
        }
        if (n != null && !n.hasNonNull(TransferSchema.PRETRAIN_MAX_LR.key())) {
            o = o.with(TransferSchema.PRETRAIN_MAX_LR, o.maxLr());
        }
        if (n != null && !n.hasNonNull(TransferSchema.PRETRAIN_DROPOUT.key())) {
            o = o.with(TransferSchema.PRETRAIN_DROPOUT, o.dropout());
        }
        for (var e : TransferSchema.LEGACY.entrySet()) { // written before the option existed: the value it ran with
            if (n != null && !n.hasNonNull(e.getKey().key())) {
                o = o.with(e.getKey().key(), e.getValue());
            }
        }
        return o;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransferOptions t && t.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
