package gear.experiment.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.SplitType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of {@code results.csv} / {@code results.json}: a cell's coordinates, sizes and metrics.
 *
 * @param cell cell id
 * @param pair pair id
 * @param source source data set (and column)
 * @param target target data set (and column)
 * @param method method
 * @param splitType split type (CLI name)
 * @param fold validation fold
 * @param seed seed
 * @param nTrain target training molecules
 * @param nVal target validation molecules
 * @param nTest target test molecules
 * @param nSource source molecules after the purge
 * @param result the runner's metrics
 * @param fingerprint {@link GridConfig#fingerprint} of the configuration it was run under
 * @param noiseFraction fraction of the target training labels corrupted (0 = clean)
 * @param noiseSigma the corruption's shift in training standard deviations (NaN for a clean cell)
 * @param extrapolation in-range/out-of-range test RMSE ({@link Extrapolation.Stats#NONE} without predictions)
 * @param budget the cell's epoch budgets and selected pretraining epoch ({@link Convergence}; NONE when unknown)
 * @param targetSplit the fingerprint of the cell's target split ({@link TargetSplit}; JSON key {@code target_split}, not a
 *     column of results.csv); null for a cell finished before it was recorded
 */
public record ResultRow(String cell, String pair, String source, String target, String method, String splitType, int fold,
        long seed, int nTrain, int nVal, int nTest, int nSource, CellResult result, String fingerprint, double noiseFraction,
        double noiseSigma, Extrapolation.Stats extrapolation, Convergence.Budget budget, String targetSplit) {
    /**
     * Column order of {@code results.csv}; the columns after {@code cell} (noise, training RMSE,
     * extrapolation; then the budgets of the convergence check; then {@code mean_abs_r_sources}) were appended later,
     * so the earlier columns keep their positions. In a task-set cell {@code mean_abs_r_source} is the first
     * source's mean |R| and {@code mean_abs_r_sources} every source's, {@code ;}-separated in the order of
     * {@code source}. {@code best_epoch} and {@code source_best_epoch} are 0-based.
     */
    public static final List<String> COLUMNS = List.of("pair", "source", "target", "method", "split_type", "fold", "seed",
            "n_train", "n_val", "n_test", "n_source", "test_rmse", "test_mae", "test_r2", "val_rmse", "best_epoch",
            "train_seconds", "mean_abs_r_source", "mean_abs_r_target", "cell", "noise_fraction", "noise_sigma", "train_rmse",
            "train_rmse_last", "val_rmse_last", "train_min", "train_max", "n_test_in_range", "n_test_out_of_range",
            "test_rmse_in_range", "test_rmse_out_of_range", "epochs", "pretrain_epochs", "source_best_epoch", "source_epochs",
            "mean_abs_r_sources");

    public ResultRow {
        extrapolation = extrapolation == null ? Extrapolation.Stats.NONE : extrapolation;
        budget = budget == null ? Convergence.Budget.NONE : budget;
    }

    /** A row without a recorded target split. */
    public ResultRow(String cell, String pair, String source, String target, String method, String splitType, int fold,
            long seed, int nTrain, int nVal, int nTest, int nSource, CellResult result, String fingerprint, double noiseFraction,
            double noiseSigma, Extrapolation.Stats extrapolation, Convergence.Budget budget) {
        this(cell, pair, source, target, method, splitType, fold, seed, nTrain, nVal, nTest, nSource, result, fingerprint,
                noiseFraction, noiseSigma, extrapolation, budget, null);
    }

    /** A row without a known budget. */
    public ResultRow(String cell, String pair, String source, String target, String method, String splitType, int fold,
            long seed, int nTrain, int nVal, int nTest, int nSource, CellResult result, String fingerprint, double noiseFraction,
            double noiseSigma, Extrapolation.Stats extrapolation) {
        this(cell, pair, source, target, method, splitType, fold, seed, nTrain, nVal, nTest, nSource, result, fingerprint,
                noiseFraction, noiseSigma, extrapolation, Convergence.Budget.NONE);
    }

    /** @return this row under another method name (the statistics of a GEAR variant, {@link Comparisons#computeFor}) */
    public ResultRow withMethod(String name) {
        return new ResultRow(cell, pair, source, target, name, splitType, fold, seed, nTrain, nVal, nTest, nSource, result,
                fingerprint, noiseFraction, noiseSigma, extrapolation, budget, targetSplit);
    }

    /** @return this row with the given budget */
    public ResultRow withBudget(Convergence.Budget b) {
        return new ResultRow(cell, pair, source, target, method, splitType, fold, seed, nTrain, nVal, nTest, nSource, result,
                fingerprint, noiseFraction, noiseSigma, extrapolation, b, targetSplit);
    }

    /** @return this row with the given target-split fingerprint ({@link TargetSplit}; null: none recorded) */
    public ResultRow withTargetSplit(String split) {
        return new ResultRow(cell, pair, source, target, method, splitType, fold, seed, nTrain, nVal, nTest, nSource, result,
                fingerprint, noiseFraction, noiseSigma, extrapolation, budget, split);
    }

    /** A clean row without extrapolation numbers. */
    public ResultRow(String cell, String pair, String source, String target, String method, String splitType, int fold,
            long seed, int nTrain, int nVal, int nTest, int nSource, CellResult result, String fingerprint) {
        this(cell, pair, source, target, method, splitType, fold, seed, nTrain, nVal, nTest, nSource, result, fingerprint, 0.0,
                Double.NaN, Extrapolation.Stats.NONE);
    }

    /** @return the row for a finished cell, {@code n_source} the cell's source after the grid's test purge */
    public static ResultRow of(Cell c, CellResult r, String fingerprint, Extrapolation.Stats extrapolation,
            Convergence.Budget budget) {
        return of(c, r, fingerprint, extrapolation, budget, c.source().size());
    }

    /** @return the row for a finished cell whose run trained on {@code nSource} source molecules */
    public static ResultRow of(Cell c, CellResult r, String fingerprint, Extrapolation.Stats extrapolation,
            Convergence.Budget budget, int nSource) {
        return new ResultRow(c.id(), c.key().pair(), c.pair().sourceLabel(), c.pair().target().toString(), c.method(),
                c.key().splitType().cliName(), c.key().fold(), c.seed(), c.train().length, c.val().length, c.test().length,
                nSource, r, fingerprint, c.key().noise(), c.noise() == null ? Double.NaN : c.noise().sigma(),
                extrapolation, budget, TargetSplit.of(c.target(), c.train(), c.val(), c.test()));
    }

    /**
     * @return the source molecules a cell's run trained on, as its {@code config.json} records them (a pair's
     *     {@code n_source_train}, after every purge: with {@code source_purge validation} fewer than the grid's source;
     *     a task set's first task's {@code n_train}), or {@code fallback} where the cell directory holds no such record
     */
    static int sourceTrained(java.nio.file.Path cellDir, int fallback) {
        java.nio.file.Path f = cellDir.resolve("config.json");
        if (!java.nio.file.Files.isRegularFile(f)) {
            return fallback;
        }
        try {
            JsonNode c = new com.fasterxml.jackson.databind.ObjectMapper().readTree(f.toFile());
            if (c.path("n_source_train").isInt()) {
                return c.get("n_source_train").asInt();
            }
            JsonNode first = c.path("tasks").path(0).path("n_train");
            return first.isInt() ? first.asInt() : fallback;
        } catch (java.io.IOException | RuntimeException e) {
            return fallback;
        }
    }

    /** @return the cell's coordinates */
    public CellKey key() {
        return new CellKey(pair, method, SplitType.parse(splitType), fold, seed, noiseFraction);
    }

    /** @return the values in {@link #COLUMNS} order (numbers as Java doubles/ints; null where absent) */
    public Object[] values() {
        Extrapolation.Stats x = extrapolation;
        return new Object[] {pair, source, target, method, splitType, fold, seed, nTrain, nVal, nTest, nSource,
            result.testRmse(), result.testMae(), result.testR2(), result.valRmse(), result.bestEpoch(), result.trainSeconds(),
            result.meanAbsR().get("source"), result.meanAbsR().get("target"), cell, noiseFraction, noiseSigma,
            result.trainRmse(), result.trainRmseLast(), result.valRmseLast(), x.trainMin(), x.trainMax(),
            x.nIn() < 0 ? null : x.nIn(), x.nOut() < 0 ? null : x.nOut(), x.rmseIn(), x.rmseOut(), known(budget.epochs()),
            known(budget.pretrainEpochs()), known(budget.sourceBestEpoch()), known(budget.sourceEpochs()),
            sourcesText(result.sourcesMeanAbsR())};
    }

    /** @return a task-set cell's per-source mean |R|, {@code ;}-separated in the sources' order (null for none) */
    private static String sourcesText(List<Double> v) {
        return v.isEmpty() ? null : String.join(";", v.stream().map(String::valueOf).toList());
    }

    private static Integer known(int n) {
        return n < 0 ? null : n;
    }

    /**
     * @return the row as a JSON object (keys {@link #COLUMNS}, plus {@code fingerprint} and, when recorded,
     *     {@code target_split}; NaN and absent as null)
     */
    public ObjectNode toJson() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        Object[] v = values();
        for (int i = 0; i < COLUMNS.size(); i++) {
            Object x = v[i];
            String k = COLUMNS.get(i);
            if (x == null || (x instanceof Double d && !Double.isFinite(d))) {
                o.putNull(k);
            } else if (x instanceof Double d) {
                o.put(k, d);
            } else if (x instanceof Integer n) {
                o.put(k, n);
            } else if (x instanceof Long n) {
                o.put(k, n);
            } else {
                o.put(k, x.toString());
            }
        }
        o.put("fingerprint", fingerprint);
        if (targetSplit != null) {
            o.put("target_split", targetSplit);
        }
        return o;
    }

    /** Parses {@link #toJson()}; keys added later (noise, training RMSE, extrapolation, budgets) may be absent. */
    public static ResultRow fromJson(JsonNode o) {
        Map<String, Double> r = new LinkedHashMap<>();
        if (o.hasNonNull("mean_abs_r_source")) {
            r.put("source", o.get("mean_abs_r_source").asDouble());
        }
        if (o.hasNonNull("mean_abs_r_target")) {
            r.put("target", o.get("mean_abs_r_target").asDouble());
        }
        if (o.hasNonNull("mean_abs_r_sources")) {
            String[] v = o.get("mean_abs_r_sources").asText().split(";");
            for (int i = 0; i < v.length; i++) {
                r.put(CellResult.SOURCE_PREFIX + i, Double.parseDouble(v[i]));
            }
        }
        CellResult cr = new CellResult(d(o, "test_rmse"), d(o, "test_mae"), d(o, "test_r2"), d(o, "val_rmse"),
                o.path("best_epoch").asInt(-1), d(o, "train_seconds"), r, d(o, "train_rmse"), d(o, "train_rmse_last"),
                d(o, "val_rmse_last"));
        Extrapolation.Stats x = new Extrapolation.Stats(d(o, "train_min"), d(o, "train_max"),
                o.hasNonNull("n_test_in_range") ? o.get("n_test_in_range").asInt() : -1,
                o.hasNonNull("n_test_out_of_range") ? o.get("n_test_out_of_range").asInt() : -1, d(o, "test_rmse_in_range"),
                d(o, "test_rmse_out_of_range"));
        return new ResultRow(o.get("cell").asText(), o.get("pair").asText(), o.get("source").asText(), o.get("target").asText(),
                o.get("method").asText(), o.get("split_type").asText(), o.get("fold").asInt(), o.get("seed").asLong(),
                o.get("n_train").asInt(), o.get("n_val").asInt(), o.get("n_test").asInt(), o.path("n_source").asInt(),
                cr, o.path("fingerprint").asText(null), o.hasNonNull("noise_fraction") ? o.get("noise_fraction").asDouble() : 0.0,
                d(o, "noise_sigma"), x, new Convergence.Budget(i(o, "epochs"), i(o, "pretrain_epochs"), i(o, "source_best_epoch"),
                        i(o, "source_epochs")), o.hasNonNull("target_split") ? o.get("target_split").asText() : null);
    }

    private static int i(JsonNode o, String k) {
        return o.hasNonNull(k) ? o.get(k).asInt() : -1;
    }

    private static double d(JsonNode o, String k) {
        return o.hasNonNull(k) ? o.get(k).asDouble() : Double.NaN;
    }
}
