package gear.transfer.ktask;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.train.EpochStats;
import gear.train.RunWriter;
import gear.transfer.TransferTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a k-task run puts in its run directory (the k-task counterpart of {@link gear.transfer.RunFiles}; every file
 * written atomically):
 * <ul>
 *   <li>{@code config.json}, before training: {@code command}, {@code argv}, {@code gear_version}, {@code method},
 *       {@code tasks} (per task: {@code file}, {@code column}, its {@code name} where that is not the column
 *       ({@link TaskNames}), {@code sha256}, {@code n_train}; per evaluated task
 *       also {@code n_val}, {@code n_test}), {@code target} (the evaluated tasks' names, the primary first), the run keys
 *       of the command (split, seed, threads, device, …), every option of {@link gear.transfer.TransferSchema#SCHEMA}
 *       (flat, snake_case) and {@code n_source_purged}; at the end {@code results}: per evaluated task
 *       {@code test_rmse}, {@code test_mae}, {@code test_r2}, {@code val_rmse} (kept epoch), and the
 *       {@code selection} score with its {@code best_epoch} (from 0, as a two-task run's and {@code source_best_epoch};
 *       the kept row of {@code metrics.csv} is epoch {@code best_epoch + 1}; files written before counted from 1), and
 *       {@code term_shares}, each loss term's share of the total at that epoch ({@link gear.transfer.TermShares});
 *       {@code gear transfer --config} and {@code --resume}
 *       read it back ({@link gear.transfer.TransferConfig#read});</li>
 *   <li>the checkpoints of {@link KTaskTrainer} after every epoch, removed when the run is complete;</li>
 *   <li>{@code metrics.csv}: phase, epoch, every term, the per-task validation RMSEs ({@code val_rmse_<task>}, with
 *       several evaluated tasks) and the selection score ({@code val_rmse}, or {@code val_score} = the mean
 *       standardized validation RMSE with several evaluated tasks);</li>
 *   <li>{@code test_predictions.csv}: the two-task format {@code row,smiles,true,predicted} (row: the data row of
 *       the target's file, from 0), with several evaluated tasks {@code task,row,smiles,true,predicted};</li>
 *   <li>{@code splits.json} with one evaluated task, before training: its split ({@link gear.data.SplitsFile} format),
 *       so that {@code --splits-file} repeats it (a run started from the library with its split given, as a task-set
 *       grid cell, records it as its {@code splits_file});</li>
 *   <li>{@code model.gear} ({@link KTaskModelFile}).</li>
 * </ul>
 */
final class KTaskRunFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KTaskRunFiles() {}

    /** The config.json of a run, before training. */
    static ObjectNode config(KTaskRun.Spec spec, List<Split> splits, int[] trainSizes, int purged) {
        ObjectNode s = JSON.createObjectNode();
        s.put("method", spec.method().name());
        ArrayNode tasks = s.putArray("tasks");
        for (int t = 0; t < spec.names().size(); t++) {
            MoleculeDataset d = spec.datasets().get(t);
            ObjectNode n = tasks.addObject();
            n.put("file", TaskNames.file(d));
            String column = d.targetNames().isEmpty() ? spec.names().get(t) : d.targetNames().get(0);
            n.put("column", column);
            if (!column.equals(spec.names().get(t))) { // tasks that share a column (TaskNames)
                n.put("name", spec.names().get(t));
            }
            n.put("sha256", d.sourceSha256());
            n.put("n_train", trainSizes[t]);
            int e = spec.targets().indexOf(t);
            if (e >= 0) {
                n.put("n_val", splits.get(e).val().length);
                n.put("n_test", splits.get(e).test().length);
            }
        }
        ArrayNode target = s.putArray("target");
        spec.targets().forEach(t -> target.add(spec.names().get(t)));
        s.put("seed", spec.seed());
        s.put("output_dir", spec.outputDir().toAbsolutePath().toString());
        if (spec.config() != null) {
            spec.config().fields().forEachRemaining(f -> {
                if (!f.getKey().equals("argv")) {
                    s.set(f.getKey(), f.getValue());
                }
            });
        }
        if (!s.has("splits_file") && !s.has("split_type") && spec.outputDir() != null && spec.targets().size() == 1) {
            // a run started from the library with its split given (a task-set grid cell): its own splits.json, written
            // before training (begin), as a two-task run's (gear.transfer.RunFiles)
            s.put("splits_file", spec.outputDir().resolve(RunWriter.SPLITS).toAbsolutePath().toString());
        }
        s.setAll(spec.options().toJson(JSON));
        s.put("n_source_purged", purged);
        com.fasterxml.jackson.databind.JsonNode argv = spec.config() != null && spec.config().has("argv")
                ? spec.config().get("argv") : argv(s);
        return RunWriter.config("transfer", argv, s);
    }

    /**
     * The argument vector that repeats a run started from the library (a task-set grid cell), as
     * {@link gear.transfer.RunFiles} gives a pair cell's: {@code --task FILE:COLUMN} per task, {@code --target}, the
     * run keys that the library's caller recorded ({@code invalid}, {@code duplicates}, {@code splits_file}), the seed,
     * the output directory and every option of {@link gear.transfer.TransferSchema#SCHEMA}.
     */
    private static ArrayNode argv(ObjectNode cfg) {
        ArrayNode a = JSON.createArrayNode();
        if (cfg.has("label_noise")) { // gear transfer --task has no label noise: no command line repeats the run
            return a;
        }
        a.add("transfer").add("--method").add(cfg.get("method").asText());
        cfg.get("tasks").forEach(t -> a.add("--task").add(t.get("file").asText() + ":" + t.get("column").asText()));
        List<String> targets = new ArrayList<>();
        cfg.get("target").forEach(t -> targets.add(t.asText()));
        a.add("--target").add(String.join(",", targets));
        gear.transfer.RunFiles.argvTail(a, cfg, List.of("invalid", "duplicates", "splits_file", "seed", "output_dir"));
        return a;
    }

    /** Keys of {@code config.json} that a resume must match besides the options ({@link gear.transfer.RunFiles#checkResume}). */
    static final List<String> RESUME_KEYS = List.of("method", "tasks", "target", "seed", "split_type", "split_sizes",
            "folds", "fold", "n_source_purged");

    /**
     * Writes config.json before training and, with one evaluated task, its split to {@code splits.json} (so that an
     * interrupted run's {@code splits_file} and {@code --resume} find it, as a two-task run's).
     */
    static void begin(Path dir, ObjectNode cfg, KTaskRun.Spec spec, List<Split> splits) throws IOException {
        Files.createDirectories(dir);
        new RunWriter(dir).writeConfig(cfg);
        if (splits.size() == 1) {
            gear.data.SplitsFile.write(dir.resolve(RunWriter.SPLITS), splits.get(0), spec.datasets().get(spec.primary()));
        }
    }

    /** Writes the model, metrics, predictions and the results into config.json; removes the checkpoints. */
    static void write(KTaskRun.Spec spec, KTaskRun.Outcome out, ObjectNode cfg) throws IOException {
        Path dir = spec.outputDir();
        RunWriter w = new RunWriter(dir);
        KTaskModelFile.save(dir.resolve(RunWriter.MODEL), out.model());
        boolean several = out.targets().size() > 1;
        List<String> keys = new ArrayList<>();
        for (EpochStats e : out.history()) {
            e.terms().keySet().forEach(key -> {
                if (!keys.contains(key)) {
                    keys.add(key);
                }
            });
        }
        StringBuilder m = new StringBuilder("phase,epoch,").append(String.join(",", keys)).append(several ? ",val_score\n"
                : ",val_rmse\n");
        for (EpochStats e : out.history()) {
            m.append(e.phase()).append(',').append(e.epoch() + 1);
            for (String key : keys) {
                Double v = e.terms().get(key);
                m.append(',').append(v == null ? "" : num(v));
            }
            m.append(',').append(num(e.valScore())).append('\n');
        }
        w.writeText(RunWriter.METRICS, m.toString());
        StringBuilder pr = new StringBuilder(several ? "task,row,smiles,true,predicted\n" : "row,smiles,true,predicted\n");
        ObjectNode results = cfg.putObject("results");
        for (KTaskRun.TargetResult r : out.targets()) {
            String name = spec.names().get(r.task());
            MoleculeDataset d = spec.datasets().get(r.task());
            for (int j = 0; j < r.testRows().length; j++) {
                pr.append(several ? RunWriter.quote(name) + "," : "").append(r.testRows()[j]).append(',')
                        .append(RunWriter.quote(d.smiles(r.testRows()[j]))).append(',')
                        .append(num(r.truth()[j])).append(',').append(num(r.predicted()[j])).append('\n');
            }
            ObjectNode n = results.putObject(name);
            n.put("test_rmse", r.testRmse());
            n.put("test_mae", r.testMae());
            n.put("test_r2", r.testR2());
            n.put("val_rmse", r.valRmse());
        }
        results.put("selection", several ? "mean standardized validation RMSE of " + out.targets().size() + " tasks"
                : "validation RMSE of " + spec.names().get(spec.primary()));
        if (Double.isFinite(java.util.Arrays.stream(out.meanAbsRicci()).sum())) {
            ObjectNode r = results.putObject("mean_abs_r"); // per task, at the primary task's test molecules
            for (int t = 0; t < out.meanAbsRicci().length; t++) {
                r.put(spec.names().get(t), out.meanAbsRicci()[t]);
            }
        }
        results.put("selection_score", out.valScore());
        results.put("best_epoch", out.bestEpoch()); // from 0, as the two-task runs (metrics.csv: from 1)
        ObjectNode shares = results.putObject("term_shares"); // at the selected epoch, as the two-task runs
        KMethod km = out.model().method();
        gear.transfer.TermShares.at(km.terms(), (term, e) -> km.weight(term, out.model().options(), e), out.history(),
                out.bestEpoch()).forEach(shares::put);
        w.writeText(RunWriter.TEST_PREDICTIONS, pr.toString()); // splits.json: written before training (begin)
        w.writeConfig(cfg);
        TransferTrainer.deleteCheckpoints(dir);
        for (int t = 0; t < spec.names().size(); t++) { // the warm start's, one directory per source
            java.nio.file.Path ws = KTaskTrainer.warmStartCheckpointDir(dir, t);
            if (java.nio.file.Files.isDirectory(ws)) {
                TransferTrainer.deleteCheckpoints(ws);
                gear.data.AtomicFiles.removeStale(ws); // a killed run's half-written checkpoint
                try {
                    java.nio.file.Files.deleteIfExists(ws);
                } catch (java.nio.file.DirectoryNotEmptyException e) {
                    // something else is in it: kept
                }
            }
        }
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.8g", v);
    }
}
