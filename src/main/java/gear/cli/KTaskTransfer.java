package gear.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.BadInputException;
import gear.data.CsvLoader;
import gear.data.InvalidPolicy;
import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.nn.Torch;
import gear.train.EpochStats;
import gear.train.TrainListener;
import gear.transfer.RunFiles;
import gear.transfer.TransferConfig;
import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;
import gear.transfer.ktask.KMethod;
import gear.transfer.ktask.KTaskRun;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code gear transfer --task CSV:COLUMN --task CSV:COLUMN … --target NAME[,NAME…] -o DIR}: a method across the
 * given tasks (docs/KTASKS.md), a thin wrapper over {@link KTaskRun#run}. {@code --target} names the evaluated
 * tasks (a task's name is its column, or FILE_STEM.COLUMN where tasks share a column:
 * {@link gear.transfer.ktask.TaskNames}; the first is the primary one); each is split as the two-task target
 * ({@code --split-type}, {@code --split-sizes}, {@code --folds}/{@code --fold}; {@code --splits-file} with one
 * evaluated task only). The model and training options are those of {@code gear transfer}
 * ({@link TransferSchema#SCHEMA}); {@code --method} gear (default), gate, mtl or finetune ({@link KMethod}).
 * Values are layered as for two tasks: the schema's defaults, then {@code --config FILE} (the config.json of an
 * earlier k-task run; with {@code --resume} and no {@code --config}, the run directory's own), then the command
 * line ({@code --task} replaces the recorded task list).
 */
final class KTaskTransfer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KTaskTransfer() {}

    /** @return whether {@code file} is the config.json of a k-task run (it has a {@code tasks} list) */
    static boolean isKTaskConfig(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return false;
        }
        try {
            JsonNode n = JSON.readTree(Files.readAllBytes(file));
            return n != null && n.isObject() && n.has("tasks");
        } catch (java.io.IOException e) {
            return false; // the two-task reader reports the malformed file
        }
    }

    static int run(TransferCommand c, Path file) throws Exception {
        if (c.source != null || c.sourceColumn != null || c.targetColumn != null) {
            throw new BadInputException("--task replaces --source, --source-column and --target-column; "
                    + "--target then names the evaluated task (a task's name: its COLUMN, or FILE_STEM.COLUMN where tasks share a "
                    + "column)");
        }
        if (!SchemaOptions.explicit(c.spec.commandLine(), TransferConfig.NOISE_OPTIONS).isEmpty()) {
            throw new BadInputException("--noise-fraction, --noise-sigma and --noise-seed are not available with --task");
        }
        Map<String, JsonNode> run = new LinkedHashMap<>();
        Map<String, String> opts = new LinkedHashMap<>();
        if (file != null) {
            JsonNode argv = TransferConfig.read(file, run, opts);
            if (c.resume && c.outputDir != null && file.equals(c.outputDir.resolve(RunFiles.CONFIG))) {
                c.originalArgv = argv;
            }
        }
        if (run.containsKey("label_noise") || run.containsKey("ensemble_size")) {
            throw new BadInputException(file + ": label noise and ensembles are not available for k-task runs");
        }
        c.explicitRunKeys(run);
        if (c.target != null) {
            run.put("target", JSON.getNodeFactory().textNode(c.target.toString()));
        }
        if (c.tasks != null) {
            ArrayNode a = JSON.createArrayNode();
            for (String t : c.tasks) {
                int colon = t.lastIndexOf(':');
                if (colon <= 0 || colon == t.length() - 1) {
                    throw new BadInputException("--task " + t + ": expected CSV:COLUMN");
                }
                a.addObject().put("file", Path.of(t.substring(0, colon)).toAbsolutePath().normalize().toString())
                        .put("column", t.substring(colon + 1));
            }
            run.put("tasks", a);
        }
        KMethod method;
        try {
            method = KMethod.get(run.containsKey("method") ? run.get("method").asText() : "gear");
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--method with --task: " + e.getMessage());
        }
        Map<String, String> given = SchemaOptions.explicit(c.spec.commandLine(), TransferSchema.SCHEMA);
        TransferCommand.putGiven(opts, given, file == null);
        String where = file == null ? "" : " (" + file + ")";
        List<Path> files = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        JsonNode tasks = run.get("tasks");
        if (tasks == null || !tasks.isArray()) {
            throw new BadInputException("tasks: expected a list of {file, column}" + where);
        }
        java.util.Set<List<String>> seenTasks = new java.util.HashSet<>();
        for (JsonNode t : tasks) {
            if (!t.path("file").isTextual() || !t.path("column").isTextual()) {
                throw new BadInputException("tasks: every entry needs a file and a column, got " + t + where);
            }
            Path f = Path.of(t.get("file").asText());
            String column = t.get("column").asText();
            if (!seenTasks.add(List.of(f.toAbsolutePath().normalize().toString(), column))) {
                throw new BadInputException("--task " + f + ":" + column + " is given twice: each task is another file or "
                        + "column");
            }
            files.add(f);
            columns.add(column);
        }
        if (columns.size() < 2) {
            throw new BadInputException("--task needs at least two tasks (CSV:COLUMN each), got " + columns.size());
        }
        // each task's name: its column, or FILE_STEM.COLUMN where tasks share a column (gear.transfer.ktask.TaskNames)
        List<String> names = gear.transfer.ktask.TaskNames.of(files.stream().map(Path::toString).toList(), columns);
        List<Integer> targets = targets(run.get("target"), names);
        String outText = TransferConfig.text(run, "output_dir");
        if (outText == null) {
            throw new BadInputException("gear transfer --task needs -o DIR");
        }
        if (TransferConfig.text(run, "splits_file") != null && targets.size() > 1) {
            throw new BadInputException("--splits-file holds the rows of one data set: use it with one --target column");
        }
        TransferOptions o = TransferOptions.defaults(gear.transfer.Methods.get(method.name())).with(opts); // the
        // two-task method's defaults: k-task GEAR, GATE, MTL and fine-tuning share their options and defaults
        o = KMethod.withDefaults(method, o, opts.keySet()); // fine-tuning's pretraining to convergence
        // unless asked otherwise
        method.check(o);
        int threads = run.containsKey("threads") ? run.get("threads").asInt() : 1;
        String device = TransferConfig.text(run, "device") == null ? "cpu" : TransferConfig.text(run, "device");
        long seed = run.containsKey("seed") ? run.get("seed").asLong() : 0L;
        Path out = Path.of(outText).toAbsolutePath().normalize();
        try (gear.train.RunGuard guard = gear.train.RunGuard.acquire(out, c.force, c.resume, "transfer")) {
            if (guard.takenOver() != null && !c.quiet) {
                System.err.println("note: took over the lock of a run that ended without releasing it (" + guard.takenOver()
                        + ")");
            }
            // --threads N: N data-parallel lanes of one libtorch thread each, as two tasks; refuses cuda without a
            // usable GPU (exit 2) before any data is read
            Torch.initTraining(threads, device);
            InvalidPolicy policy = InvalidPolicy.parse(TransferConfig.text(run, "invalid") == null ? "fail"
                    : TransferConfig.text(run, "invalid"));
            String dupText = TransferConfig.text(run, "duplicates");
            gear.data.DuplicatePolicy dups = dupText == null ? gear.data.DuplicatePolicy.KEEP
                    : gear.data.DuplicatePolicy.parse(dupText);
            List<MoleculeDataset> sets = new ArrayList<>();
            for (int t = 0; t < files.size(); t++) {
                sets.add(CsvLoader.of(files.get(t)).smilesColumn(TransferConfig.text(run, "smiles_column"))
                        .targetColumns(List.of(columns.get(t))).policy(policy).duplicates(dups).load().dataset());
            }
            List<Split> splits = new ArrayList<>();
            for (int t : targets) {
                splits.add(TransferConfig.split(sets.get(t), run, seed).requireTrainable(sets.get(t)));
            }
            ObjectNode extra = c.resolvedRunKeys(run, out, threads, device);
            // marks the run incomplete until it is; a refused resume (other settings, or a checkpoint of them) leaves
            // the run's files as they were
            KTaskRun.Outcome r = KTaskRun.run(new KTaskRun.Spec(method, sets, names, targets, splits, o, seed, out, extra,
                    c.resume, device), listener(c), c.pretrainCache == null ? null
                    : new gear.transfer.PretrainCache(c.pretrainCache));
            print(c.spec.commandLine().getOut(), method, names, targets, splits, r, out);
        }
        return 0;
    }

    /** @return the evaluated tasks named by the {@code target} key (text {@code A,B} or a list), the primary first */
    private static List<Integer> targets(JsonNode target, List<String> names) {
        if (target == null || target.isNull()) {
            throw new BadInputException("gear transfer --task needs --target COLUMN[,COLUMN...] (the tasks to evaluate)");
        }
        List<String> given = new ArrayList<>();
        if (target.isArray()) {
            target.forEach(n -> given.add(n.asText()));
        } else {
            for (String s : target.asText().split(",", -1)) {
                given.add(s.trim());
            }
        }
        List<Integer> out = new ArrayList<>();
        for (String g : given) {
            int i = names.indexOf(g);
            if (i < 0) {
                throw new BadInputException("--target " + g + " is not the name of any task (tasks: "
                        + String.join(", ", names) + "; a task is named by its column, or FILE_STEM.COLUMN where "
                        + "tasks share a column)");
            }
            if (out.contains(i)) {
                throw new BadInputException("--target names " + g + " twice");
            }
            out.add(i);
        }
        return out;
    }

    private static void print(PrintWriter pw, KMethod method, List<String> names, List<Integer> targets, List<Split> splits,
            KTaskRun.Outcome r, Path out) {
        StringBuilder sizes = new StringBuilder();
        for (int t = 0; t < names.size(); t++) {
            sizes.append(t == 0 ? "" : ", ").append(names.get(t)).append(' ').append(r.trainSizes()[t]);
        }
        gear.train.TaskType tt = gear.train.Regression.INSTANCE; // the k-task methods train regression heads
        pw.printf(Locale.ROOT, "%s (%d tasks)  train: %s (%d purged)%n", method.name(), names.size(), sizes, r.purged());
        for (int e = 0; e < targets.size(); e++) {
            KTaskRun.TargetResult x = r.targets().get(e);
            pw.printf(Locale.ROOT, "%s  val %d  test %d  test %s  (val %s %.4f)%n", names.get(targets.get(e)),
                    splits.get(e).val().length, splits.get(e).test().length, tt.testSummary(x.testRmse(), x.testMae(),
                            x.testR2()), tt.metricLabel(), x.valRmse());
        }
        // the kept epoch as config.json stores it (results.best_epoch, from 0) and as the log and metrics.csv number it,
        // the two-task print's form
        pw.printf(Locale.ROOT, "best epoch %d (0-based; the log's epoch %d) by %s %.4f%n", r.bestEpoch(), r.bestEpoch() + 1,
                targets.size() > 1
                ? "the mean standardized validation RMSE" : "the validation RMSE", r.valScore());
        pw.println("run directory: " + out);
        pw.flush();
    }

    private static TrainListener listener(TransferCommand c) {
        return new TrainListener() {
            private int ranHere;

            @Override
            public void onEpochEnd(EpochStats e) {
                if (!c.quiet) {
                    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s epoch %d", e.phase(), e.epoch() + 1));
                    for (Map.Entry<String, Double> t : e.terms().entrySet()) {
                        sb.append(String.format(Locale.ROOT, "  %s %.4g", t.getKey(), t.getValue()));
                    }
                    if (!Double.isNaN(e.valScore())) {
                        sb.append(String.format(Locale.ROOT, "  val %.4f", e.valScore()));
                    }
                    System.err.println(sb);
                }
                ranHere++;
                if (c.interruptAfter > 0 && ranHere >= c.interruptAfter) {
                    throw new gear.run.TrainRun.InterruptedRunException(ranHere);
                }
            }
        };
    }
}
