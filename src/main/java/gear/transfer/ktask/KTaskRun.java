package gear.transfer.ktask;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.chem.MolGraph;
import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.data.StandardScaler;
import gear.eval.Metrics;
import gear.nn.Torch;
import gear.train.EpochStats;
import gear.train.TrainListener;
import gear.transfer.PretrainCache;
import gear.transfer.TaskSetData;
import gear.transfer.TransferRun;
import gear.transfer.TransferOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * One k-task run, the library side of {@code gear transfer --task FILE:COLUMN … --target NAME[,NAME…]} (the k-task
 * counterpart of {@link gear.transfer.TransferRun}, same data rules, one code path: {@link TaskSetData}). The evaluated
 * tasks (targets, the first the primary one) are each split by their own {@link Split}; the other tasks are sources.
 * <ol>
 *   <li>every task loses each molecule whose canonical SMILES is in the test part of another evaluated task
 *       (a source: of any evaluated task), with {@code source_purge validation} also in its validation part; an
 *       evaluated task trains on its training part only;</li>
 *   <li>molecules without a value for their task are left out of its training set; a molecule carries the labels
 *       of the other tasks where the same canonical SMILES has one (evaluated tasks' labels from their training
 *       parts only);</li>
 *   <li>each property is standardized with a scaler fit on its training labels;</li>
 *   <li>the method is trained ({@link KTaskTrainer}); the kept epoch is the best one by the primary task's
 *       validation RMSE, or with several evaluated tasks by the mean of their validation RMSEs in standardized
 *       units (RMSE_τ/σ_τ, σ_τ the std of τ's training labels);</li>
 *   <li>each evaluated task's test part is predicted: RMSE, MAE, R² in original units;</li>
 *   <li>with an output directory ({@link KTaskRunFiles}): {@code config.json} and the run's
 *       {@value gear.train.RunGuard#INCOMPLETE} marker before training, the checkpoints after every epoch
 *       ({@link Spec#resume} continues from them), then {@code metrics.csv}, {@code test_predictions.csv} and
 *       {@code model.gear}, each written atomically, and the marker removed. A refused resume leaves the run's files
 *       as they were ({@link gear.train.KeptFiles}).</li>
 * </ol>
 * With k = 2 and one evaluated task the training data are those {@code TransferRun} builds for the pair (source,
 * target).
 */
public final class KTaskRun {
    private KTaskRun() {}

    /**
     * The run's inputs.
     *
     * @param method the k-task method
     * @param datasets one data set per task, each with its property as its only target column
     * @param names the task names (distinct; the columns)
     * @param targets the indices of the evaluated tasks, the primary one first
     * @param splits each evaluated task's split (same order)
     * @param outputDir run directory (null: none written)
     * @param config the run keys for config.json (argv, split, threads, …; null: none beyond the run's own)
     * @param resume continue from the checkpoints an interrupted run with the same settings left in
     *     {@code outputDir}
     * @param device where the model trains ({@link gear.train.TrainOptions#DEVICE}: cpu, cuda or cuda:N); the data,
     *     metrics, predictions and files stay on the CPU
     */
    public record Spec(KMethod method, List<MoleculeDataset> datasets, List<String> names, List<Integer> targets,
            List<Split> splits, TransferOptions options, long seed, java.nio.file.Path outputDir, ObjectNode config,
            boolean resume, String device) {

        /** On the CPU. */
        public Spec(KMethod method, List<MoleculeDataset> datasets, List<String> names, List<Integer> targets,
                List<Split> splits, TransferOptions options, long seed, java.nio.file.Path outputDir, ObjectNode config,
                boolean resume) {
            this(method, datasets, names, targets, splits, options, seed, outputDir, config, resume,
                    gear.train.TrainOptions.DEVICE.defaultValue());
        }

        /** One evaluated task (the primary one), no resume. */
        public Spec(KMethod method, List<MoleculeDataset> datasets, List<String> names, int primary, Split split,
                TransferOptions options, long seed, java.nio.file.Path outputDir) {
            this(method, datasets, names, List.of(primary), List.of(split), options, seed, outputDir, null, false);
        }

        /** @return the primary task */
        public int primary() {
            return targets.get(0);
        }
    }

    /**
     * One evaluated task's result.
     *
     * @param task its index
     * @param predicted its test predictions
     * @param truth its test values
     * @param valRmse its validation RMSE at the kept epoch (NaN without validation data)
     */
    public record TargetResult(int task, int[] testRows, double[] predicted, double[] truth, double testRmse,
            double testMae, double testR2, double valRmse) {}

    /**
     * The result.
     *
     * @param model the trained model (best epoch)
     * @param predicted primary test predictions
     * @param truth primary test values
     * @param valScore the selection score of the kept epoch
     * @param trainSizes training molecules per task
     * @param purged molecules removed because they are in the test part (with {@code source_purge validation}, or the
     *     validation part) of an evaluated task
     * @param targets every evaluated task's result, the primary first
     * @param trainSeconds wall time of training (all phases; after a resume, of this process's part)
     * @param meanAbsRicci per task, the mean |R| of its latent manifold (Ricci scalar by {@code curv_route}, over the
     *     non-singular points) at the primary task's test molecules, as the two-task runs' {@code mean_abs_r_*};
     *     NaN for a method without transfer maps (MTL, finetune) or an empty test set
     */
    public record Outcome(KTaskModel model, double[] predicted, double[] truth, double testRmse, double testMae,
            double testR2, double valScore, int bestEpoch, List<EpochStats> history, int[] trainSizes, int purged,
            List<TargetResult> targets, double trainSeconds, double[] meanAbsRicci) {}

    /**
     * Runs.
     *
     * @throws IllegalArgumentException for bad settings (d_M ≤ d_z, duplicate task names, an empty training set)
     * @throws gear.data.BadInputException when the checkpoint to resume from is corrupt or from other settings
     * @throws UncheckedIOException when the run directory cannot be written
     */
    public static Outcome run(Spec spec, TrainListener listener) {
        return run(spec, listener, null);
    }

    /**
     * Runs, taking a pretraining method's pretraining phase from (and storing it into) {@code cache} (null: none):
     * the result is that of the run without it. The key ({@link KTaskTrainer#pretrainKey}) names each source's
     * molecules and values after the purge ({@link TransferRun#sourceDigest}); config.json records
     * {@code pretraining.cache} (the entry) and {@code pretraining.computed} (whether this run computed it). The warm
     * start of MTL, GATE and GEAR ({@code source_init pretrained}, {@code both}) takes each source's pretraining from
     * the same cache under the two-task key ({@link KTaskTrainer#warmStartCache}); config.json records
     * {@code pretraining.sources} (per source: task, kept epoch, epochs, and with a cache its entry and whether this
     * run computed it; without a cache too) and the latest kept epoch.
     *
     * @throws IllegalArgumentException for bad settings (d_M ≤ d_z, duplicate task names, an empty training set)
     * @throws gear.data.BadInputException when the checkpoint to resume from is corrupt or from other settings
     * @throws UncheckedIOException when the run directory or the cache cannot be written
     */
    public static Outcome run(Spec spec, TrainListener listener, PretrainCache cache) {
        return run(spec, listener, cache, false);
    }

    /**
     * Runs as {@link #run(Spec, TrainListener, PretrainCache)}; with {@code trainRmse} the primary task's training RMSE
     * is also logged after every epoch of the {@code train} phase ({@code train_rmse} in the history and
     * {@code metrics.csv}; the grid's {@code --train-rmse}).
     */
    public static Outcome run(Spec spec, TrainListener listener, PretrainCache cache, boolean trainRmse) {
        Torch.ensure();
        org.bytedeco.pytorch.Device device = Torch.device(spec.device()); // refuses cuda without a usable GPU
        int k = spec.datasets().size();
        if (k < 2 || spec.names().size() != k) {
            throw new IllegalArgumentException("a k-task run needs at least 2 tasks with one name each, got " + k);
        }
        if (new LinkedHashSet<>(spec.names()).size() != k) {
            throw new IllegalArgumentException("task names must be distinct, got " + spec.names());
        }
        List<Integer> targets = spec.targets();
        if (targets.isEmpty() || targets.size() != spec.splits().size() || new HashSet<>(targets).size() != targets.size()) {
            throw new IllegalArgumentException("one split per evaluated task, each task evaluated once");
        }
        int p = spec.primary();
        TaskSetData ts = TaskSetData.of(spec.datasets(), targets, spec.splits(), spec.names(), false,
                spec.options().purgeValidation());
        List<Split> splits = ts.splits();
        List<int[]> rows = ts.rows();
        int purged = ts.purged();
        List<StandardScaler> scalers = ts.scalers();
        List<List<MolGraph>> graphs = ts.graphs();
        List<float[][]> labels = ts.labels();
        int[] sizes = ts.sizes();
        List<KTaskData.Evaluated> val = new ArrayList<>();
        for (int e = 0; e < targets.size(); e++) {
            MoleculeDataset d = spec.datasets().get(targets.get(e));
            int[] v = d.labelled(splits.get(e).val(), 0);
            val.add(new KTaskData.Evaluated(targets.get(e), d.graphs(v), d.targets(v, 0)));
        }
        KTaskData data = new KTaskData(spec.names(), p, graphs, labels, val.get(0).valGraphs(), val.get(0).valY(),
                val.subList(1, val.size()));
        // every model moves, the CPU's included (a no-op there): one code path
        KTaskModel model = new KTaskModel(spec.method(), spec.options(), spec.seed(), spec.names(), p, scalers).to(device);
        ObjectNode cfg = null;
        gear.train.KeptFiles keptFiles = gear.train.KeptFiles.NONE;
        if (spec.outputDir() != null) {
            cfg = KTaskRunFiles.config(spec, splits, sizes, purged);
            if (!device.is_cpu() && !cfg.has("device")) {
                cfg.put("device", spec.device()); // e.g. a grid cell's (gear transfer records its run keys itself)
            }
            if (spec.resume()) { // a resume of other settings is refused before anything is written
                gear.transfer.RunFiles.checkResume(spec.outputDir(), cfg, KTaskRunFiles.RESUME_KEYS);
            }
            try { // one that a checkpoint refuses gets its files back (a finished run stays finished), as two tasks
                keptFiles = gear.train.KeptFiles.of(spec.outputDir(), spec.resume(), gear.transfer.RunFiles.CONFIG,
                        gear.transfer.RunFiles.SPLITS, gear.train.RunGuard.INCOMPLETE);
                gear.train.RunGuard.markIncomplete(spec.outputDir(), "transfer");
                KTaskRunFiles.begin(spec.outputDir(), cfg, spec, splits);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the run directory " + spec.outputDir() + ": " + e.getMessage(), e);
            }
        }
        long t0 = System.nanoTime();
        long cpu0 = TransferRun.processCpuNanos();
        KTaskTrainer trainer = new KTaskTrainer(model, spec.seed(), listener).checkpointDir(spec.outputDir())
                .resume(spec.resume()).trainRmse(trainRmse);
        if (cache != null && spec.method().pretrains()) {
            StringBuilder sources = new StringBuilder();
            for (int t = 0; t < k; t++) {
                if (!targets.contains(t)) {
                    sources.append(t).append(' ').append(TransferRun.sourceDigest(spec.datasets().get(t),
                            Arrays.stream(rows.get(t)).boxed().toList(), spec.names().get(t))).append('\n');
                }
            }
            trainer.pretrainCache(cache, sources.toString());
        } else if (cache != null && spec.method().readsSourcePretrainings(spec.options())) {
            List<String> sources = new ArrayList<>(); // as a two-task run of each source digests it: shared entries
            for (int t = 0; t < k; t++) {
                MoleculeDataset d = spec.datasets().get(t);
                sources.add(targets.contains(t) ? null : TransferRun.sourceDigest(d,
                        Arrays.stream(rows.get(t)).boxed().toList(), d.targetNames().get(0)));
            }
            trainer.warmStartCache(cache, sources);
        }
        KTaskTrainer.Fit fit = keptFiles.restoringIfRefused(() -> trainer.fit(data));
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (cfg != null) { // as a two-task run's: this process's part (a resumed run's earlier seconds are not known)
            ObjectNode cost = cfg.putObject("cost");
            cost.put("wall_seconds", seconds);
            cost.put("cpu_seconds", (TransferRun.processCpuNanos() - cpu0) / 1e9);
            if (spec.resume()) {
                cost.put("resumed", true);
            }
        }
        if (cfg != null && spec.method().pretrains()) {
            ObjectNode pre = cfg.putObject("pretraining");
            pre.put("pretrained", true);
            PretrainCache.Lookup lookup = trainer.pretrainLookup();
            if (lookup != null) {
                pre.put("cache", lookup.fingerprint());
                pre.put("computed", lookup.computed());
            }
            pre.put("source_best_epoch", trainer.pretrainBestEpoch()); // from 0, as the two-task runs
            pre.put("source_epochs", fit.history().stream().filter(e -> e.phase().equals("pretrain")).count());
        } else if (cfg != null && spec.method().readsSourcePretrainings(spec.options())) {
            ObjectNode pre = cfg.putObject("pretraining"); // the warm start's: one pretraining per source
            List<KTaskTrainer.WarmStartSource> sources = trainer.warmStartSources(); // in task order
            pre.put("pretrained", !sources.isEmpty());
            com.fasterxml.jackson.databind.node.ArrayNode each = pre.putArray("sources");
            int latest = Integer.MIN_VALUE;
            for (KTaskTrainer.WarmStartSource src : sources) {
                ObjectNode s = each.addObject().put("task", spec.names().get(src.task()));
                if (src.lookup() != null) {
                    s.put("cache", src.lookup().fingerprint()).put("computed", src.lookup().computed());
                }
                s.put("source_best_epoch", src.bestEpoch()).put("source_epochs", src.history().size());
                if (src.bestEpoch() > latest) { // the convergence check reads the latest kept epoch
                    latest = src.bestEpoch();
                    pre.put("source_best_epoch", latest);
                    pre.put("source_epochs", src.history().size());
                }
            }
        }
        EpochStats kept = kept(fit);
        List<TargetResult> results = new ArrayList<>();
        for (int e = 0; e < targets.size(); e++) {
            int t = targets.get(e);
            MoleculeDataset d = spec.datasets().get(t);
            int[] testIdx = d.labelled(splits.get(e).test(), 0);
            double[] truth = d.targets(testIdx, 0);
            double[] pred = model.predict(t, d.graphs(testIdx));
            Metrics.Regression reg = Metrics.regression(pred, truth);
            double v = targets.size() == 1 ? fit.bestValScore()
                    : kept == null ? Double.NaN : kept.terms().getOrDefault("val_rmse_" + spec.names().get(t), Double.NaN);
            results.add(new TargetResult(t, testIdx, pred, truth, reg.rmse(), reg.mae(), reg.r2(), v));
        }
        TargetResult first = results.get(0);
        double[] meanAbsR = new double[k];
        Arrays.fill(meanAbsR, Double.NaN);
        if (spec.method().layout().transferMaps() && first.testRows().length > 0) {
            List<MolGraph> test = spec.datasets().get(p).graphs(first.testRows());
            for (int t = 0; t < k; t++) {
                meanAbsR[t] = TransferRun.meanAbs(gear.transfer.Diagnostics.evaluate(model.network(t),
                        model.latent(t, test), spec.options().curvRoute()));
            }
        }
        Outcome out = new Outcome(model, first.predicted(), first.truth(), first.testRmse(), first.testMae(), first.testR2(),
                fit.bestValScore(), fit.bestEpoch(), fit.history(), sizes, purged, List.copyOf(results), seconds, meanAbsR);
        if (spec.outputDir() != null) {
            try {
                KTaskRunFiles.write(spec, out, cfg);
                gear.train.RunGuard.markComplete(spec.outputDir());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the run directory " + spec.outputDir() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** @return the kept epoch's statistics (of the {@code train} phase), or null */
    private static EpochStats kept(KTaskTrainer.Fit fit) {
        for (EpochStats e : fit.history()) {
            if (e.phase().equals("train") && e.epoch() == fit.bestEpoch()) {
                return e;
            }
        }
        return null;
    }
}
