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

    @Option(names = "--hidden-size", paramLabel = "N", description = "message and molecule vector width (default: 300)")
    Integer hiddenSize;

    @Option(names = "--depth", paramLabel = "N", description = "message passing steps (default: 3)")
    Integer depth;

    @Option(names = "--dropout", paramLabel = "P", description = "dropout probability (default: 0)")
    Double dropout;

    @Option(names = "--ffn-num-layers", paramLabel = "N", description = "linear layers of the FFN head (default: 2)")
    Integer ffnNumLayers;

    @Option(names = "--ffn-hidden-size", paramLabel = "N", description = "FFN hidden width (default: = --hidden-size)")
    Integer ffnHiddenSize;

    @Option(names = "--init-lr", paramLabel = "LR", description = "learning rate at the start (default: 1e-4)")
    Double initLr;

    @Option(names = "--max-lr", paramLabel = "LR", description = "learning rate after warm-up (default: 1e-3)")
    Double maxLr;

    @Option(names = "--final-lr", paramLabel = "LR", description = "learning rate at the end (default: 1e-4)")
    Double finalLr;

    @Option(names = "--warmup-epochs", paramLabel = "E", description = "epochs of linear warm-up (default: 2)")
    Double warmupEpochs;

    @Option(names = "--patience", paramLabel = "N", description = "stop after N epochs without a better validation RMSE (default: 0 = never)")
    Integer patience;

    @Option(names = "--clip-norm", paramLabel = "X", description = "clip the gradient norm to X (default: 0 = off)")
    Double clipNorm;

    @Option(names = "--resume", description = "continue from the checkpoint in the output directory "
            + "(its config.json is used when no --config is given)")
    boolean resume;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "disk cache of canonical SMILES and features (default: ~/.cache/gear/features; 'none' = off)")
    String cacheDir;

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
        TrainConfig cfg = TrainConfig.resolve(fromFile, explicit());
        Path cache = cacheDir == null ? FeatureCache.defaultDir() : cacheDir.equalsIgnoreCase("none") ? null : Path.of(cacheDir);
        TrainRun.Result r = TrainRun.run(cfg, new TrainRun.Options(resume, common.quiet(), common.verbose(), cache,
                interruptAfter, System.err));
        System.out.println(summary(r));
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
        putIf(n, "hidden_size", hiddenSize);
        putIf(n, "depth", depth);
        putIf(n, "dropout", dropout);
        putIf(n, "ffn_num_layers", ffnNumLayers);
        putIf(n, "ffn_hidden_size", ffnHiddenSize);
        putIf(n, "init_lr", initLr);
        putIf(n, "max_lr", maxLr);
        putIf(n, "final_lr", finalLr);
        putIf(n, "warmup_epochs", warmupEpochs);
        putIf(n, "patience", patience);
        putIf(n, "clip_norm", clipNorm);
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
