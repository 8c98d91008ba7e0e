package gear.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.config.Schema;
import gear.config.UnknownOptionException;
import gear.data.BadInputException;
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
 * device; {@link #RUN_KEYS}), the options of {@link TransferOptions#SCHEMA} (flat, snake_case) and keys written
 * for information ({@link #INFO_KEYS}: argv, checksums, sizes, results, grid coordinates). Written by
 * {@link RunFiles}; {@code gear transfer --config} and {@code --resume} read it here.
 */
public final class TransferConfig {
    /** Run keys of config.json (besides the schema's options). */
    public static final List<String> RUN_KEYS = List.of("source", "source_column", "target", "target_column", "method",
            "output_dir", "smiles_column", "invalid", "duplicates", "split_type", "split_sizes", "folds", "fold", "splits_file", "seed",
            "threads", "device");
    /** Keys of config.json written for information only (accepted and ignored when read back). */
    public static final List<String> INFO_KEYS = List.of("command", "argv", "gear_version", "source_sha256",
            "target_sha256", "n_source_train", "n_source_purged", "n_train", "n_val", "n_test", "results", "grid_cell",
            "ablation", "label_noise", "pretraining", "cost");

    private TransferConfig() {}

    /**
     * Reads a config.json written by {@code gear transfer} (or by hand): run keys into {@code run}, options of
     * {@link TransferOptions#SCHEMA} into {@code opts} as text; informational keys are skipped.
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
            } else if (TransferOptions.SCHEMA.has(k)) {
                opts.put(k, e.getValue().asText());
            } else if (!INFO_KEYS.contains(k)) {
                List<String> known = new ArrayList<>(RUN_KEYS);
                TransferOptions.SCHEMA.options().forEach(x -> known.add(x.key()));
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

    /** @return a run key's text, or null when absent, null or empty */
    public static String text(Map<String, JsonNode> run, String key) {
        JsonNode v = run.get(key);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }
}
