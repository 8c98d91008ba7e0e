package gear.experiment.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.Hashing;
import gear.data.SplitType;
import gear.train.Regression;
import gear.train.TaskType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The resolved configuration of a grid run, recorded as {@code config.json} in the output directory
 * (child workers read it from there).
 *
 * @param pairs the pairs (already filtered by {@code --pair-ids}; file paths resolved)
 * @param methods method names
 * @param splitTypes split types
 * @param folds k, the number of folds of the non-test part
 * @param maxFolds run only folds 0..maxFolds−1 (≤ k)
 * @param seeds seeds
 * @param testFraction share of the target held out as test
 * @param options method options handed to the runner in every {@link Cell}
 * @param dataDir where named data sets are looked up
 * @param cacheDir on-disk cache of canonical SMILES for loading (null: none)
 * @param runnerClass the {@link CellRunner} class
 * @param workers number of cells run at once
 * @param isolation thread or process workers
 * @param noiseFractions fractions of the target training labels to corrupt, one cell coordinate each
 *     ({@code [0]}, the default, is the clean grid); see {@link Grid#cell}
 * @param noiseSigma shift of a corrupted label in standard deviations of the cell's target training labels
 * @param trainRmse whether runners should also record the target training RMSE after every epoch
 *     ({@link Cell#trainRmse()}; for the train–validation gap of the ablation study; does not change results)
 */
public record GridConfig(List<PairSpec> pairs, List<String> methods, List<SplitType> splitTypes, int folds, int maxFolds,
        List<Long> seeds, double testFraction, Map<String, String> options, Path dataDir, Path cacheDir, String runnerClass,
        int workers, Isolation isolation, List<Double> noiseFractions, double noiseSigma, boolean trainRmse) {
    /** Bumped when the protocol changes in a way that changes results (invalidates finished cells). */
    public static final int PROTOCOL_VERSION = 1;
    /** Default of {@link #noiseSigma()} ({@code --noise-sigma}). */
    public static final double DEFAULT_NOISE_SIGMA = 2.0;

    public GridConfig {
        pairs = List.copyOf(pairs);
        methods = List.copyOf(methods);
        splitTypes = List.copyOf(splitTypes);
        seeds = List.copyOf(seeds);
        options = new TreeMap<>(options);
        noiseFractions = noiseFractions.stream().map(f -> f == 0 ? 0.0 : f).toList(); // -0.0 is 0
        ConfigFields.checkUnits("the grid", pairs, methods, splitTypes, seeds, folds);
        if (maxFolds < 1 || maxFolds > folds) {
            throw new IllegalArgumentException("--max-folds must be in 1.." + folds + ", got " + maxFolds);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
        }
        if (noiseFractions.isEmpty()) {
            throw new IllegalArgumentException("--noise-fractions needs at least one fraction");
        }
        for (double f : noiseFractions) {
            if (!(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException("--noise-fractions: each fraction must be in [0, 1], got " + f);
            }
        }
        if (noiseFractions.stream().map(f -> f == 0 ? 0.0 : f).distinct().count() < noiseFractions.size()) {
            throw new IllegalArgumentException("--noise-fractions: a fraction is listed twice: " + noiseFractions);
        }
        if (!(noiseSigma >= 0) || !Double.isFinite(noiseSigma)) {
            throw new IllegalArgumentException("--noise-sigma must be a finite number >= 0, got " + noiseSigma);
        }
    }

    /** A clean grid (no label noise, no training RMSE): the configuration as it was before the studies. */
    public GridConfig(List<PairSpec> pairs, List<String> methods, List<SplitType> splitTypes, int folds, int maxFolds,
            List<Long> seeds, double testFraction, Map<String, String> options, Path dataDir, Path cacheDir, String runnerClass,
            int workers, Isolation isolation) {
        this(pairs, methods, splitTypes, folds, maxFolds, seeds, testFraction, options, dataDir, cacheDir, runnerClass, workers,
                isolation, List.of(0.0), DEFAULT_NOISE_SIGMA, false);
    }

    /**
     * @return the task type of every cell: the metric that the grid's log lines, summary, plots and report name
     *     and the direction of its relative changes (regression, the one task type transfer implements)
     */
    public TaskType taskType() {
        return Regression.INSTANCE;
    }

    /** @return whether some cell of the grid has label noise */
    public boolean noisy() {
        return noiseFractions.stream().anyMatch(f -> f > 0);
    }

    /** @return the pair with that id */
    public PairSpec pair(String id) {
        return pairs.stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no pair '" + id + "' in the grid"));
    }

    /**
     * Cells in grid order: pair, split type, seed, fold, noise fraction, method (all methods of one fold
     * and noise level run close together, so a partial grid already compares methods). The workers take them in this
     * order, except that a cell waiting for a shared pretraining in progress goes behind the cells that can start
     * ({@link CellQueue}).
     */
    public List<CellKey> cells() {
        List<CellKey> r = new ArrayList<>();
        for (PairSpec p : pairs) {
            for (SplitType s : splitTypes) {
                for (long seed : seeds) {
                    for (int f = 0; f < maxFolds; f++) {
                        for (double noise : noiseFractions) {
                            for (String m : methods) {
                                r.add(new CellKey(p.id(), m, s, f, seed, noise));
                            }
                        }
                    }
                }
            }
        }
        return r;
    }

    /**
     * The options of a cell: the grid's options with the tuned values of its method ({@link Tuned#resolve}) and,
     * for an ablation variant, its weight set to 0 ({@link Ablation#options}).
     */
    public Map<String, String> cellOptions(CellKey key) {
        return Ablation.options(key.method(), Tuned.resolve(options, key.method()));
    }

    /** @return {@link #fingerprint(CellKey, CellRunner)} with the runner of {@link CellRunners#resolver}({@link #runnerClass()}) */
    public String fingerprint(CellKey key) {
        return fingerprint(key, CellRunners.resolver(runnerClass));
    }

    /**
     * A hash of everything that determines a cell's result: protocol version, the pair, the cell's
     * coordinates, k, test fraction, the cell's fully resolved options ({@link CellRunner#resolvedOptions} of
     * {@link #cellOptions}: every option after defaults, {@code --set}, protocol and tuned values, so a default
     * changed in the code changes it, and an option given at its default value does not) and the runner class;
     * for a noisy cell also the noise fraction and {@link #noiseSigma()}. A finished cell whose recorded
     * fingerprint differs was run under another configuration. {@link #trainRmse()} is not part of it (it adds
     * a number to the per-epoch log and changes no result). Cells of a runner that resolves nothing
     * ({@link CellRunners#AS_GIVEN}) and no ablation variant keep the fingerprint of the versions before the
     * resolved options; cells of the transfer runner finished by those versions are run again once.
     *
     * @param runner the runner that resolves the cell's options (the one that runs the cell)
     */
    public String fingerprint(CellKey key, CellRunner runner) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode();
        o.put("protocol", PROTOCOL_VERSION);
        o.set("pair", PairsFile.toJson(List.of(pair(key.pair())), m).get(0));
        o.put("cell", key.id());
        o.put("folds", folds);
        o.put("test_fraction", testFraction);
        o.set("options", m.valueToTree(new TreeMap<>(runner.resolvedOptions(pair(key.pair()), key.method(), cellOptions(key)))));
        o.put("runner", runnerClass);
        if (key.noise() > 0) {
            o.put("noise_fraction", key.noise());
            o.put("noise_sigma", noiseSigma);
        }
        return Hashing.sha256(o.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    /** @return this configuration as JSON ({@code config.json}) */
    public ObjectNode toJson() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("protocol_version", PROTOCOL_VERSION);
        ConfigFields.putUnits(o, pairs, methods, splitTypes);
        o.put("folds", folds);
        o.put("max_folds", maxFolds);
        ConfigFields.putSeeds(o, seeds);
        ConfigFields.putOptions(o, testFraction, options);
        ConfigFields.putDirs(o, dataDir, cacheDir);
        o.put("runner", runnerClass);
        o.put("workers", workers);
        o.put("isolation", isolation.name().toLowerCase(java.util.Locale.ROOT));
        if (!noiseFractions.equals(List.of(0.0)) || noiseSigma != DEFAULT_NOISE_SIGMA) {
            ArrayNode nf = o.putArray("noise_fractions");
            noiseFractions.forEach(nf::add);
            o.put("noise_sigma", noiseSigma);
        }
        if (trainRmse) {
            o.put("train_rmse", true);
        }
        return o;
    }

    /** Parses {@link #toJson()} (also the form written before the studies: clean grid, no training RMSE). */
    public static GridConfig fromJson(JsonNode o) {
        List<Double> noise = new ArrayList<>();
        if (o.has("noise_fractions")) {
            o.get("noise_fractions").forEach(n -> noise.add(n.asDouble()));
        } else {
            noise.add(0.0);
        }
        return new GridConfig(ConfigFields.pairs(o), ConfigFields.methods(o), ConfigFields.splitTypes(o), o.get("folds").asInt(),
                o.get("max_folds").asInt(), ConfigFields.seeds(o), o.get("test_fraction").asDouble(), ConfigFields.options(o),
                ConfigFields.path(o, "data_dir"), ConfigFields.path(o, "cache_dir"), o.get("runner").asText(), o.get("workers").asInt(),
                Isolation.parse(o.get("isolation").asText()), noise, o.path("noise_sigma").asDouble(DEFAULT_NOISE_SIGMA),
                o.path("train_rmse").asBoolean(false));
    }
}
