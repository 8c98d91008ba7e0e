package gear.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.config.Schema;
import gear.config.UnknownOptionException;
import gear.data.BadInputException;
import gear.data.LabelNoise;
import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.data.SplitSizes;
import gear.data.SplitType;
import gear.data.SplitsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code config.json} of a transfer run, read back: its run keys (data, columns, split, seed, threads,
 * device; {@link #RUN_KEYS}; a k-task run's {@code tasks} list and its {@code target} list of columns,
 * {@code gear.transfer.ktask.KTaskRunFiles}), the options of {@link TransferSchema#SCHEMA} (flat, snake_case) and keys written
 * for information ({@link #INFO_KEYS}: argv, checksums, sizes, results, grid coordinates). Written by
 * {@link RunFiles}; {@code gear transfer --config} and {@code --resume} read it here.
 */
public final class TransferConfig {
    /** Run keys of config.json (besides the schema's options). */
    public static final List<String> RUN_KEYS = List.of("source", "source_column", "target", "target_column", "method",
            "output_dir", "smiles_column", "invalid", "duplicates", "split_type", "split_sizes", "folds", "fold", "splits_file", "seed",
            "threads", "device", "label_noise", "ensemble_size", "tasks");
    /** Keys of config.json written for information only (accepted and ignored when read back). */
    public static final List<String> INFO_KEYS = List.of("command", "argv", "gear_version", "source_sha256",
            "target_sha256", "n_source_train", "n_source_purged", "n_train", "n_val", "n_test", "results", "grid_cell",
            "ablation", "pretraining", "cost", "tuned"); // tuned: a grid cell's record of the tuned values it ran
    // with (gear.experiment.grid.Tuned), which are in its options too

    /** Fraction of the target's labelled training rows whose label is shifted ({@code --noise-fraction}). */
    public static final gear.config.Opt<Double> NOISE_FRACTION = gear.config.Opt.real("noise_fraction", 0.0, 0.0, "",
            "label-noise study: fraction of the target's labelled training rows whose label is shifted (0 = clean; "
                    + "as a cell of gear benchmark --noise-fractions)");
    /** k of the label noise ({@code --noise-sigma}). */
    public static final gear.config.Opt<Double> NOISE_SIGMA = gear.config.Opt.real("noise_sigma", 2.0, 0.0,
            "standard deviations", "with --noise-fraction: shift of a corrupted label, in standard deviations of the "
                    + "target's training labels");
    /** Seed of the label noise ({@code --noise-seed}). */
    public static final gear.config.Opt<Long> NOISE_SEED = gear.config.Opt.int64("noise_seed", 0L,
            "with --noise-fraction: seed of the corrupted rows and their signs");
    /**
     * The label-noise options of {@code gear transfer}; {@code config.json} holds them as the run key
     * {@code label_noise} ({@code fraction, sigma, corrupted, shift, seed}, the form of the grid's cells).
     */
    public static final Schema NOISE_OPTIONS = new Schema("transfer label noise", List.of(NOISE_FRACTION, NOISE_SIGMA,
            NOISE_SEED));

    private TransferConfig() {}

    /**
     * Sets the run key {@code label_noise} from the label-noise options given on the command line ({@link #NOISE_OPTIONS},
     * key → text): a fraction above 0 sets it, a fraction of 0 removes it (a clean run).
     *
     * @throws IllegalArgumentException when --noise-sigma or --noise-seed come without --noise-fraction
     */
    public static void labelNoiseOptions(Map<String, String> given, Map<String, JsonNode> run) {
        if (given.isEmpty()) {
            return;
        }
        if (!given.containsKey(NOISE_FRACTION.key())) {
            throw new IllegalArgumentException("--noise-sigma and --noise-seed need --noise-fraction");
        }
        double f = NOISE_FRACTION.parse(given.get(NOISE_FRACTION.key()));
        if (f == 0) {
            run.remove("label_noise");
            return;
        }
        com.fasterxml.jackson.databind.node.ObjectNode z = new ObjectMapper().createObjectNode();
        z.put("fraction", f);
        z.put("sigma", given.containsKey(NOISE_SIGMA.key()) ? NOISE_SIGMA.parse(given.get(NOISE_SIGMA.key()))
                : NOISE_SIGMA.defaultValue());
        z.put("seed", given.containsKey(NOISE_SEED.key()) ? NOISE_SEED.parse(given.get(NOISE_SEED.key()))
                : NOISE_SEED.defaultValue());
        run.put("label_noise", z);
    }

    /**
     * Reads a config.json written by {@code gear transfer} (or by hand): run keys into {@code run}, options of
     * {@link TransferSchema#SCHEMA} into {@code opts} as text; informational keys are skipped.
     *
     * @return the recorded {@code argv}, or null
     * @throws BadInputException for a missing or malformed file, the config of another command, or an unknown key
     *     (naming the closest valid one)
     */
    public static JsonNode read(Path file, Map<String, JsonNode> run, Map<String, String> opts) {
        JsonNode n;
        try {
            n = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new BadInputException(file + ": no such config file");
        } catch (java.io.IOException e) {
            throw new BadInputException(file + ": not a JSON config file: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new BadInputException(file + ": expected a JSON object (a config.json written by gear transfer)");
        }
        if (n.has("command") && !n.get("command").asText().equals("transfer")) {
            throw new BadInputException(file + ": is the config.json of a 'gear " + n.get("command").asText()
                    + "' run, not of 'gear transfer'");
        }
        n.fields().forEachRemaining(e -> {
            String k = e.getKey();
            if (RUN_KEYS.contains(k)) {
                if (!e.getValue().isNull()) {
                    run.put(k, e.getValue());
                }
            } else if (TransferSchema.SCHEMA.has(k)) {
                opts.put(k, e.getValue().asText());
            } else if (!INFO_KEYS.contains(k)) {
                List<String> known = new ArrayList<>(RUN_KEYS);
                TransferSchema.SCHEMA.options().forEach(x -> known.add(x.key()));
                known.addAll(INFO_KEYS);
                throw new BadInputException(file + ": " + new UnknownOptionException("config.json", k,
                        Schema.closest(k, known)).getMessage());
            }
        });
        return n.get("argv");
    }

    /**
     * The target split the run keys describe: a splits file, else the split type and sizes (or fold {@code fold}
     * of {@code folds} of the non-test part) at {@code seed}.
     */
    public static Split split(MoleculeDataset tgt, Map<String, JsonNode> run, long seed) {
        String sf = text(run, "splits_file");
        if (sf != null) {
            return SplitsFile.read(Path.of(sf), tgt);
        }
        SplitType type = SplitType.parse(text(run, "split_type") == null ? "random" : text(run, "split_type"));
        int folds = run.containsKey("folds") ? run.get("folds").asInt() : 0;
        int fold = run.containsKey("fold") ? run.get("fold").asInt() : 0;
        List<Double> sizes = new ArrayList<>();
        if (run.containsKey("split_sizes")) {
            run.get("split_sizes").forEach(v -> sizes.add(v.asDouble()));
        }
        if (folds > 0) {
            if (folds < 2 || fold < 0 || fold >= folds) {
                throw new IllegalArgumentException("--folds must be at least 2 and --fold in 0.." + (folds - 1)
                        + ", got --folds " + folds + " --fold " + fold);
            }
            double test = sizes.isEmpty() ? 0.2 : sizes.get(2);
            Split base = type.split(tgt, new SplitSizes(1 - test, 0, test), seed);
            return type.folds(tgt, base, folds, seed).get(fold);
        }
        SplitSizes s = sizes.isEmpty() ? new SplitSizes(0.7, 0.1, 0.2) : SplitSizes.of(sizes);
        return type.split(tgt, s, seed);
    }

    /**
     * The target with the label noise the run key {@code label_noise} describes (a grid cell of the label-noise
     * study, GEAR.md §6): {@link LabelNoise#corrupt} of the training rows of {@code split} with the recorded
     * {@code fraction}, {@code sigma} (k, standard deviations) and {@code seed}, so that {@code --config CELL/config.json}
     * trains on the labels the cell trained on. The recorded {@code corrupted} count and {@code shift}, when present,
     * must be what the corruption gives (else the data or split is not the cell's).
     *
     * @return the corrupted target and what was done, or null when the run has no label noise
     * @throws BadInputException when the key is malformed or the result does not match the record
     */
    public static LabelNoise.Corrupted labelNoise(MoleculeDataset tgt, Split split, Map<String, JsonNode> run) {
        JsonNode z = run.get("label_noise");
        if (z == null || z.isNull()) {
            return null;
        }
        for (String k : List.of("fraction", "sigma", "seed")) {
            if (!z.isObject() || !z.path(k).isNumber()) {
                throw new BadInputException("label_noise: needs numbers fraction, sigma and seed, got " + z);
            }
        }
        LabelNoise.Corrupted c;
        try {
            c = LabelNoise.corrupt(tgt, split.train(), 0, z.get("fraction").asDouble(), z.get("sigma").asDouble(),
                    z.get("seed").asLong());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("label_noise: " + e.getMessage(), e);
        }
        if (z.has("corrupted") && z.get("corrupted").asInt() != c.result().count()) {
            throw new BadInputException("label_noise: records " + z.get("corrupted").asInt() + " corrupted labels, but "
                    + c.result().count() + " of these training labels would be (not the data or split of the recorded run)");
        }
        if (z.has("shift") && Math.abs(z.get("shift").asDouble() - c.result().shift())
                > 1e-9 * Math.max(1, Math.abs(c.result().shift()))) {
            throw new BadInputException("label_noise: records a shift of " + z.get("shift").asDouble() + ", but these "
                    + "training labels give " + c.result().shift() + " (not the data or split of the recorded run)");
        }
        return c;
    }

    /** @return the {@code label_noise} record of a corruption (the form of the grid's cells) */
    public static com.fasterxml.jackson.databind.node.ObjectNode labelNoiseJson(JsonNode given, LabelNoise.Corrupted c) {
        com.fasterxml.jackson.databind.node.ObjectNode z = new ObjectMapper().createObjectNode();
        z.put("fraction", given.get("fraction").asDouble());
        z.put("sigma", given.get("sigma").asDouble());
        z.put("corrupted", c.result().count());
        z.put("shift", c.result().shift());
        z.put("seed", given.get("seed").asLong());
        return z;
    }

    /** @return a run key's text, or null when absent, null or empty */
    public static String text(Map<String, JsonNode> run, String key) {
        JsonNode v = run.get(key);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }
}
