package gear.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.DataDirs;
import gear.data.FeatureCache;
import gear.eval.Metrics;
import gear.run.RunDirectory;
import gear.run.TrainConfig;
import gear.run.TrainRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gear train}: a single-task (or multi-target) D-MPNN with chemprop v1 defaults and option
 * names; a thin wrapper over {@link TrainRun}. Results (test RMSE/MAE/R²) go to stdout, progress to
 * stderr; the run directory is described in {@link RunDirectory}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a D-MPNN (chemprop v1 semantics and defaults) on one CSV.",
            "Writes config.json, splits.json, model.gear, metrics.csv, test_predictions.csv, test_metrics.json, "
                    + "learning_curve.png, parity.png and a resumable checkpoint into the output directory."})
final class TrainCommand implements Callable<Integer> {
    /** The model and training-loop options of {@code gear train} declared as {@link gear.config.Opt}s (added by {@link Main}). */
    static final gear.config.Schema SCHEMA = new gear.config.Schema("train", List.of(gear.nn.DmpnnConfig.HIDDEN_SIZE,
            gear.nn.DmpnnConfig.DEPTH, gear.nn.DmpnnConfig.DROPOUT, gear.nn.DmpnnConfig.FFN_NUM_LAYERS,
            gear.train.TrainOptions.INIT_LR, gear.train.TrainOptions.MAX_LR, gear.train.TrainOptions.FINAL_LR,
            gear.train.TrainOptions.WARMUP_EPOCHS, gear.train.TrainOptions.PATIENCE, gear.train.TrainOptions.MIN_DELTA,
            gear.train.TrainOptions.CLIP_NORM, gear.train.UncertaintyOptions.ENSEMBLE_SIZE,
            gear.train.UncertaintyOptions.TASK_TYPE));

    @Option(names = {"-i", "--data-path"}, paramLabel = "CSV", description = "training CSV (a path or a data set name)")
    String dataPath;

    @Option(names = {"-s", "--smiles-column"}, paramLabel = "COL", description = "SMILES column (default: the first column)")
    String smilesColumn;

    @Option(names = {"-t", "--target-columns"}, arity = "1..*", paramLabel = "COL",
            description = "target column(s) (default: every numeric column but the SMILES column)")
    List<String> targetColumns;

    @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR", description = "run directory")
    Path outputDir;

    @CommandLine.Mixin
    CommonOptions common;

    @CommandLine.Mixin
    SplitOptions split;

    @CommandLine.Mixin
    DataOptions data;

    @Option(names = "--ffn-hidden-size", paramLabel = "N", description = "FFN hidden width (default: = --hidden-size)")
    Integer ffnHiddenSize;

    @Option(names = "--resume", description = "continue from the checkpoint in the output directory "
            + "(its config.json is used when no --config is given)")
    boolean resume;

    @Option(names = "--force", description = "replace the run the output directory holds (without it such a "
            + "directory is refused, exit 2)")
    boolean force;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "disk cache of canonical SMILES and features (default: ~/.cache/gear/features; 'none' = off)")
    String cacheDir;

    @Option(names = "--from", paramLabel = "MODEL", description = "start from the weights of a gear model: a D-MPNN "
            + "(encoder and matching FFN layers) or one task of a transfer model (its D-MPNN embedding); its hidden size and "
            + "depth are the defaults")
    Path from;

    @Option(names = "--from-task", paramLabel = "source|target", description = "with --from a transfer model: which task's "
            + "network (default: target)")
    String fromTask;

    @Option(names = "--freeze-encoder", description = "with --from: keep the message-passing encoder's weights fixed")
    Boolean freezeEncoder;

    @Option(names = "--freeze-ffn-layers", paramLabel = "N", description = "with --from: keep the first N FFN layers fixed "
            + "(default: 0)")
    Integer freezeFfnLayers;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--interrupt-after", hidden = true, description = "testing aid: stop after N epochs of this process")
    int interruptAfter;

    @Override
    public Integer call() throws Exception {
        ObjectNode fromFile = null;
        if (common.config() != null) {
            fromFile = TrainConfig.read(common.config());
        } else if (resume && outputDir != null && Files.isRegularFile(outputDir.resolve(RunDirectory.CONFIG))) {
            fromFile = TrainConfig.read(outputDir.resolve(RunDirectory.CONFIG));
        }
        com.fasterxml.jackson.databind.JsonNode argv = null;
        if (fromFile != null && resume && common.config() == null) {
            argv = new com.fasterxml.jackson.databind.ObjectMapper().readTree(outputDir.resolve(RunDirectory.CONFIG).toFile())
                    .get("argv");
        }
        if (from != null) { // the source's architecture, under the config file and the explicit options
            ObjectNode arch = new gear.run.StartFrom(from, fromTask, false, 0).architecture();
            if (fromFile != null) {
                arch.setAll(fromFile);
            }
            fromFile = arch;
        }
        TrainConfig cfg = TrainConfig.resolve(fromFile, explicit());
        Path cache = cacheDir == null ? FeatureCache.defaultDir() : cacheDir.equalsIgnoreCase("none") ? null : Path.of(cacheDir);
        if (argv == null) {
            ArrayNode a = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            List<String> args = spec.commandLine().getParseResult().originalArgs();
            args.subList(args.indexOf("train"), args.size()).forEach(a::add);
            argv = a;
        }
        try (gear.train.RunGuard guard = gear.train.RunGuard.acquire(cfg.outputDir(), force, resume, "train")) {
            if (guard.takenOver() != null && !common.quiet()) {
                System.err.println("note: took over the lock of a run that ended without releasing it ("
                        + guard.takenOver() + ")");
            }
            TrainRun.Result r = TrainRun.run(cfg, new TrainRun.Options(resume, common.quiet(), common.verbose(), cache,
                    interruptAfter, System.err), argv);
            System.out.println(summary(r));
        }
        return 0;
    }

    private ObjectNode explicit() {
        ObjectNode n = common.explicit();
        n.setAll(split.explicit());
        if (data.explicitDuplicates() != null) {
            n.put("duplicates", data.explicitDuplicates());
        }
        if (dataPath != null) {
            n.put("data_path", DataDirs.dataset(dataPath, common.dataDir()).toAbsolutePath().normalize().toString());
        }
        if (smilesColumn != null) {
            n.put("smiles_column", smilesColumn);
        }
        if (targetColumns != null) {
            ArrayNode a = n.putArray("target_columns");
            targetColumns.forEach(a::add);
        }
        if (outputDir != null) {
            n.put("output_dir", outputDir.toAbsolutePath().normalize().toString());
        }
        putIf(n, "ffn_hidden_size", ffnHiddenSize);
        if (from != null) {
            n.put("from", from.toAbsolutePath().normalize().toString());
        }
        if (fromTask != null) {
            n.put("from_task", fromTask);
        }
        if (freezeEncoder != null) {
            n.put("freeze_encoder", freezeEncoder);
        }
        putIf(n, "freeze_ffn_layers", freezeFfnLayers);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        SchemaOptions.explicit(spec.commandLine(), SCHEMA).forEach((k, v) -> n.set(k, json.valueToTree(SCHEMA.get(k).parse(v))));
        return n;
    }

    private static void putIf(ObjectNode n, String key, Number v) {
        if (v instanceof Integer i) {
            n.put(key, i);
        } else if (v instanceof Double d) {
            n.put(key, d);
        }
    }

    /** @return the stdout summary: one line per target, then the run directory */
    static String summary(TrainRun.Result r) {
        StringBuilder sb = new StringBuilder();
        for (int t = 0; t < r.targets().size(); t++) {
            Metrics.Regression m = r.test().get(t);
            sb.append(String.format(Locale.ROOT, "%s: test RMSE %.4f  MAE %.4f  R2 %.4f  (n_test %d)%n", r.targets().get(t),
                    m.rmse(), m.mae(), m.r2(), m.n()));
        }
        sb.append(String.format(Locale.ROOT, "train %d, val %d, test %d molecules; best epoch %d, val RMSE %.4f; %.1f s%n",
                r.nTrain(), r.nVal(), r.nTest(), r.bestEpoch(), r.bestValRmse(), r.trainSeconds()));
        sb.append("run directory: ").append(r.dir().dir());
        return sb.toString();
    }
}
