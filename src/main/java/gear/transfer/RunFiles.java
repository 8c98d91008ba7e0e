package gear.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.data.SplitsFile;
import gear.eval.Plots;
import gear.geometry.LatentDiagnostics;
import gear.train.EpochStats;
import gear.train.RunWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a transfer run puts in its run directory, written by the one run-directory writer of train and transfer,
 * {@link RunWriter} (all written atomically; {@value #CONFIG} and {@value #SPLITS} before
 * training, with the checkpoints of {@link TransferTrainer} after every epoch (removed when the directory is
 * complete), the others at the end):
 * {@value #CONFIG} (flat: command, argv, run keys, every option, data sizes, and at the end the results), {@value #SPLITS} (target rows, {@link SplitsFile} format), {@value #MODEL}
 * ({@link TransferModelFile}), {@value #METRICS} (one row per epoch: phase, epoch, every loss term of the
 * method in its declared order, total, its diagnostics,
 * train_rmse when {@link TransferSpec#trainRmse()}, val_rmse, lr, seconds, kept), {@value #PREDICTIONS}
 * (test molecules: row, smiles, true, predicted),
 * {@value #CURVE}, {@value #PARITY} and, for GATE and GEAR, {@value #HIST} (R of each task's latent
 * manifold over the test molecules).
 */
public final class RunFiles {
    /** Settings of the run. */
    public static final String CONFIG = RunWriter.CONFIG;
    /** Target split. */
    public static final String SPLITS = RunWriter.SPLITS;
    /** The model. */
    public static final String MODEL = RunWriter.MODEL;
    /** Loss terms per epoch. */
    public static final String METRICS = RunWriter.METRICS;
    /** Test predictions. */
    public static final String PREDICTIONS = RunWriter.TEST_PREDICTIONS;
    /** Learning curves. */
    public static final String CURVE = RunWriter.LEARNING_CURVE;
    /** Parity plot. */
    public static final String PARITY = RunWriter.PARITY;
    /** Curvature histogram. */
    public static final String HIST = RunWriter.HIST;

    private RunFiles() {}

    /**
     * Checks, before anything is trained, that the run directory can be written: it is created when
     * missing, must be a directory, and a probe file must be writable in it.
     *
     * @throws gear.data.BadInputException naming the directory and the problem
     */
    public static void prepare(Path dir) {
        RunWriter.prepare(dir);
    }

    /**
     * The run's {@value #CONFIG} before training: {@code command}, {@code argv} and the other run keys given
     * in {@code extra} (from the command line: data paths, columns, split, threads, device), the data files'
     * SHA-256, the seed, every option of {@link TransferSchema#SCHEMA} (flat, snake_case) and the data sizes.
     * {@code gear transfer --config} reads it back; the grid's cells get {@code splits_file} = their own
     * {@value #SPLITS}, so that the cell's split is reproduced exactly.
     */
    static ObjectNode config(TransferSpec spec, MoleculeDataset tgt, Split split, String sourceSha, ObjectNode extra,
            int nSourceTrain, int nSourcePurged) {
        ObjectMapper json = TransferRun.json();
        ObjectNode cfg = json.createObjectNode();
        cfg.put("method", spec.method().name());
        cfg.put("source", spec.source().sourceFile().map(p -> p.toAbsolutePath().toString()).orElse(spec.source().name()));
        cfg.put("source_column", spec.sourceColumn());
        cfg.put("source_sha256", sourceSha);
        cfg.put("target", spec.target().sourceFile().map(p -> p.toAbsolutePath().toString()).orElse(spec.target().name()));
        cfg.put("target_column", spec.targetColumn());
        cfg.put("target_sha256", tgt.sourceSha256());
        cfg.put("seed", spec.seed());
        if (spec.outputDir() != null) {
            cfg.put("output_dir", spec.outputDir().toAbsolutePath().toString());
        }
        if (extra != null) {
            extra.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("argv")) {
                    cfg.set(e.getKey(), e.getValue());
                }
            });
        }
        if (!cfg.has("splits_file") && !cfg.has("split_type") && spec.outputDir() != null) {
            cfg.put("splits_file", spec.outputDir().resolve(SPLITS).toAbsolutePath().toString());
        }
        cfg.setAll(spec.options().toJson(json));
        JsonNode argv = extra != null && extra.has("argv") ? extra.get("argv") : argv(cfg);
        ObjectNode full = RunWriter.config("transfer", argv, cfg);
        full.put("n_source_train", nSourceTrain);
        full.put("n_source_purged", nSourcePurged);
        full.put("n_train", split.train().length);
        full.put("n_val", split.val().length);
        full.put("n_test", split.test().length);
        return full;
    }

    /**
     * The argument vector that repeats a run started from the library (a grid cell): the run keys and every
     * option as {@code gear transfer} flags, the split by the run's {@value #SPLITS}.
     */
    private static com.fasterxml.jackson.databind.node.ArrayNode argv(ObjectNode cfg) {
        com.fasterxml.jackson.databind.node.ArrayNode a = TransferRun.json().createArrayNode();
        a.add("transfer");
        argvTail(a, cfg, List.of("method", "source", "source_column", "target", "target_column", "invalid", "duplicates",
                "splits_file", "seed", "output_dir"));
        JsonNode z = cfg.get("label_noise");
        if (z != null && z.isObject()) { // a cell of the label-noise study
            a.add(TransferConfig.NOISE_FRACTION.flag()).add(z.path("fraction").asText());
            a.add(TransferConfig.NOISE_SIGMA.flag()).add(z.path("sigma").asText());
            a.add(TransferConfig.NOISE_SEED.flag()).add(z.path("seed").asText());
        }
        return a;
    }

    /**
     * Appends to a repeat's argument vector the run keys of {@code cfg} that are present ({@code --run-key value}, in
     * the given order) and every option of {@link TransferSchema#SCHEMA}: the part that a two-task run's and a k-task
     * run's (gear.transfer.ktask.KTaskRunFiles) repeats share.
     */
    public static void argvTail(com.fasterxml.jackson.databind.node.ArrayNode a, ObjectNode cfg, List<String> runKeys) {
        for (String k : runKeys) {
            if (cfg.hasNonNull(k)) {
                a.add("--" + k.replace('_', '-')).add(cfg.get(k).asText());
            }
        }
        for (gear.config.Opt<?> o : TransferSchema.SCHEMA.options()) {
            a.add(o.flag()).add(cfg.get(o.key()).asText());
        }
    }

    /**
     * Keys of {@value #CONFIG} that a resume must match (with every option of {@link TransferSchema#SCHEMA}): what
     * the run trains on and how; not the paths (the data's SHA-256 stand for them), threads, device or argv.
     */
    static final List<String> RESUME_KEYS = List.of("method", "seed", "source_column", "source_sha256", "target_column",
            "target_sha256", "split_type", "split_sizes", "folds", "fold", "label_noise", "n_source_train",
            "n_source_purged", "n_train", "n_val", "n_test", gear.train.UncertaintyOptions.ENSEMBLE_SIZE.key());

    /** {@link #checkResume(Path, ObjectNode, List)} with the keys of a two-task run, {@link #RESUME_KEYS}. */
    static void checkResume(Path dir, ObjectNode cfg) {
        checkResume(dir, cfg, RESUME_KEYS);
    }

    /**
     * Refuses, before anything is written, a resume whose settings are not those of the run in {@code dir}: the
     * given keys and every option of {@link TransferSchema#SCHEMA} in its {@value #CONFIG} against {@code cfg}
     * (keys that only one of them has, written by another version, are not compared; {@code ensemble_size} is 1
     * where absent; {@code file} members, paths, are left out: the data's SHA-256 stand for them). A finished run
     * has no checkpoint left to refuse it, so without this check its files would be replaced by a run of other
     * settings. An unreadable {@value #CONFIG} is left to the checkpoints to judge. Used by the two-task and the
     * k-task runs.
     *
     * @throws gear.data.BadInputException naming the file and every differing key with both values
     */
    public static void checkResume(Path dir, ObjectNode cfg, List<String> runKeys) {
        Path f = dir.resolve(CONFIG);
        JsonNode old = readObject(f);
        if (old == null) {
            return;
        }
        List<String> keys = new ArrayList<>(runKeys);
        TransferSchema.SCHEMA.options().forEach(o -> keys.add(o.key()));
        List<String> differ = new ArrayList<>();
        for (String k : keys) {
            JsonNode was = old.get(k);
            JsonNode now = cfg.get(k);
            if (k.equals(gear.train.UncertaintyOptions.ENSEMBLE_SIZE.key())) {
                was = was == null ? IntNode.valueOf(1) : was;
                now = now == null ? IntNode.valueOf(1) : now;
            }
            if (was != null && now != null && !sameValue(withoutPaths(was), withoutPaths(now))) {
                differ.add(k + " " + was + " in the run, " + now + " now");
            }
        }
        if (!differ.isEmpty()) {
            throw new gear.data.BadInputException(f + ": --resume with other settings than the run's ("
                    + String.join("; ", differ) + "); nothing was changed. Resume it with its own settings (gear transfer "
                    + "--resume -o " + dir + "), or start a new run with --force or another -o");
        }
    }

    /** @return the JSON object in a run's file, or null where it is missing, unreadable or not an object */
    private static JsonNode readObject(Path f) {
        try {
            JsonNode n = java.nio.file.Files.isRegularFile(f) ? TransferRun.json().readTree(f.toFile()) : null;
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Refuses, before anything is written, a resume whose target split is not the one in the run's {@value #SPLITS}
     * (e.g. another {@code --splits-file} with parts of the same sizes, which neither the settings nor the
     * checkpoints tell apart). A missing or unreadable {@value #SPLITS} is not compared.
     *
     * @throws gear.data.BadInputException naming the file and the parts that differ
     */
    static void checkResumeSplit(Path dir, Split split, MoleculeDataset tgt) {
        Path f = dir.resolve(SPLITS);
        JsonNode old = readObject(f);
        if (old == null) {
            return;
        }
        int[][] parts = {split.train(), split.val(), split.test()};
        String[] names = {"train", "val", "test"};
        List<String> differ = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            JsonNode was = old.get(names[p]);
            if (was == null || !was.isArray()) {
                return;
            }
            boolean same = was.size() == parts[p].length;
            for (int i = 0; same && i < parts[p].length; i++) {
                same = was.get(i).asInt(-1) == tgt.rowIndex(parts[p][i]);
            }
            if (!same) {
                differ.add(names[p]);
            }
        }
        if (!differ.isEmpty()) {
            throw new gear.data.BadInputException(f + ": --resume with another target split than the run's (its "
                    + String.join(", ", differ) + " rows differ); nothing was changed. Resume it with its own split, or "
                    + "start a new run with --force or another -o");
        }
    }

    /** @return a copy of {@code n} without {@code file} members (at any depth) */
    private static JsonNode withoutPaths(JsonNode n) {
        JsonNode c = n.deepCopy();
        strip(c);
        return c;
    }

    private static void strip(JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.remove("file");
        }
        n.forEach(RunFiles::strip);
    }

    /** @return whether two JSON values are equal, numbers by value (1 = 1.0) */
    private static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    /** Writes {@value #CONFIG} and {@value #SPLITS} before training (so that an interrupted run can be resumed). */
    static void begin(TransferSpec spec, MoleculeDataset tgt, Split split, ObjectNode cfg) throws IOException {
        RunWriter w = new RunWriter(spec.outputDir(), spec.taskType());
        w.writeConfig(cfg);
        w.writeSplits(split, tgt);
    }

    static void write(TransferSpec spec, MoleculeDataset tgt, Split split, int[] testIdx, TransferOutcome out,
            LatentDiagnostics[] diag, String sourceSha, ObjectNode cfg) throws IOException {
        write(spec, tgt, split, testIdx, out, diag, sourceSha, cfg, null);
    }

    /**
     * Writes the run directory at the end; with an ensemble ({@code ens} not null) {@value #MODEL} holds every
     * member ({@link TransferEnsembleFile}), {@value #PREDICTIONS} gets a {@code std} column, the results an
     * {@code uncertainty} object and the directory the calibration files of {@code gear train} ({@link TransferEnsembles}).
     */
    static void write(TransferSpec spec, MoleculeDataset tgt, Split split, int[] testIdx, TransferOutcome out,
            LatentDiagnostics[] diag, String sourceSha, ObjectNode cfg, TransferEnsembles.Result ens) throws IOException {
        RunWriter w = new RunWriter(spec.outputDir(), spec.taskType());
        ObjectNode res = cfg.putObject("results");
        res.put("test_rmse", out.testRmse());
        res.put("test_mae", out.testMae());
        res.put("test_r2", out.testR2());
        res.put("val_rmse", out.valRmse());
        res.put("best_epoch", out.bestEpoch());
        res.put("train_seconds", out.trainSeconds());
        if (spec.method().hasTransferMaps()) {
            res.put("mean_abs_r_source", out.meanAbsRicciSource());
            res.put("mean_abs_r_target", out.meanAbsRicciTarget());
        }
        ObjectNode shares = res.putObject("term_shares");
        TermShares.at(spec.method(), out.model().options(), out.history(), out.bestEpoch()).forEach(shares::put);
        if (ens != null) {
            res.set("uncertainty", ens.json());
        }
        w.writeConfig(cfg);
        w.writeSplits(split, tgt);
        if (ens == null) {
            w.writeModel(f -> TransferModelFile.save(f, out.model(), sourceSha));
        } else {
            w.writeModel(f -> TransferEnsembleFile.save(f, ens.ensemble(), sourceSha));
        }
        w.writeTermMetrics(declared(spec.method()), out.history());
        int[] rows = new int[testIdx.length];
        List<String> smiles = new ArrayList<>();
        for (int k = 0; k < testIdx.length; k++) {
            rows[k] = tgt.rowIndex(testIdx[k]);
            smiles.add(tgt.smiles(testIdx[k]));
        }
        if (ens == null) {
            w.writeTestPredictions(rows, smiles, out.testTruth(), out.testPredictions());
        } else {
            w.writeText(PREDICTIONS, TransferEnsembles.predictionsCsv(rows, smiles, out.testTruth(), out.testPredictions(),
                    ens.testStd()));
            TransferEnsembles.writeCalibration(w, ens, spec.targetColumn(), out.testTruth());
        }
        curve(w, out, spec);
        Map<String, double[][]> groups = new LinkedHashMap<>();
        groups.put("test", new double[][] {out.testTruth(), out.testPredictions()});
        w.plotParity(spec.method().name() + ": " + spec.targetColumn() + " (test)", spec.targetColumn(), groups);
        if (diag != null) {
            w.plotHistogram(diag[0], diag[1], "Ricci scalar of the latent manifolds (test molecules)");
        }
    }

    /** Writes a histogram of R per task (singular points left out; {@link RunWriter#histogram}). */
    public static void histogram(Path png, LatentDiagnostics source, LatentDiagnostics target, String title)
            throws IOException {
        RunWriter.histogram(png, source, target, title);
    }

    /** @return the metrics.csv text: one row per epoch with every term the method logged */
    static String metricsCsv(TransferMethod method, List<EpochStats> history) {
        return RunWriter.termMetricsCsv(declared(method), history);
    }

    /** @return the method's loss terms, the total and its diagnostics, in their declared order */
    private static List<String> declared(TransferMethod method) {
        List<String> cols = new ArrayList<>(method.terms());
        cols.add(gear.train.Objective.TOTAL);
        cols.addAll(method.diagnostics());
        return cols;
    }

    private static void curve(RunWriter w, TransferOutcome out, TransferSpec spec) throws IOException {
        List<EpochStats> train = out.history().stream().filter(e -> e.phase().equals("train")).toList();
        double[] x = new double[train.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        Set<String> keys = new LinkedHashSet<>();
        train.forEach(e -> keys.addAll(e.terms().keySet()));
        gear.train.TaskType tt = spec.taskType();
        keys.removeIf(k -> k.startsWith("abs_r_") || k.startsWith("geo_") || k.equals(tt.trainColumn()));
        List<Plots.Series> series = new ArrayList<>();
        for (String k : keys) {
            double[] y = new double[train.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = train.get(i).terms().getOrDefault(k, Double.NaN);
            }
            series.add(new Plots.Series("train " + k, x, y));
        }
        double sd = out.model().scaler(Task.TARGET).std(0);
        double[] v = new double[train.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = train.get(i).valScore() / sd;
        }
        series.add(new Plots.Series("val " + tt.metricLabel() + " / σ_target", x, v));
        if (train.stream().anyMatch(e -> e.terms().containsKey(tt.trainColumn()))) {
            double[] t = new double[train.size()];
            for (int i = 0; i < t.length; i++) {
                t[i] = train.get(i).terms().getOrDefault(tt.trainColumn(), Double.NaN) / sd;
            }
            series.add(new Plots.Series("train " + tt.metricLabel() + " / σ_target", x, t));
        }
        w.plotLines(CURVE, spec.method().name() + ": loss terms and validation " + tt.metricLabel(), "epoch",
                "loss term, or " + tt.metricLabel() + " / σ_target (dimensionless, log)", series, true);
    }
}
