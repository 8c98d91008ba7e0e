package gear.transfer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.chem.MolGraph;
import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.eval.Metrics;
import gear.geometry.LatentDiagnostics;
import gear.nn.Torch;
import gear.train.Provenance;
import gear.data.StandardScaler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import gear.train.TrainListener;

/**
 * One transfer run, the library entry point of {@code gear transfer} and of the benchmark grid
 * (design/GEAR.md §6 for one split):
 * <ol>
 *   <li>the source is purged of every molecule whose canonical SMILES is in the target's test part (with
 *       {@code source_purge validation}, in its validation part too);</li>
 *   <li>molecules without a value for their task are left out of that task's training set; labels of the
 *       other task are attached where the same molecule (canonical SMILES) has one (target labels from the
 *       target training part only);</li>
 *   <li>both properties are standardized with scalers fit on their training sets;</li>
 *   <li>the method is trained ({@link TransferTrainer}), the best target-validation epoch kept;</li>
 *   <li>the test part is predicted; RMSE, MAE, R² in original units; for GATE/GEAR mean |R| per task on
 *       the test molecules ({@link LatentDiagnostics});</li>
 *   <li>when an output directory is given, the run directory is written ({@link RunFiles}).</li>
 * </ol>
 *
 * <pre>{@code
 * TransferMethod gear = Methods.get("gear");
 * TransferOutcome r = TransferRun.run(new TransferSpec(gear, source, "Tb", target, "Tc",
 *         SplitType.SCAFFOLD.split(target, new SplitSizes(0.7, 0.1, 0.2), 0), TransferOptions.defaults(gear), 0, null));
 * }</pre>
 */
public final class TransferRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TransferRun() {}

    /** Runs without progress output. */
    public static TransferOutcome run(TransferSpec spec) {
        return run(spec, null, null);
    }

    /**
     * Runs one transfer.
     *
     * @param listener called after every epoch (may be null)
     * @param extraConfig more keys for config.json (e.g. the split type of the CLI; may be null)
     * @throws IllegalArgumentException for bad settings (e.g. GEAR with d_M ≤ d_z) or empty training sets
     * @throws gear.train.TrainingDivergedException on a NaN/Inf loss
     * @throws UncheckedIOException when the run directory cannot be written
     */
    public static TransferOutcome run(TransferSpec spec, TrainListener listener, ObjectNode extraConfig) {
        return run(spec, listener, extraConfig, false);
    }

    /**
     * Runs one transfer, optionally resuming from the checkpoints in the output directory.
     *
     * @param resume continue from the checkpoints an interrupted run with the same settings left in
     *     {@link TransferSpec#outputDir()} (a fresh start when there are none)
     * @see #run(TransferSpec, TrainListener, ObjectNode)
     */
    public static TransferOutcome run(TransferSpec spec, TrainListener listener, ObjectNode extraConfig, boolean resume) {
        return run(spec, listener, extraConfig, resume, null);
    }

    /**
     * Runs one transfer, taking the source pretraining (of finetune, KD, GSP-KD, and of the warm start
     * {@code source_init pretrained}) from a cache shared with other runs, and storing it there when absent. The
     * result is the same as without the cache; config.json records the entry ({@code pretraining.cache},
     * {@code pretraining.computed}); every run records the wall and process CPU seconds of its training
     * ({@code cost.wall_seconds}, {@code cost.cpu_seconds}; after a resume, of this process's part only).
     *
     * @param cache the cache, or null to pretrain in this run without one
     * @see #run(TransferSpec, TrainListener, ObjectNode, boolean)
     */
    public static TransferOutcome run(TransferSpec spec, TrainListener listener, ObjectNode extraConfig, boolean resume,
            PretrainCache cache) {
        return run(spec, listener, extraConfig, resume, cache, new long[] {spec.seed()});
    }

    /**
     * Runs an ensemble of {@code ensembleSize} transfer models that differ only in their initialization seed (seed +
     * i; member 0 is the run of {@link #run(TransferSpec, TrainListener, ObjectNode, boolean, PretrainCache)}):
     * the test metrics are those of the members' mean prediction, the model file holds every member
     * ({@link TransferEnsembleFile}) and the target's standard deviation is recalibrated on the validation set
     * ({@link TransferEnsembles}). One member is the plain run.
     */
    public static TransferOutcome run(TransferSpec spec, TrainListener listener, ObjectNode extraConfig, boolean resume,
            PretrainCache cache, int ensembleSize) {
        if (ensembleSize < 1) {
            throw new IllegalArgumentException("--ensemble-size must be at least 1, got " + ensembleSize);
        }
        long[] seeds = new long[ensembleSize];
        for (int i = 0; i < ensembleSize; i++) {
            seeds[i] = spec.seed() + i;
        }
        return run(spec, listener, extraConfig, resume, cache, seeds);
    }

    /** The run with these members' initialization seeds (member 0: the run's seed; tests use repeated seeds). */
    static TransferOutcome run(TransferSpec spec, TrainListener listener, ObjectNode extraConfig, boolean resume,
            PretrainCache cache, long[] memberSeeds) {
        Torch.ensure();
        org.bytedeco.pytorch.Device device = Torch.device(spec.device()); // refuses cuda without a usable GPU
        spec.method().check(spec.options());
        if (spec.options().pretrainValFraction() >= 1) {
            throw new IllegalArgumentException("--pretrain-val-fraction " + spec.options().pretrainValFraction()
                    + ": the share of the source held out to validate pretraining must be below 1");
        }
        if (spec.outputDir() != null) {
            RunFiles.prepare(spec.outputDir());
        }
        MoleculeDataset tgt = spec.target().selectTargets(List.of(spec.targetColumn()));
        MoleculeDataset src = spec.source().selectTargets(List.of(spec.sourceColumn()));
        Split split = spec.targetSplit().validate(tgt.size());
        // the pair as a task set of k = 2: the source, then the evaluated target (one code path with the k-task runs)
        TaskSetData ts = TaskSetData.of(List.of(src, tgt), List.of(1), List.of(split), List.of(spec.sourceColumn(),
                spec.targetColumn()), true, spec.options().purgeValidation());
        List<Integer> srcKeep = java.util.Arrays.stream(ts.rows().get(0)).boxed().toList();
        int purged = ts.purged();
        int[] valIdx = tgt.labelled(split.val(), 0);
        int[] testIdx = tgt.labelled(split.test(), 0);
        StandardScaler sScaler = ts.scalers().get(0);
        StandardScaler tScaler = ts.scalers().get(1);
        List<MolGraph> sGraphs = ts.graphs().get(0);
        float[] sYs = ts.labels().get(0)[0];
        float[] sYt = ts.labels().get(0)[1];
        List<MolGraph> tGraphs = ts.graphs().get(1);
        float[] tYt = ts.labels().get(1)[1];
        float[] tYs = ts.labels().get(1)[0];
        List<MolGraph> vGraphs = tgt.graphs(valIdx);
        double[] vY = tgt.targets(valIdx, 0);
        PairData data = new PairData(sGraphs, sYs, sYt, tGraphs, tYt, tYs, vGraphs, vY);

        TransferModel model = new TransferModel(spec.method(), spec.options(), memberSeeds[0],
                spec.method().hasSourceNetwork() ? sScaler : null, tScaler, spec.sourceColumn(), spec.targetColumn(),
                Provenance.now(tgt.sourceSha256(), spec.seed())).to(device);
        ObjectNode cfg = RunFiles.config(spec, tgt, split, src.sourceSha256(), extraConfig, srcKeep.size(), purged);
        if (!device.is_cpu() && !cfg.has("device")) {
            cfg.put("device", spec.device()); // e.g. a grid cell's (gear transfer records its run keys itself)
        }
        // a refused resume leaves the run's files as they were: one of other settings is refused before anything is
        // written, one that a checkpoint refuses gets its files back (a finished run stays finished)
        gear.train.KeptFiles kept;
        if (spec.outputDir() != null) {
            if (resume) {
                RunFiles.checkResume(spec.outputDir(), cfg);
                RunFiles.checkResumeSplit(spec.outputDir(), split, tgt);
            }
            try {
                kept = gear.train.KeptFiles.of(spec.outputDir(), resume, RunFiles.CONFIG, RunFiles.SPLITS,
                        gear.train.RunGuard.INCOMPLETE);
                gear.train.RunGuard.markIncomplete(spec.outputDir(), "transfer");
                RunFiles.begin(spec, tgt, split, cfg);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the run directory " + spec.outputDir() + ": " + e.getMessage(), e);
            }
        } else {
            kept = gear.train.KeptFiles.NONE;
        }
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        TransferTrainer trainer = new TransferTrainer(model, spec.seed(), listener, spec.trainRmse())
                .taskType(spec.taskType()).checkpointDir(spec.outputDir()).resume(resume);
        if (cache != null) {
            trainer.pretrainCache(cache, sourceDigest(src, srcKeep, spec.sourceColumn()));
        }
        TransferTrainer.Fit fit = kept.restoringIfRefused(() -> trainer.fit(data));
        double seconds = resumedSeconds(fit, (System.nanoTime() - t0) / 1e9, resume);
        ObjectNode cost = cfg.putObject("cost");
        cost.put("wall_seconds", (System.nanoTime() - t0) / 1e9);
        cost.put("cpu_seconds", (processCpuNanos() - cpu0) / 1e9);
        if (resume) {
            cost.put("resumed", true); // the seconds above are this process's; the earlier ones are not known
        }
        ObjectNode pre = cfg.putObject("pretraining");
        pre.put("pretrained", spec.method().readsPretraining(spec.options()));
        PretrainCache.Lookup lookup = trainer.pretrainLookup();
        if (lookup != null) {
            pre.put("cache", lookup.fingerprint());
            pre.put("computed", lookup.computed());
            pre.put("source_best_epoch", lookup.entry().bestEpoch());
            pre.put("source_epochs", lookup.entry().history().size());
        }
        if (pre.path("pretrained").asBoolean()) {
            pre.put("source_best_epoch", sourceBest(fit.history(), pre));
            if (!pre.has("source_epochs")) { // the pretraining epochs run (fewer than pretrain_epochs: stopped early)
                pre.put("source_epochs", fit.history().stream().filter(e -> e.phase().equals("pretrain")).count());
            }
        }

        List<MolGraph> testGraphs = tgt.graphs(testIdx);
        double[] truth = tgt.targets(testIdx, 0);
        TransferEnsembles.Result ens = null;
        double[] pred;
        double valRmse = fit.bestValRmse();
        if (memberSeeds.length > 1) {
            ens = TransferEnsembles.train(spec, model, memberSeeds, data, listener, resume, vGraphs, vY, testGraphs);
            ens = TransferEnsembles.withTest(ens, truth);
            pred = ens.testMean();
            seconds += ens.seconds();
            if (!vGraphs.isEmpty()) {
                valRmse = ens.valRmse();
            }
        } else {
            pred = model.predict(Task.TARGET, testGraphs);
        }
        Metrics.Regression reg = Metrics.regression(pred, truth);
        double rS = Double.NaN;
        double rT = Double.NaN;
        LatentDiagnostics[] diag = null;
        if (spec.method().hasTransferMaps() && !testGraphs.isEmpty()) {
            diag = new LatentDiagnostics[] {diagnostics(model, Task.SOURCE, testGraphs),
                diagnostics(model, Task.TARGET, testGraphs)};
            rS = meanAbs(diag[0]);
            rT = meanAbs(diag[1]);
        }
        TransferOutcome out = new TransferOutcome(model, pred, truth, reg.rmse(), reg.mae(), reg.r2(), valRmse,
                fit.bestEpoch(), seconds, fit.history(), rS, rT, srcKeep.size(), purged);
        if (spec.outputDir() != null) {
            try {
                RunFiles.write(spec, tgt, split, testIdx, out, diag, src.sourceSha256(), cfg, ens);
                // the run directory is complete: its checkpoints (several MB each, one per phase) are not needed
                TransferTrainer.deleteCheckpoints(spec.outputDir());
                for (int i = 1; i < memberSeeds.length; i++) {
                    Path md = spec.outputDir().resolve("member-" + i);
                    TransferTrainer.deleteCheckpoints(md);
                    deleteIfEmpty(md);
                }
                gear.train.RunGuard.markComplete(spec.outputDir());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the run directory " + spec.outputDir() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static void deleteIfEmpty(Path dir) throws IOException {
        if (java.nio.file.Files.isDirectory(dir)) {
            try (var l = java.nio.file.Files.list(dir)) {
                if (l.findAny().isPresent()) {
                    return;
                }
            }
            java.nio.file.Files.delete(dir);
        }
    }

    /** @return training seconds: measured here, or after a resume the sum of every epoch's seconds (also those before) */
    private static double resumedSeconds(TransferTrainer.Fit fit, double measured, boolean resume) {
        if (!resume) {
            return measured;
        }
        double s = 0;
        for (gear.train.EpochStats e : fit.history()) {
            s += e.seconds();
        }
        return s;
    }

    /** @return the kept pretraining epoch: the last improved one of the history's pretraining epochs */
    private static int sourceBest(List<gear.train.EpochStats> history, ObjectNode pre) {
        if (pre.has("source_best_epoch")) {
            return pre.get("source_best_epoch").asInt();
        }
        int best = -1;
        for (gear.train.EpochStats e : history) {
            if (e.phase().equals("pretrain") && e.improved()) {
                best = e.epoch();
            }
        }
        return best;
    }

    /** @return CPU nanoseconds used by this process so far (all threads), or 0 where the JVM does not say */
    public static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean s) {
            return Math.max(0, s.getProcessCpuTime());
        }
        return 0;
    }

    /**
     * @return a digest of the source the pretraining reads: column, then each kept molecule's canonical SMILES and
     *     value, in order (the pretraining cache's key)
     */
    public static String sourceDigest(MoleculeDataset src, List<Integer> keep, String column) {
        java.security.MessageDigest md = gear.data.Hashing.sha256();
        md.update((column + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (int i : keep) {
            md.update((src.canonicalSmiles(i) + "\t" + Double.toString(src.target(i, 0)) + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return gear.data.Hashing.hex(md) + " (" + keep.size() + " molecules)";
    }

    /** Curvature diagnostics of a task's latent manifold at the molecules' latent points. */
    static LatentDiagnostics diagnostics(TransferModel model, Task task, List<MolGraph> graphs) {
        return Diagnostics.evaluate(model, task, model.latent(task, graphs), model.options().curvRoute());
    }

    /** @return mean |R| over the non-singular points (NaN if none) */
    public static double meanAbs(LatentDiagnostics d) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < d.ricci().length; i++) {
            if (!d.singular()[i] && Double.isFinite(d.ricci()[i])) {
                s += Math.abs(d.ricci()[i]);
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    static ObjectMapper json() {
        return JSON;
    }
}
