package gear.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.BadInputException;
import gear.data.DuplicatePolicy;
import gear.data.InvalidPolicy;
import gear.data.SplitSizes;
import gear.data.SplitType;
import gear.config.Opt;
import gear.config.Schema;
import gear.config.Values;
import gear.nn.DmpnnConfig;
import gear.train.TrainOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The resolved configuration of one {@code gear train} run, written as {@code config.json} into the
 * run directory. Its JSON form is flat, with the CLI option names in snake_case
 * ({@code --init-lr} → {@code init_lr}), so that {@code gear train --config DIR/config.json} re-runs
 * it and explicitly given options override its values ({@link #resolve}).
 *
 * @param dataPath the training CSV (absolute)
 * @param smilesColumn the SMILES column, or null for the first column
 * @param targetColumns target columns (empty: all numeric columns but the SMILES column)
 * @param outputDir the run directory (absolute)
 * @param splitType random, scaffold or value
 * @param splitSizes train/validation/test fractions
 * @param splitsFile an explicit split file (null: make the split)
 * @param invalid what to do with bad rows
 * @param duplicates what to do with molecules on more than one row
 * @param model D-MPNN hyperparameters (number of tasks filled in once the data is loaded)
 * @param training optimizer and loop options (incl. the seed)
 * @param threads data-parallel lanes of each training step ({@link TrainOptions#THREADS}; {@link gear.nn.Torch#initLanes})
 * @param device cpu, cuda or cuda:N ({@link TrainOptions#DEVICE}; {@link gear.train.Trainer#device})
 * @param startFrom the model whose weights the new one starts from and what stays frozen ({@code --from}), or null
 * @param uncertainty ensemble size and task type ({@link gear.train.UncertaintyOptions}; written only when not the
 *     defaults)
 */
public record TrainConfig(Path dataPath, String smilesColumn, List<String> targetColumns, Path outputDir,
        SplitType splitType, SplitSizes splitSizes, Path splitsFile, InvalidPolicy invalid, DuplicatePolicy duplicates,
        DmpnnConfig model, TrainOptions training, int threads, String device, StartFrom startFrom,
        gear.train.UncertaintyOptions uncertainty) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Keys written for information only; accepted and ignored when read back. */
    private static final Set<String> INFO_KEYS = Set.of("command", "argv", "gear_version", "created", "data_sha256",
            "num_tasks");
    /**
     * The options of {@code gear train} declared as {@link Opt}s (model, training loop, threads, device): the
     * picocli options of {@code gear train}, their {@code config.json} keys and their validation. The training-loop
     * options, threads and device are the same {@code Opt}s as {@code gear transfer}'s.
     */
    public static final Schema SCHEMA = new Schema("train", List.of(DmpnnConfig.HIDDEN_SIZE, DmpnnConfig.DEPTH,
            DmpnnConfig.DROPOUT, DmpnnConfig.FFN_NUM_LAYERS, DmpnnConfig.FFN_HIDDEN_SIZE), TrainOptions.OPTIONS,
            List.of(TrainOptions.THREADS, TrainOptions.DEVICE), gear.train.UncertaintyOptions.OPTIONS);
    /** The run keys: data, columns, split, bad rows and the start model (declared by the command, not by the schema). */
    private static final List<String> RUN_KEYS = List.of("data_path", "smiles_column", "target_columns", "output_dir",
            "split_type", "split_sizes", "splits_file", "invalid", "duplicates", "from", "from_task", "freeze_encoder",
            "freeze_ffn_layers");
    private static final Set<String> KEYS = keys();

    /** @return the run keys and the schema's keys */
    private static Set<String> keys() {
        Set<String> k = new java.util.LinkedHashSet<>(RUN_KEYS);
        SCHEMA.options().forEach(o -> k.add(o.key()));
        return java.util.Collections.unmodifiableSet(k);
    }

    public TrainConfig {
        targetColumns = List.copyOf(targetColumns);
        uncertainty = uncertainty == null ? gear.train.UncertaintyOptions.defaults() : uncertainty;
    }

    /** @return chemprop v1's defaults as a JSON object (no data path or output directory) */
    public static ObjectNode defaults() {
        ObjectNode n = JSON.createObjectNode();
        n.putNull("smiles_column");
        n.putArray("target_columns");
        n.put("split_type", "random");
        ArrayNode s = n.putArray("split_sizes");
        s.add(0.8).add(0.1).add(0.1);
        n.putNull("splits_file");
        n.put("invalid", "fail");
        n.put("duplicates", "keep");
        n.setAll(Values.defaults(SCHEMA).toJson(JSON));
        n.putNull("ffn_hidden_size");
        n.putNull("from");
        n.putNull("from_task");
        n.put("freeze_encoder", false);
        n.put("freeze_ffn_layers", 0);
        return n;
    }

    /**
     * Reads a {@code config.json} written by an earlier run (or by hand).
     *
     * @throws BadInputException when the file is missing, not a JSON object, or has unknown keys
     */
    public static ObjectNode read(Path file) {
        JsonNode n;
        try {
            n = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such config file");
        } catch (IOException e) {
            throw new BadInputException(file + ": not a JSON config file: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new BadInputException(file + ": expected a JSON object (a config.json written by gear train)");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k) && !INFO_KEYS.contains(k)) {
                throw new BadInputException(file + ": unknown key '" + k + "' (did you mean '"
                        + gear.config.Schema.closest(k, KEYS) + "'? known: " + KEYS + ")");
            }
        }
        ObjectNode o = (ObjectNode) n;
        INFO_KEYS.forEach(o::remove);
        return o;
    }

    /**
     * Resolves the configuration: chemprop defaults, overlaid by the config file's values (if any),
     * overlaid by the options given explicitly on the command line.
     *
     * @param configFile values from {@code --config} (null: none)
     * @param explicit options given on the command line (snake_case keys; null values are ignored)
     * @throws IllegalArgumentException when a value is invalid or the data path or output directory is missing
     * @throws gear.config.UnknownOptionException when an explicit key is not a key of {@code config.json} (e.g. a
     *     misspelt option passed to {@code gear.api.Gear#train}), naming the closest valid one
     */
    public static TrainConfig resolve(ObjectNode configFile, ObjectNode explicit) {
        ObjectNode n = defaults();
        if (configFile != null) {
            n.setAll(configFile);
        }
        for (Iterator<String> it = explicit.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new gear.config.UnknownOptionException("train", k, Schema.closest(k, KEYS));
            }
            if (!explicit.get(k).isNull()) {
                n.set(k, explicit.get(k));
            }
        }
        return fromJson(n);
    }

    /** Parses the flat JSON form. */
    public static TrainConfig fromJson(JsonNode n) {
        String data = text(n, "data_path");
        if (data == null) {
            throw new IllegalArgumentException("no training data: give -i CSV (or --config with a data_path)");
        }
        String out = text(n, "output_dir");
        if (out == null) {
            throw new IllegalArgumentException("no run directory: give -o DIR");
        }
        List<String> targets = new ArrayList<>();
        n.path("target_columns").forEach(t -> targets.add(t.asText()));
        JsonNode ss = n.path("split_sizes");
        List<Double> sizes = new ArrayList<>();
        ss.forEach(v -> sizes.add(v.asDouble()));
        Values v = values(n);
        int hidden = v.get(DmpnnConfig.HIDDEN_SIZE);
        int ffnHidden = v.get(DmpnnConfig.FFN_HIDDEN_SIZE);
        DmpnnConfig model = new DmpnnConfig(hidden, v.get(DmpnnConfig.DEPTH), v.get(DmpnnConfig.DROPOUT),
                ffnHidden == 0 ? hidden : ffnHidden, v.get(DmpnnConfig.FFN_NUM_LAYERS), 1, false);
        TrainOptions t = TrainOptions.of(v);
        String splits = text(n, "splits_file");
        int threads = v.get(TrainOptions.THREADS);
        String from = text(n, "from");
        boolean freezeEncoder = n.path("freeze_encoder").asBoolean(false);
        int freezeFfn = n.path("freeze_ffn_layers").asInt(0);
        if (from == null && (freezeEncoder || freezeFfn != 0 || text(n, "from_task") != null)) {
            throw new IllegalArgumentException("--freeze-encoder, --freeze-ffn-layers and --from-task need --from MODEL");
        }
        if (freezeFfn < 0) {
            throw new IllegalArgumentException("--freeze-ffn-layers must be at least 0, got " + freezeFfn);
        }
        StartFrom start = from == null ? null : new StartFrom(Path.of(from).toAbsolutePath().normalize(), text(n, "from_task"),
                freezeEncoder, freezeFfn);
        return new TrainConfig(Path.of(data).toAbsolutePath().normalize(), text(n, "smiles_column"), targets,
                Path.of(out).toAbsolutePath().normalize(), SplitType.parse(n.path("split_type").asText()),
                SplitSizes.of(sizes), splits == null ? null : Path.of(splits).toAbsolutePath().normalize(),
                InvalidPolicy.parse(n.path("invalid").asText()), DuplicatePolicy.parse(n.path("duplicates").asText("keep")),
                model, t, threads, v.get(TrainOptions.DEVICE), start, gear.train.UncertaintyOptions.fromJson(n));
    }

    /**
     * @return the values of the schema's keys in {@code n} (absent or null keys take their defaults)
     * @throws IllegalArgumentException naming the option when a value is invalid
     */
    static Values values(JsonNode n) {
        Values v = Values.defaults(SCHEMA);
        for (Opt<?> o : SCHEMA.options()) {
            JsonNode x = n.get(o.key());
            if (x != null && !x.isNull()) {
                v = v.with(o.key(), x.asText());
            }
        }
        return v;
    }

    /**
     * @param dataSha256 SHA-256 of the data file (informational)
     * @return the flat JSON form (what {@code config.json} holds)
     */
    public ObjectNode toJson(String dataSha256) {
        ObjectNode n = JSON.createObjectNode();
        n.put("command", "train");
        n.put("gear_version", gear.train.Provenance.buildVersion());
        n.put("data_path", dataPath.toString());
        if (dataSha256 != null) {
            n.put("data_sha256", dataSha256);
        }
        n.put("smiles_column", smilesColumn);
        ArrayNode t = n.putArray("target_columns");
        targetColumns.forEach(t::add);
        n.put("output_dir", outputDir.toString());
        n.put("split_type", splitType.cliName());
        ArrayNode s = n.putArray("split_sizes");
        s.add(splitSizes.train()).add(splitSizes.val()).add(splitSizes.test());
        n.put("splits_file", splitsFile == null ? null : splitsFile.toString());
        n.put("invalid", invalid.name().toLowerCase(java.util.Locale.ROOT));
        n.put("duplicates", duplicates.cliName());
        n.setAll(training.toJson(JSON));
        n.put("hidden_size", model.hiddenSize());
        n.put("depth", model.depth());
        n.put("dropout", model.dropout());
        n.put("ffn_num_layers", model.ffnNumLayers());
        n.put("ffn_hidden_size", model.ffnHiddenSize());
        n.put("threads", threads);
        n.put("device", device);
        n.put("from", startFrom == null ? null : startFrom.model().toString());
        n.put("from_task", startFrom == null ? null : startFrom.task());
        n.put("freeze_encoder", startFrom != null && startFrom.freezeEncoder());
        n.put("freeze_ffn_layers", startFrom == null ? 0 : startFrom.freezeFfnLayers());
        uncertainty.putInto(n);
        return n;
    }

    /** @return the task type of the run: loss, metric, selection direction and their names (regression or mve) */
    public gear.train.TaskType taskType() {
        return uncertainty.taskType();
    }

    /** @return a copy writing into another run directory */
    public TrainConfig withOutputDir(Path dir) {
        return new TrainConfig(dataPath, smilesColumn, targetColumns, dir.toAbsolutePath().normalize(), splitType,
                splitSizes, splitsFile, invalid, duplicates, model, training, threads, device, startFrom, uncertainty);
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }
}
