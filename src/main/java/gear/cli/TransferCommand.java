package gear.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.BadInputException;
import gear.data.CsvLoader;
import gear.data.InvalidPolicy;
import gear.data.LoadReport;
import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.nn.Torch;
import gear.train.EpochStats;
import gear.train.TrainListener;
import gear.transfer.Methods;
import gear.transfer.RunFiles;
import gear.transfer.TransferConfig;
import gear.transfer.TransferMethod;
import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;
import gear.transfer.TransferOutcome;
import gear.transfer.TransferRun;
import gear.transfer.TransferSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gear transfer}: one source → target pair, one method (design/GEAR.md §6 for one split); a thin
 * wrapper over {@link TransferRun#run}; with {@code --task}, a run across k tasks ({@link KTaskTransfer}). The run
 * keys (data, columns, split, seed, threads, device) are declared here; the model and training options come from
 * {@link TransferSchema#SCHEMA} (added to this command by {@link #addSchemaOptions}). Values are layered: the
 * method's defaults ({@link TransferOptions#defaults(TransferMethod)}: the schema's, with the method's tuned values
 * over them), then {@code --config FILE} (a {@code config.json} of an earlier run; with {@code --resume} and no
 * {@code --config}, the run directory's own), then the options given on the command line.
 */
@Command(name = "transfer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train one source -> target pair with one method (see --method); with --task, one run across "
                + "k tasks (docs/KTASKS.md).",
            "The target is split (test fraction 0.2, validation from the rest, or fold i of k); the source loses every "
                + "molecule of the target test set (canonical SMILES). Writes config.json and splits.json before "
                + "training, a checkpoint after every epoch (continue with --resume), then model.gear, metrics.csv "
                + "(every loss term per epoch), test_predictions.csv, learning_curve.png, parity.png and, for methods "
                + "with transfer maps, curvature_hist.png.",
            "Each method has its own defaults for the options gear tune chose on validation (max_lr, dropout and the "
                + "method's own weights and source_batches; docs/RESULTS.md 'Tuned defaults'); the defaults printed "
                + "below are the declared ones, which an option you give always overrides."})
final class TransferCommand implements Callable<Integer> {
    @Option(names = "--source", paramLabel = "CSV", description = "Source-task CSV (required, or from --config).")
    Path source;
    @Option(names = "--source-column", paramLabel = "C", description = "Source property column (required).")
    String sourceColumn;
    @Option(names = "--target", paramLabel = "CSV", description = "Target-task CSV (required); with --task: the COLUMN "
            + "of the task to evaluate, or COLUMN,COLUMN,... for several (the first is the primary task; the kept epoch "
            + "then minimizes the mean standardized validation RMSE).")
    Path target;
    @Option(names = "--target-column", paramLabel = "C", description = "Target property column (required).")
    String targetColumn;
    @Option(names = "--method", paramLabel = "M", completionCandidates = MethodNames.class,
            description = "The method (required): ${COMPLETION-CANDIDATES}.")
    String method;
    @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR", description = "Run directory (required).")
    Path outputDir;
    @Option(names = {"-s", "--smiles-column"}, paramLabel = "COL", description = "SMILES column of both files (default: first column).")
    String smilesColumn;
    @picocli.CommandLine.Mixin
    DataOptions data;
    @Option(names = "--invalid", paramLabel = "fail|skip", description = "Bad rows: fail (default) or skip.")
    String invalid;

    @Option(names = "--split-type", paramLabel = "T", description = "random, scaffold or value (default: random).")
    String splitType;
    @Option(names = "--split-sizes", arity = "3", paramLabel = "F", description = "train val test fractions (default 0.7 0.1 0.2).")
    List<Double> splitSizes;
    @Option(names = "--folds", paramLabel = "K", description = "k-fold CV of the non-test part (default: 0 = off).")
    Integer folds;
    @Option(names = "--fold", paramLabel = "I", description = "Validation fold index 0..K-1 (default: 0).")
    Integer fold;
    @Option(names = "--splits-file", paramLabel = "FILE", description = "JSON {train,val,test} of target data-row indices.")
    Path splitsFile;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A config.json written by an earlier run; options given here override its values.")
    Path config;
    @Option(names = "--resume", description = "Continue from the checkpoints in the output directory (its config.json "
            + "is used when no --config is given); the result equals that of an uninterrupted run.")
    boolean resume;
    @Option(names = "--force", description = "Replace the run the output directory holds (without it such a "
            + "directory is refused, exit 2).")
    boolean force;
    @Option(names = "--pretrain-cache", paramLabel = "DIR", description = "Take the source pretraining (finetune, kd, "
            + "gspkd; source_init pretrained or both) from this cache directory, shared with other runs, and store it "
            + "there when absent; the result is the same as without it (default: none).")
    Path pretrainCache;
    @Option(names = {"-q", "--quiet"}, description = "No per-epoch lines.")
    boolean quiet;
    @Option(names = "--interrupt-after", hidden = true, description = "testing aid: stop after N epochs of this process")
    int interruptAfter;

    @Option(names = "--task", paramLabel = "CSV:COLUMN", description = "A task of a run across k tasks (repeat, k >= 2; "
            + "docs/KTASKS.md); replaces --source, --source-column, --target-column; --target names the evaluated "
            + "column(s); --method gear (default), gate, mtl or finetune; --config and --resume as for two tasks.")
    List<String> tasks;

    @Spec
    CommandSpec spec;

    /** The argument vector of the run being resumed (kept in its config.json), or null. */
    JsonNode originalArgv;

    /** The method names of the registry, for {@code --help}. */
    static final class MethodNames extends ArrayList<String> {
        MethodNames() {
            super(Methods.names());
        }
    }

    /**
     * Adds the options of {@link TransferSchema#SCHEMA} to the command (two of them have a default that
     * depends on another option here).
     */
    static void addSchemaOptions(CommandSpec spec) {
        Map<String, String> help = new LinkedHashMap<>();
        help.put("pretrain_epochs", TransferSchema.PRETRAIN_EPOCHS.description() + " (default: --epochs)");
        help.put("map_hidden", TransferSchema.MAP_HIDDEN.description() + " (default: --common-size when given, else "
                + TransferSchema.MAP_HIDDEN.defaultValue() + ")");
        SchemaOptions.add(spec, TransferSchema.SCHEMA, help);
        SchemaOptions.add(spec, RUN_OPTIONS, Map.of());
        SchemaOptions.add(spec, TransferConfig.NOISE_OPTIONS, Map.of());
        SchemaOptions.add(spec, ENSEMBLE_OPTIONS, Map.of());
    }

    /**
     * {@code --ensemble-size N} (the {@link gear.train.UncertaintyOptions#ENSEMBLE_SIZE} of {@code gear train}): a run
     * key, not a model option (outside {@link TransferSchema#SCHEMA}, so grid cells and their fingerprints do not
     * see it), recorded in config.json only when N &gt; 1.
     */
    static final gear.config.Schema ENSEMBLE_OPTIONS = new gear.config.Schema("transfer ensemble", List.of(
            gear.train.UncertaintyOptions.ENSEMBLE_SIZE));

    /**
     * The run options that {@code gear train} shares ({@code --seed}, {@code --threads}, {@code --device}: the same
     * {@link gear.config.Opt}s); run keys of {@code config.json}, not model options.
     */
    static final gear.config.Schema RUN_OPTIONS = new gear.config.Schema("transfer run", List.of(
            gear.train.TrainOptions.SEED, gear.train.TrainOptions.THREADS, gear.train.TrainOptions.DEVICE));

    @Override
    public Integer call() throws Exception {
        Path file = config != null ? config
                : resume && outputDir != null && Files.isRegularFile(outputDir.resolve(RunFiles.CONFIG))
                        ? outputDir.resolve(RunFiles.CONFIG) : null;
        if (tasks != null || KTaskTransfer.isKTaskConfig(file)) {
            if (!SchemaOptions.explicit(spec.commandLine(), ENSEMBLE_OPTIONS).isEmpty()) {
                throw new BadInputException("--ensemble-size is not available with --task (k-task transfer)");
            }
            return KTaskTransfer.run(this, file);
        }
        Map<String, JsonNode> run = new LinkedHashMap<>();
        Map<String, String> opts = new LinkedHashMap<>();
        if (file != null) {
            JsonNode argv = TransferConfig.read(file, run, opts);
            if (resume && outputDir != null && file.equals(outputDir.resolve(RunFiles.CONFIG))) {
                originalArgv = argv;
            }
        }
        explicitRunKeys(run);
        TransferConfig.labelNoiseOptions(SchemaOptions.explicit(spec.commandLine(), TransferConfig.NOISE_OPTIONS), run);
        Map<String, String> given = SchemaOptions.explicit(spec.commandLine(), TransferSchema.SCHEMA);
        TransferCommand.putGiven(opts, given, file == null);
        for (String k : List.of("source", "source_column", "target", "target_column", "method", "output_dir")) {
            if (text(run, k) == null) {
                throw new BadInputException("gear transfer needs --" + k.replace('_', '-') + " (or --config FILE)");
            }
        }
        TransferMethod m = Methods.get(text(run, "method"));
        TransferOptions o = TransferOptions.defaults(m).with(opts);
        m.check(o);
        Path out = Path.of(text(run, "output_dir")).toAbsolutePath().normalize();
        try (gear.train.RunGuard guard = gear.train.RunGuard.acquire(out, force, resume, "transfer")) {
            return run(run, o, m, out, guard);
        }
    }

    /** The run itself, under the run directory's {@link gear.train.RunGuard}. */
    private Integer run(Map<String, JsonNode> run, TransferOptions o, TransferMethod m, Path out,
            gear.train.RunGuard guard) throws Exception {
        if (guard.takenOver() != null && !quiet) {
            System.err.println("note: took over the lock of a run that ended without releasing it (" + guard.takenOver()
                    + ")");
        }
        int nThreads = run.containsKey("threads") ? run.get("threads").asInt() : 1;
        String dev = text(run, "device") == null ? gear.train.TrainOptions.DEVICE.defaultValue() : text(run, "device");
        // --threads N: N data-parallel lanes of one libtorch thread each; refuses cuda without a usable GPU (exit 2)
        // before any data is read
        Torch.initTraining(nThreads, dev);
        InvalidPolicy policy = InvalidPolicy.parse(text(run, "invalid") == null ? "fail" : text(run, "invalid"));
        gear.data.DuplicatePolicy dups = duplicates(run);
        MoleculeDataset src = load(Path.of(text(run, "source")), text(run, "source_column"), policy, text(run, "smiles_column"), dups);
        MoleculeDataset tgt = load(Path.of(text(run, "target")), text(run, "target_column"), policy, text(run, "smiles_column"), dups);
        long s = run.containsKey("seed") ? run.get("seed").asLong() : 0L;
        Split split = TransferConfig.split(tgt, run, s).requireTrainable(tgt);
        ObjectNode extra = resolvedRunKeys(run, out, nThreads, dev);
        gear.data.LabelNoise.Corrupted noise = TransferConfig.labelNoise(tgt, split, run);
        if (noise != null) {
            tgt = noise.data();
            extra.set("label_noise", TransferConfig.labelNoiseJson(run.get("label_noise"), noise));
            if (!quiet) {
                System.err.printf(Locale.ROOT, "label noise: %d training labels shifted by ±%.4g%n", noise.result().count(),
                        noise.result().shift());
            }
        }
        TransferSpec ts = new TransferSpec(m, src, text(run, "source_column"), tgt, text(run, "target_column"), split, o, s,
                out).withDevice(dev);
        gear.train.TaskType tt = ts.taskType();
        int members = ensembleSize(run);
        if (members > 1) {
            extra.put(gear.train.UncertaintyOptions.ENSEMBLE_SIZE.key(), members);
        }
        TransferOutcome r = TransferRun.run(ts, listener(tt), extra, resume,
                pretrainCache == null ? null : new gear.transfer.PretrainCache(pretrainCache), members);
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf(Locale.ROOT, "%s  %s <- %s  train %d (source %d, %d purged)  val %d  test %d%n", m.name(),
                text(run, "target_column"), text(run, "source_column"), split.train().length, r.nSourceTrain(),
                r.nSourcePurged(), split.val().length, split.test().length);
        // the kept epoch as config.json stores it (results.best_epoch, from 0), and as the log and metrics.csv number it
        pw.printf(Locale.ROOT, "test %s  (val %s %.4f, best epoch %d (0-based; the log's epoch %d), %.1f s)%n",
                tt.testSummary(r.testRmse(), r.testMae(), r.testR2()), tt.metricLabel(), r.valRmse(), r.bestEpoch(),
                r.bestEpoch() + 1, r.trainSeconds());
        if (members > 1) {
            pw.printf(Locale.ROOT, "ensemble of %d (initialization seeds %d..%d): test and val metrics of the mean "
                    + "prediction; model.gear holds every member%n", members, s, s + members - 1);
        }
        if (m.hasTransferMaps()) {
            pw.printf(Locale.ROOT, "mean |R| on the test set: source %.4g  target %.4g%n", r.meanAbsRicciSource(),
                    r.meanAbsRicciTarget());
        }
        pw.println("run directory: " + out);
        pw.flush();
        return 0;
    }

    void explicitRunKeys(Map<String, JsonNode> run) {
        ObjectMapper json = new ObjectMapper();
        putIf(run, "source", source == null ? null : source.toAbsolutePath().normalize().toString());
        putIf(run, "source_column", sourceColumn);
        putIf(run, "target", target == null ? null : target.toAbsolutePath().normalize().toString());
        putIf(run, "target_column", targetColumn);
        putIf(run, "method", method);
        putIf(run, "output_dir", outputDir == null ? null : outputDir.toAbsolutePath().normalize().toString());
        putIf(run, "smiles_column", smilesColumn);
        putIf(run, "invalid", invalid);
        putIf(run, "duplicates", data.explicitDuplicates());
        putIf(run, "split_type", splitType);
        if (splitSizes != null) {
            ArrayNode a = json.createArrayNode();
            splitSizes.forEach(a::add);
            run.put("split_sizes", a);
        }
        if (folds != null) {
            run.put("folds", json.getNodeFactory().numberNode(folds));
        }
        if (fold != null) {
            run.put("fold", json.getNodeFactory().numberNode(fold));
        }
        putIf(run, "splits_file", splitsFile == null ? null : splitsFile.toAbsolutePath().normalize().toString());
        SchemaOptions.explicit(spec.commandLine(), RUN_OPTIONS).forEach((k, v) -> run.put(k,
                json.valueToTree(RUN_OPTIONS.get(k).parse(v))));
        SchemaOptions.explicit(spec.commandLine(), ENSEMBLE_OPTIONS).forEach((k, v) -> run.put(k,
                json.valueToTree(ENSEMBLE_OPTIONS.get(k).parse(v))));
    }

    /** @return the run's ensemble size (1 unless given or in the config) */
    private static int ensembleSize(Map<String, JsonNode> run) {
        JsonNode n = run.get(gear.train.UncertaintyOptions.ENSEMBLE_SIZE.key());
        int k = n == null || n.isNull() ? 1 : n.asInt();
        if (k < 1) {
            throw new BadInputException("--ensemble-size must be at least 1, got " + k);
        }
        return k;
    }

    private static void putIf(Map<String, JsonNode> run, String key, String v) {
        if (v != null) {
            run.put(key, new ObjectMapper().getNodeFactory().textNode(v));
        }
    }

    private static String text(Map<String, JsonNode> run, String key) {
        return TransferConfig.text(run, key);
    }

    /** The run keys as resolved (config.json's run part) and the argument vector of this invocation. */
    ObjectNode resolvedRunKeys(Map<String, JsonNode> run, Path out, int nThreads, String dev) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode n = json.createObjectNode();
        if (originalArgv != null && originalArgv.isArray()) {
            n.set("argv", originalArgv);
        } else {
            ArrayNode argv = n.putArray("argv");
            argv.add("transfer");
            List<String> args = spec.commandLine().getParseResult().originalArgs();
            int start = args.indexOf("transfer");
            args.subList(start + 1, args.size()).forEach(argv::add);
        }
        n.put("smiles_column", text(run, "smiles_column"));
        n.put("invalid", text(run, "invalid") == null ? "fail" : text(run, "invalid"));
        n.put("duplicates", duplicates(run).cliName());
        n.put("split_type", text(run, "split_type") == null ? "random" : text(run, "split_type"));
        ArrayNode sizes = n.putArray("split_sizes");
        if (run.containsKey("split_sizes")) {
            run.get("split_sizes").forEach(sizes::add);
        } else {
            sizes.add(0.7).add(0.1).add(0.2);
        }
        n.put("folds", run.containsKey("folds") ? run.get("folds").asInt() : 0);
        n.put("fold", run.containsKey("fold") ? run.get("fold").asInt() : 0);
        n.put("splits_file", text(run, "splits_file"));
        n.put("threads", nThreads);
        n.put("device", dev);
        return n;
    }

    private TrainListener listener(gear.train.TaskType tt) {
        return new TrainListener() {
            private int ranHere;

            @Override
            public void onEpochEnd(EpochStats e) {
                if (!quiet) {
                    epochLine(e, tt);
                }
                ranHere++;
                if (interruptAfter > 0 && ranHere >= interruptAfter) {
                    throw new gear.run.TrainRun.InterruptedRunException(ranHere);
                }
            }
        };
    }

    private static void epochLine(EpochStats e, gear.train.TaskType tt) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s epoch %d", e.phase(), e.epoch() + 1));
        for (Map.Entry<String, Double> t : e.terms().entrySet()) {
            sb.append(String.format(Locale.ROOT, "  %s %.4g", t.getKey(), t.getValue()));
        }
        if (!Double.isNaN(e.valScore())) {
            sb.append(String.format(Locale.ROOT, "  %s %.4f", tt.valColumn(), e.valScore()));
        }
        sb.append(String.format(Locale.ROOT, "  %.1f s%s", e.seconds(), e.improved() ? "  *" : ""));
        System.err.println(sb);
    }

    /** @return the run's {@code --duplicates} policy (default: keep every row, with a warning) */
    private static gear.data.DuplicatePolicy duplicates(Map<String, JsonNode> run) {
        String d = text(run, "duplicates");
        return d == null ? gear.data.DuplicatePolicy.KEEP : gear.data.DuplicatePolicy.parse(d);
    }

    private MoleculeDataset load(Path file, String column, InvalidPolicy policy, String smilesCol,
            gear.data.DuplicatePolicy dups) {
        CsvLoader.Result r = CsvLoader.of(file).smilesColumn(smilesCol).targetColumns(List.of(column)).policy(policy)
                .duplicates(dups).load();
        LoadReport rep = r.report();
        if (!quiet && rep.badRows() != null && !rep.badRows().isEmpty()) {
            System.err.println(file + ": skipped " + rep.badRows().size() + " bad rows");
        }
        return r.dataset();
    }

    /**
     * Puts the options given on the command line into {@code opts}; on the command line alone (not from a
     * {@code --config}), {@code --epochs} also sets {@code pretrain_epochs} and {@code --common-size} also sets
     * {@code map_hidden} unless those are given themselves.
     */
    static void putGiven(Map<String, String> opts, Map<String, String> given, boolean commandLine) {
        opts.putAll(given);
        if (commandLine) {
            if (!given.containsKey("pretrain_epochs") && given.containsKey("epochs")) {
                opts.put("pretrain_epochs", given.get("epochs"));
            }
            if (!given.containsKey("map_hidden") && given.containsKey("common_size")) {
                opts.put("map_hidden", given.get("common_size"));
            }
        }
    }
}
