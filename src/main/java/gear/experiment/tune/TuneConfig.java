package gear.experiment.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.Hashing;
import gear.data.SplitType;
import gear.experiment.grid.ConfigFields;
import gear.experiment.grid.GridConfig;
import gear.experiment.grid.Isolation;
import gear.experiment.grid.PairSpec;
import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The configuration of a tune, recorded as {@code config.json} in its directory.
 *
 * <p>Units: every (pair, split type, seed) is one unit, resolved by the grid's
 * {@link gear.experiment.grid.Protocol} exactly as a benchmark cell of fold {@code fold}: its training folds
 * train, its validation fold scores; the test part is never given to a trial.
 *
 * <p>Schedule (successive halving, Jamieson &amp; Talwalkar, AISTATS 2016; Li et al., JMLR 18:185, 2018): rung
 * r = 0..rungs−1 trains {@link #configsAt}(r) = ⌊trials / η^r⌋ configurations (at least 1) for
 * {@link #epochsAt}(r) = minEpochs · η^r epochs, each on every unit; the best ⌊trials / η^(r+1)⌋ of rung r (by
 * {@link Tuner} score) go on to rung r+1. Every method has the same schedule, so the same number of trials and
 * epochs.
 *
 * @param pairs the pairs
 * @param methods the tuned methods
 * @param splitTypes split types of the units
 * @param seeds seeds of the units
 * @param folds k, the number of folds of the non-test pool
 * @param fold the fold that validates (the others train)
 * @param testFraction share of the target held out as test (never seen by a trial)
 * @param options fixed options of every trial (the {@code --set} pairs; not tuned)
 * @param space the search space
 * @param trials configurations per method at rung 0
 * @param minEpochs epochs of rung 0
 * @param eta the halving factor η ≥ 2
 * @param rungs number of rungs ≥ 1
 * @param seed the seed of the configurations' draws
 * @param dataDir where named data sets are looked up
 * @param cacheDir canonical-SMILES cache of loading (null: none)
 * @param base the values an earlier tune chose ({@code gear tune --tuned}, a staged tune), or null: each method's
 *     trials start from its values there, the keys of the search space replacing them ({@link #values})
 */
public record TuneConfig(List<PairSpec> pairs, List<String> methods, List<SplitType> splitTypes, List<Long> seeds, int folds,
        int fold, double testFraction, Map<String, String> options, SearchSpace space, int trials, int minEpochs, int eta,
        int rungs, long seed, Path dataDir, Path cacheDir, TuneReport.Chosen base) {
    /** Bumped when trial results or the selection change meaning (a directory of another version is refused). */
    public static final int VERSION = 1;

    public TuneConfig {
        pairs = List.copyOf(pairs);
        methods = List.copyOf(methods);
        splitTypes = List.copyOf(splitTypes);
        seeds = List.copyOf(seeds);
        options = withPurge(options, methods, space, base);
        ConfigFields.checkUnits("a tune", pairs, methods, splitTypes, seeds, folds);
        if (fold < 0 || fold >= folds) {
            throw new IllegalArgumentException("--fold must be in 0.." + (folds - 1) + ", got " + fold);
        }
        if (trials < 1) {
            throw new IllegalArgumentException("--trials must be at least 1, got " + trials);
        }
        if (minEpochs < 1) {
            throw new IllegalArgumentException("--min-epochs must be at least 1, got " + minEpochs);
        }
        if (eta < 2) {
            throw new IllegalArgumentException("--eta must be at least 2, got " + eta);
        }
        if (rungs < 1 || rungs > 8) {
            throw new IllegalArgumentException("--rungs must be in 1..8, got " + rungs);
        }
        space.check(methods);
        for (String k : options.keySet()) {
            String key = gear.config.Schema.normalize(k);
            if (key.equals("epochs")) {
                throw new IllegalArgumentException("--set epochs: the epochs of a trial are its rung's (--min-epochs, --eta)");
            }
            for (String m : methods) {
                if (space.forMethod(m).stream().anyMatch(p -> p.key().equals(key))) {
                    throw new IllegalArgumentException("--set " + key + ": this option is tuned (in the search space of " + m
                            + "); remove it from --set or from the space");
                }
            }
        }
        if (space.grid() && trials != space.gridSize(methods.get(0))) {
            throw new IllegalArgumentException("--trials: the grid search space has " + space.gridSize(methods.get(0))
                    + " configurations per method, got --trials " + trials);
        }
        if (base != null) {
            for (String m : methods) {
                Map<String, String> v = base.values().get(m);
                if (v == null) {
                    throw new IllegalArgumentException("--tuned " + base.file() + ": no values for method " + m + " (the file has "
                            + String.join(", ", base.values().keySet()) + ")");
                }
                for (String k : options.keySet()) {
                    if (v.keySet().stream().anyMatch(x -> gear.config.Schema.normalize(x).equals(gear.config.Schema.normalize(k)))) {
                        throw new IllegalArgumentException("--set " + k + ": the earlier tune (--tuned) chose it for " + m
                                + "; give it one way, or tune it in the search space");
                    }
                }
            }
        }
        TransferOptions fixed = TransferOptions.defaults().with(options); // unknown keys and bad values refused, named
        for (String m : methods) {
            gear.transfer.Methods.get(m).check(fixed.with(values(space, base, seed, m, 0))); // e.g. GEAR with d_M <= d_z: refused before any trial runs
        }
    }

    /**
     * The fixed options with {@code source_purge} named: its declared default where neither {@code --set}, the space
     * nor the earlier tune names it, so that {@code config.json} records what the trials ran with and a later change
     * of the default cannot give the same directory trials of another meaning.
     */
    private static Map<String, String> withPurge(Map<String, String> options, List<String> methods, SearchSpace space,
            TuneReport.Chosen base) {
        Map<String, String> o = new TreeMap<>(options);
        String key = TransferSchema.SOURCE_PURGE.key();
        boolean named = names(o.keySet(), key)
                || methods.stream().anyMatch(m -> space.forMethod(m).stream().anyMatch(p -> p.key().equals(key)))
                || base != null && base.values().values().stream().anyMatch(v -> names(v.keySet(), key));
        if (!named) {
            o.put(key, TransferSchema.SOURCE_PURGE.defaultValue());
        }
        return o;
    }

    /** A tune that starts from the declared defaults (no earlier tune). */
    public TuneConfig(List<PairSpec> pairs, List<String> methods, List<SplitType> splitTypes, List<Long> seeds, int folds,
            int fold, double testFraction, Map<String, String> options, SearchSpace space, int trials, int minEpochs, int eta,
            int rungs, long seed, Path dataDir, Path cacheDir) {
        this(pairs, methods, splitTypes, seeds, folds, fold, testFraction, options, space, trials, minEpochs, eta, rungs, seed,
                dataDir, cacheDir, null);
    }

    /**
     * The values of a method's configuration: its {@link #base} values (if any) for the keys the space does not
     * tune, then the space's values ({@link SearchSpace#sample}).
     */
    public Map<String, String> values(String method, int config) {
        return values(space, base, seed, method, config);
    }

    private static Map<String, String> values(SearchSpace space, TuneReport.Chosen base, long seed, String method, int config) {
        Map<String, String> v = new java.util.LinkedHashMap<>();
        if (base != null) {
            java.util.Set<String> tuned = new java.util.HashSet<>();
            space.forMethod(method).forEach(p -> tuned.add(p.key()));
            base.values().get(method).forEach((k, x) -> {
                String key = gear.config.Schema.normalize(k);
                if (!tuned.contains(key)) {
                    v.put(key, x);
                }
            });
        }
        v.putAll(space.sample(method, config, seed));
        return v;
    }

    /** @return the default number of rungs for {@code trials} and η: ⌊log_η trials⌋, at least 1 */
    public static int defaultRungs(int trials, int eta) {
        if (eta < 2) {
            return 1; // refused by the constructor
        }
        int r = 0;
        for (long n = trials; n >= eta; n /= eta) {
            r++;
        }
        return Math.max(1, r);
    }

    /** @return configurations trained at rung r */
    public int configsAt(int r) {
        long d = 1;
        for (int i = 0; i < r; i++) {
            d *= eta;
        }
        return (int) Math.max(1, trials / d);
    }

    /** @return epochs of a trial at rung r */
    public int epochsAt(int r) {
        long e = minEpochs;
        for (int i = 0; i < r; i++) {
            e *= eta;
        }
        return (int) Math.min(Integer.MAX_VALUE, e);
    }

    /** @return trials per method over all rungs and units (the same for every method) */
    public int trialsPerMethod() {
        int n = 0;
        for (int r = 0; r < rungs; r++) {
            n += configsAt(r);
        }
        return n * pairs.size() * splitTypes.size() * seeds.size();
    }

    /** @return the grid configuration whose data loading and protocol the units use (runs no cell) */
    GridConfig gridConfig() {
        return new GridConfig(pairs, methods, splitTypes, folds, folds, seeds, testFraction, options, dataDir, cacheDir,
                "tune", 1, Isolation.THREAD);
    }

    /** @return a hash of everything that determines the trials and the choice (not paths, not the data directory) */
    public String fingerprint() {
        ObjectNode o = toJson();
        o.remove("data_dir");
        o.remove("cache_dir");
        if (o.get("options") instanceof ObjectNode opts) { // at their legacy value, left out: earlier tunes keep theirs
            TransferOptions.withoutLegacy(opts);
        }
        if (o.get("base") instanceof ObjectNode b) {
            b.remove("file"); // the values count, not where they were read
            b.remove("sha256");
        }
        return Hashing.sha256(o.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    /** @return the JSON form ({@code config.json}; its text without the directories is {@link #fingerprint()}'s input) */
    public ObjectNode toJson() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("tune_version", VERSION);
        ConfigFields.putUnits(o, pairs, methods, splitTypes);
        ConfigFields.putSeeds(o, seeds);
        o.put("folds", folds);
        o.put("fold", fold);
        ConfigFields.putOptions(o, testFraction, options);
        o.set("space", space.toJson());
        o.put("trials", trials);
        o.put("min_epochs", minEpochs);
        o.put("eta", eta);
        o.put("rungs", rungs);
        o.put("seed", seed);
        if (base != null) { // absent without --tuned, so earlier tunes keep their fingerprint
            ObjectNode b = o.putObject("base");
            b.put("file", base.file() == null ? null : base.file().toString());
            b.put("sha256", base.sha256());
            ObjectNode vs = b.putObject("values");
            for (String m : methods) {
                ObjectNode x = vs.putObject(m);
                base.values().get(m).forEach(x::put);
            }
        }
        ConfigFields.putDirs(o, dataDir, cacheDir);
        return o;
    }

    /** Parses {@link #toJson()}. */
    public static TuneConfig fromJson(JsonNode o) {
        List<String> methods = ConfigFields.methods(o);
        return new TuneConfig(ConfigFields.pairs(o), methods, ConfigFields.splitTypes(o), ConfigFields.seeds(o), o.get("folds").asInt(),
                o.get("fold").asInt(), o.get("test_fraction").asDouble(), legacy(ConfigFields.options(o)),
                SearchSpace.fromJson(o.get("space"), methods), o.get("trials").asInt(), o.get("min_epochs").asInt(),
                o.get("eta").asInt(), o.get("rungs").asInt(), o.get("seed").asLong(), ConfigFields.path(o, "data_dir"),
                ConfigFields.path(o, "cache_dir"), base(o.get("base")));
    }

    /** @return a recorded tune's options, with the legacy value of each option its file does not name */
    static Map<String, String> legacy(Map<String, String> options) {
        Map<String, String> o = new TreeMap<>(options);
        TransferSchema.LEGACY.forEach((opt, v) -> {
            if (!names(o.keySet(), opt.key())) {
                o.put(opt.key(), v);
            }
        });
        return o;
    }

    /** @return whether one of the keys, in any spelling, is {@code key} */
    private static boolean names(java.util.Collection<String> keys, String key) {
        return keys.stream().anyMatch(k -> gear.config.Schema.normalize(k).equals(key));
    }

    private static TuneReport.Chosen base(JsonNode b) {
        if (b == null || b.isNull()) {
            return null;
        }
        Map<String, Map<String, String>> values = new java.util.LinkedHashMap<>();
        b.get("values").fields().forEachRemaining(m -> {
            Map<String, String> x = new java.util.LinkedHashMap<>();
            m.getValue().fields().forEachRemaining(f -> x.put(f.getKey(), f.getValue().asText()));
            values.put(m.getKey(), x);
        });
        JsonNode f = b.get("file");
        return new TuneReport.Chosen(f == null || f.isNull() ? null : Path.of(f.asText()), b.path("sha256").asText(), values);
    }
}
