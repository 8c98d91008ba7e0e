package gear.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import gear.data.BadInputException;
import gear.data.CsvLoader;
import gear.data.InvalidPolicy;
import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.nn.Torch;
import gear.train.EpochStats;
import gear.train.TrainListener;
import gear.transfer.TransferConfig;
import gear.transfer.TransferOptions;
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
 * {@code gear transfer --task CSV:COLUMN --task CSV:COLUMN … --target COLUMN -o DIR}: GEAR across the given tasks
 * (docs/KTASKS.md), a thin wrapper over {@link KTaskRun#run}. {@code --target} names the primary task (a
 * column of one {@code --task}); it is split as the two-task target ({@code --split-type}, {@code --split-sizes},
 * {@code --folds}/{@code --fold}, {@code --splits-file}) and evaluated on its test part. The model and training
 * options are those of {@code gear transfer} ({@link TransferOptions#SCHEMA}). Not yet: {@code --config} and
 * {@code --resume} for k-task runs. {@code --method} gear (default), gate or mtl ({@link gear.transfer.ktask.KMethod}).
 */
final class KTaskTransfer {
    private KTaskTransfer() {}

    static int run(TransferCommand c) throws Exception {
        gear.transfer.ktask.KMethod method;
        try {
            method = gear.transfer.ktask.KMethod.get(c.method == null ? "gear" : c.method);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--method with --task: " + e.getMessage());
        }
        if (c.config != null || c.resume) {
            throw new BadInputException("--config and --resume are not available with --task yet");
        }
        if (c.source != null || c.sourceColumn != null || c.targetColumn != null) {
            throw new BadInputException("--task replaces --source, --source-column and --target-column; "
                    + "--target then names the evaluated task (a COLUMN of one --task)");
        }
        if (c.tasks.size() < 2) {
            throw new BadInputException("--task needs at least two tasks (CSV:COLUMN each), got " + c.tasks.size());
        }
        if (c.target == null || c.outputDir == null) {
            throw new BadInputException("gear transfer --task needs --target COLUMN (the task to evaluate) and -o DIR");
        }
        List<Path> files = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String t : c.tasks) {
            int colon = t.lastIndexOf(':');
            if (colon <= 0 || colon == t.length() - 1) {
                throw new BadInputException("--task " + t + ": expected CSV:COLUMN");
            }
            String name = t.substring(colon + 1);
            if (names.contains(name)) {
                throw new BadInputException("--task " + t + ": the column " + name + " is named twice; tasks are named by "
                        + "their columns, which must be distinct");
            }
            files.add(Path.of(t.substring(0, colon)));
            names.add(name);
        }
        String targetName = c.target.toString();
        int primary = names.indexOf(targetName);
        if (primary < 0) {
            throw new BadInputException("--target " + targetName + " is not the column of any --task (tasks: "
                    + String.join(", ", names) + ")");
        }
        Map<String, String> opts = new LinkedHashMap<>(SchemaOptions.explicit(c.spec.commandLine(), TransferOptions.SCHEMA));
        if (!opts.containsKey("map_hidden") && opts.containsKey("common_size")) {
            opts.put("map_hidden", opts.get("common_size"));
        }
        TransferOptions o = TransferOptions.defaults().with(opts);
        method.check(o);
        Map<String, String> runKeys = SchemaOptions.explicit(c.spec.commandLine(), TransferCommand.RUN_OPTIONS);
        int threads = runKeys.containsKey("threads") ? Integer.parseInt(runKeys.get("threads")) : 1;
        String device = runKeys.get("device");
        long seed = runKeys.containsKey("seed") ? Long.parseLong(runKeys.get("seed")) : 0L;
        Path out = c.outputDir.toAbsolutePath().normalize();
        try (gear.train.RunGuard guard = gear.train.RunGuard.acquire(out, c.force, false, "transfer")) {
            Torch.init(threads);
            if (device != null && !device.equalsIgnoreCase("cpu")) {
                Torch.device(device);
                throw new IllegalArgumentException("--device " + device + ": training on a GPU is not implemented yet");
            }
            InvalidPolicy policy = InvalidPolicy.parse(c.invalid == null ? "fail" : c.invalid);
            gear.data.DuplicatePolicy dups = c.data.explicitDuplicates() == null ? gear.data.DuplicatePolicy.KEEP
                    : gear.data.DuplicatePolicy.parse(c.data.explicitDuplicates());
            List<MoleculeDataset> sets = new ArrayList<>();
            for (int t = 0; t < files.size(); t++) {
                CsvLoader.Result r = CsvLoader.of(files.get(t)).smilesColumn(c.smilesColumn).targetColumns(List.of(names.get(t)))
                        .policy(policy).duplicates(dups).load();
                sets.add(r.dataset());
            }
            Split split = TransferConfig.split(sets.get(primary), splitKeys(c), seed).requireTrainable(sets.get(primary));
            gear.train.RunGuard.markIncomplete(out, "transfer");
            KTaskRun.Outcome r = KTaskRun.run(new KTaskRun.Spec(method, sets, names, primary, split, o, seed, out),
                    c.quiet ? null : listener());
            gear.train.RunGuard.markComplete(out);
            PrintWriter pw = c.spec.commandLine().getOut();
            StringBuilder sizes = new StringBuilder();
            for (int t = 0; t < names.size(); t++) {
                sizes.append(t == 0 ? "" : ", ").append(names.get(t)).append(' ').append(r.trainSizes()[t]);
            }
            pw.printf(Locale.ROOT, "%s (%d tasks)  %s  train: %s (%d purged)  val %d  test %d%n", method.name(), names.size(),
                    targetName,
                    sizes, r.purged(), split.val().length, split.test().length);
            gear.train.TaskType tt = gear.train.Regression.INSTANCE; // the k-task methods train regression heads
            pw.printf(Locale.ROOT, "test %s  (val %s %.4f, best epoch %d)%n", tt.testSummary(r.testRmse(), r.testMae(),
                    r.testR2()), tt.metricLabel(), r.valScore(), r.bestEpoch() + 1);
            pw.println("run directory: " + out);
            pw.flush();
        }
        return 0;
    }

    private static Map<String, JsonNode> splitKeys(TransferCommand c) {
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> run = new LinkedHashMap<>();
        if (c.splitType != null) {
            run.put("split_type", json.getNodeFactory().textNode(c.splitType));
        }
        if (c.splitSizes != null) {
            ArrayNode a = json.createArrayNode();
            c.splitSizes.forEach(a::add);
            run.put("split_sizes", a);
        }
        if (c.folds != null) {
            run.put("folds", json.getNodeFactory().numberNode(c.folds));
        }
        if (c.fold != null) {
            run.put("fold", json.getNodeFactory().numberNode(c.fold));
        }
        if (c.splitsFile != null) {
            run.put("splits_file", json.getNodeFactory().textNode(c.splitsFile.toAbsolutePath().normalize().toString()));
        }
        return run;
    }

    private static TrainListener listener() {
        return new TrainListener() {
            @Override
            public void onEpochEnd(EpochStats e) {
                StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s epoch %d", e.phase(), e.epoch() + 1));
                for (Map.Entry<String, Double> t : e.terms().entrySet()) {
                    sb.append(String.format(Locale.ROOT, "  %s %.4g", t.getKey(), t.getValue()));
                }
                if (!Double.isNaN(e.valScore())) {
                    sb.append(String.format(Locale.ROOT, "  val_rmse %.4f", e.valScore()));
                }
                System.err.println(sb);
            }
        };
    }
}
