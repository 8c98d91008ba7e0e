package gear.experiment.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.AtomicFiles;
import gear.data.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The files a tune writes (atomically): {@code trials.csv} (one row per finished trial), {@code summary.md}
 * (the schedule, the chosen values and validation scores, the trials table) and, when every rung is finished,
 * {@code chosen.json}: per method the chosen values (option key → text), which {@code gear benchmark --tuned}
 * reads ({@link #readChosen}).
 */
public final class TuneReport {
    /** File name of the chosen values. */
    public static final String CHOSEN = "chosen.json";

    private TuneReport() {}

    /**
     * The chosen configuration of a method.
     *
     * @param method the method
     * @param config its configuration index
     * @param rung the last rung
     * @param epochs the epochs of that rung
     * @param values the chosen values
     * @param score its score at the last rung (mean relative validation RMSE; 1 = the median configuration)
     * @param valRmse its validation RMSE per unit at the last rung
     */
    public record Choice(String method, int config, int rung, int epochs, Map<String, String> values, double score,
            Map<String, Double> valRmse) {}

    /** Scores of a method's configurations at a rung. */
    interface Scorer {
        Map<Integer, Double> scores(Map<Trial, TrialResult> results, String method, int rung);
    }

    static void write(Path dir, TuneConfig cfg, String fingerprint, Map<Trial, TrialResult> results, Map<String, Choice> chosen,
            boolean complete, Scorer scorer) throws IOException {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        String label = cfg.gridConfig().taskType().metricLabel();
        TreeSet<String> keys = new TreeSet<>();
        results.keySet().forEach(t -> keys.addAll(t.values().keySet()));
        StringBuilder csv = new StringBuilder("trial,method,config,rung,unit,epochs");
        keys.forEach(k -> csv.append(',').append(k));
        csv.append(",status,val_rmse,best_epoch,seconds,score\n");
        Map<String, Map<Integer, Double>> scoreCache = new LinkedHashMap<>();
        for (Map.Entry<Trial, TrialResult> e : results.entrySet()) {
            Trial t = e.getKey();
            TrialResult r = e.getValue();
            double score = scoreCache.computeIfAbsent(t.method() + "|" + t.rung(), k -> scorer.scores(results, t.method(), t.rung()))
                    .getOrDefault(t.config(), Double.NaN);
            csv.append(t.id()).append(',').append(t.method()).append(',').append(t.config()).append(',').append(t.rung())
                    .append(',').append(t.unit()).append(',').append(t.epochs());
            keys.forEach(k -> csv.append(',').append(t.values().getOrDefault(k, "")));
            csv.append(',').append(r.status()).append(',').append(num(r.valRmse())).append(',').append(r.bestEpoch()).append(',')
                    .append(num(r.seconds())).append(',').append(num(score)).append('\n');
        }
        AtomicFiles.writeString(dir.resolve("trials.csv"), csv.toString());
        if (complete) {
            ObjectNode o = m.createObjectNode();
            o.put("tune_fingerprint", fingerprint);
            o.put("selection", "successive halving on validation folds only; score = mean over units (pair, split type, seed) "
                    + "of validation " + label + " / median validation " + label + " of the method's configurations at the rung on that unit");
            ObjectNode ms = o.putObject("methods");
            for (Choice c : chosen.values()) {
                ObjectNode x = ms.putObject(c.method());
                x.set("values", m.valueToTree(c.values()));
                x.put("config", c.config());
                x.put("rung", c.rung());
                x.put("epochs", c.epochs());
                x.put("score", c.score());
                x.set("val_rmse", m.valueToTree(c.valRmse()));
            }
            AtomicFiles.writeString(dir.resolve(CHOSEN), m.writeValueAsString(o) + "\n");
        }
        AtomicFiles.writeString(dir.resolve("summary.md"), summary(cfg, results, chosen, complete, scorer));
    }

    private static String summary(TuneConfig cfg, Map<Trial, TrialResult> results, Map<String, Choice> chosen, boolean complete,
            Scorer scorer) {
        String label = cfg.gridConfig().taskType().metricLabel();
        StringBuilder b = new StringBuilder("# Tune\n\n");
        b.append(cfg.space().grid() ? String.format(Locale.ROOT, "Grid search over the choices below with successive halving: "
                + "%d configurations per method, η = %d, %d rung(s):", cfg.trials(), cfg.eta(), cfg.rungs())
                : String.format(Locale.ROOT, "Seeded random search (seed %d) with successive halving: %d configurations per "
                + "method, η = %d, %d rung(s):", cfg.seed(), cfg.trials(), cfg.eta(), cfg.rungs()));
        for (int r = 0; r < cfg.rungs(); r++) {
            b.append(String.format(Locale.ROOT, " rung %d: %d × %d epochs;", r, cfg.configsAt(r), cfg.epochsAt(r)));
        }
        b.append(String.format(Locale.ROOT, " %d trials per method. Units: %d pair(s) × %s × seeds %s, validation fold %d "
                + "of %d; the test part (%.2g) is never evaluated.%n%n", cfg.trialsPerMethod(), cfg.pairs().size(),
                cfg.splitTypes().stream().map(s -> s.cliName()).toList(), cfg.seeds(), cfg.fold(), cfg.folds(), cfg.testFraction()));
        b.append("Score: mean over units of validation " + label + " / the median validation " + label + " of the method's configurations at ")
                .append("that rung on that unit (1 = median; lower is better).\n\n");
        if (cfg.base() != null) {
            b.append("A second stage: every method starts from the values of an earlier tune (")
                    .append(cfg.base().file() == null ? "" : cfg.base().file().getFileName() + ", ")
                    .append("SHA-256 ").append(cfg.base().sha256(), 0, Math.min(12, cfg.base().sha256().length()))
                    .append("), fixed except where the space below tunes them again.\n\n");
        }
        b.append("Search space:\n\n");
        for (String mth : cfg.methods()) {
            b.append("- ").append(mth).append(": ").append(String.join("; ", cfg.space().forMethod(mth).stream().map(Param::toString)
                    .toList())).append('\n');
        }
        b.append("\n## Chosen values\n\n");
        if (!complete) {
            b.append("Not complete: ").append(results.size()).append(" trials finished; run the same command again.\n\n");
        } else {
            b.append("| method | configuration | values | score | validation " + label + " per unit |\n|---|---|---|---|---|\n");
            for (Choice c : chosen.values()) {
                List<String> v = new ArrayList<>();
                c.values().forEach((k, x) -> v.add(k + " = " + x));
                List<String> u = new ArrayList<>();
                c.valRmse().forEach((k, x) -> u.add(k + " " + num(x)));
                b.append("| ").append(c.method()).append(" | c").append(c.config()).append(" (rung ").append(c.rung()).append(", ")
                        .append(c.epochs()).append(" epochs) | ").append(String.join(", ", v)).append(" | ")
                        .append(String.format(Locale.ROOT, "%.4f", c.score())).append(" | ").append(String.join(", ", u)).append(" |\n");
            }
            b.append('\n');
        }
        b.append("## Trials\n\n| trial | values | status | validation " + label + " | best epoch | score |\n|---|---|---|---|---|---|\n");
        Map<String, Map<Integer, Double>> cache = new LinkedHashMap<>();
        for (Map.Entry<Trial, TrialResult> e : results.entrySet()) {
            Trial t = e.getKey();
            double s = cache.computeIfAbsent(t.method() + "|" + t.rung(), k -> scorer.scores(results, t.method(), t.rung()))
                    .getOrDefault(t.config(), Double.NaN);
            List<String> v = new ArrayList<>();
            t.values().forEach((k, x) -> v.add(k + " = " + x));
            b.append("| ").append(t.id()).append(" | ").append(String.join(", ", v)).append(" | ").append(e.getValue().status())
                    .append(" | ").append(num(e.getValue().valRmse())).append(" | ").append(e.getValue().bestEpoch()).append(" | ")
                    .append(num(s)).append(" |\n");
        }
        return b.toString();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.5g", v) : "";
    }

    /**
     * The chosen values of a {@code chosen.json}.
     *
     * @param file the file (for messages)
     * @param sha256 its SHA-256 (recorded by the runs that use it)
     * @param values method → (option key → text)
     */
    public record Chosen(Path file, String sha256, Map<String, Map<String, String>> values) {}

    /**
     * Reads a {@code chosen.json}.
     *
     * @throws BadInputException naming the file and the problem (unreadable, not a tune's chosen values)
     */
    public static Chosen readChosen(Path file) {
        JsonNode root;
        String sha;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
            sha = gear.data.Hashing.sha256(file);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read the tuned values: " + e.getMessage(), e);
        }
        JsonNode ms = root == null ? null : root.get("methods");
        if (ms == null || !ms.isObject()) {
            throw new BadInputException(file + ": not a chosen.json of gear tune (no \"methods\" object)");
        }
        Map<String, Map<String, String>> r = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = ms.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue().get("values");
            if (v == null || !v.isObject()) {
                throw new BadInputException(file + ": method " + e.getKey() + " has no \"values\" object");
            }
            Map<String, String> x = new LinkedHashMap<>();
            v.fields().forEachRemaining(f -> x.put(f.getKey(), f.getValue().asText()));
            r.put(e.getKey(), x);
        }
        return new Chosen(file, sha, r);
    }

    /**
     * The source purge of the tune that wrote a {@code chosen.json}: {@code source_purge} in the {@code options} of
     * the tune's {@code config.json} beside it; where they do not name it, {@code test} ({@link
     * gear.transfer.TransferSchema#LEGACY}: tunes record it since the default became {@code validation}).
     *
     * @return the purge, or empty where no readable {@code config.json} of a tune lies beside the file
     */
    public static java.util.Optional<String> sourcePurge(Chosen chosen) {
        Path cfg = chosen.file().toAbsolutePath().resolveSibling("config.json");
        JsonNode options;
        try {
            options = Files.isRegularFile(cfg) ? new ObjectMapper().readTree(cfg.toFile()).get("options") : null;
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
        if (options == null || !options.isObject()) {
            return java.util.Optional.empty();
        }
        Map<String, String> m = new LinkedHashMap<>();
        options.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return java.util.Optional.of(sourcePurge(TuneConfig.legacy(m))); // a config.json as TuneConfig reads it
    }

    /** @return the {@code source_purge} an options map names (any spelling of the key), else its declared default */
    public static String sourcePurge(Map<String, String> options) {
        String purge = gear.transfer.TransferSchema.SOURCE_PURGE.defaultValue();
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (gear.config.Schema.normalize(e.getKey()).equals(gear.transfer.TransferSchema.SOURCE_PURGE.key())) {
                purge = e.getValue().toLowerCase(Locale.ROOT);
            }
        }
        return purge;
    }

    /**
     * A warning for values chosen under another source purge than the run that takes them: with {@code test} the
     * target's validation molecules keep their source labels in the source, which flatters the transfer methods'
     * validation (docs/RESULTS.md, "Validation molecules in the source"), so the values were chosen on another
     * validation than the run's.
     *
     * @param runPurge the run's {@code source_purge}
     * @return the warning, or null where the purges agree or the tune's is unknown ({@link #sourcePurge})
     */
    public static String purgeMismatch(Chosen chosen, String runPurge) {
        String tuned = sourcePurge(chosen).orElse(null);
        if (tuned == null || tuned.equals(runPurge.toLowerCase(Locale.ROOT))) {
            return null;
        }
        return "warning: --tuned " + chosen.file() + ": its tune ran with source_purge " + tuned
                + " (its config.json), this run with " + runPurge + ", so the values were chosen on another validation";
    }
}
