package gear.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.CsvLoader;
import gear.data.FeatureCache;
import gear.data.InvalidPolicy;
import gear.data.LoadReport;
import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.data.SplitsFile;
import gear.data.StandardScaler;
import gear.eval.Metrics;
import gear.nn.Torch;
import gear.train.Ensemble;
import gear.train.EpochStats;
import gear.train.RunWriter;
import gear.train.GraphSet;
import gear.train.ModelFile;
import gear.train.TrainListener;
import gear.train.TrainListeners;
import gear.train.TrainResult;
import gear.train.TrainedModel;
import gear.train.UncertaintyReport;
import gear.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One single-task (or multi-target) D-MPNN training run with chemprop v1 semantics, from a CSV to a
 * complete run directory ({@link RunWriter}): load and check the CSV, split (or read a split file), fit the
 * target scaler on the training rows only, featurize, train with model selection on the validation
 * RMSE ({@link Trainer}, checkpoint after every epoch), evaluate on the test split and write every
 * file. {@code config.json} and {@code splits.json} are written before training starts, so an
 * interrupted run can be resumed ({@link Options#resume}).
 */
public final class TrainRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainRun() {}

    /**
     * How to run (not part of the resolved configuration).
     *
     * @param resume continue from the checkpoint in the run directory when there is one
     * @param quiet no progress output
     * @param verbose debug output (load notes, featurization statistics)
     * @param cacheDir disk cache of canonical SMILES and features (null: none)
     * @param interruptAfter stop with an {@link InterruptedRunException} after this many epochs of
     *     this process (0 = never; a testing aid that simulates a killed run)
     * @param log where progress and messages go (stderr)
     */
    public record Options(boolean resume, boolean quiet, boolean verbose, Path cacheDir, int interruptAfter,
            PrintStream log) {}

    /**
     * What a finished run reports.
     *
     * @param dir the run directory
     * @param targets target names
     * @param test test metrics per target
     * @param nTrain training molecules
     * @param nVal validation molecules
     * @param nTest test molecules
     * @param bestEpoch best epoch, from 1 (of ensemble member 0)
     * @param bestValRmse its validation RMSE (mean over targets); of an ensemble, that of the mean prediction
     * @param trainSeconds wall seconds of all epochs (including epochs before a resume; of all ensemble members)
     */
    public record Result(RunWriter dir, List<String> targets, List<Metrics.Regression> test, int nTrain, int nVal,
            int nTest, int bestEpoch, double bestValRmse, double trainSeconds) {
        /** @return the mean over targets of RMSE, MAE and R² */
        public double[] meanTest() {
            double[] m = new double[3];
            for (Metrics.Regression r : test) {
                m[0] += r.rmse() / test.size();
                m[1] += r.mae() / test.size();
                m[2] += r.r2() / test.size();
            }
            return m;
        }
    }

    /** Thrown by {@link Options#interruptAfter} after the checkpoint of the last allowed epoch. */
    public static final class InterruptedRunException extends RuntimeException {
        public InterruptedRunException(int epochs) {
            super("run interrupted after " + epochs + " epoch(s) as requested; continue it with --resume");
        }
    }

    /**
     * Runs training.
     *
     * @throws gear.data.BadInputException on bad input (CSV, split file, checkpoint of another run)
     * @throws IllegalArgumentException on invalid settings (e.g. --device cuda without a GPU)
     */
    public static Result run(TrainConfig cfg, Options opt) throws IOException {
        return run(cfg, opt, null);
    }

    /**
     * Runs training and records {@code argv} (the command's arguments; null, from the library: an empty array) in config.json.
     *
     * @see #run(TrainConfig, Options)
     */
    public static Result run(TrainConfig cfg, Options opt, com.fasterxml.jackson.databind.JsonNode argv) throws IOException {
        gear.train.OutputDir.prepare(cfg.outputDir());
        // --threads N: N data-parallel lanes of one libtorch thread each; refuses cuda without a usable GPU
        org.bytedeco.pytorch.Device device = Torch.initTraining(cfg.threads(), cfg.device());
        PrintStream log = opt.quiet() ? new PrintStream(java.io.OutputStream.nullOutputStream()) : opt.log();
        CsvLoader.Result loaded = CsvLoader.of(cfg.dataPath()).smilesColumn(cfg.smilesColumn())
                .targetColumns(cfg.targetColumns()).policy(cfg.invalid()).duplicates(cfg.duplicates()).cacheDir(opt.cacheDir())
                .load();
        MoleculeDataset ds = loaded.dataset();
        LoadReport rep = loaded.report();
        log.println(rep.summary() + "; targets " + ds.targetNames());
        if (!rep.clean() && cfg.invalid() == InvalidPolicy.SKIP) {
            log.print("skipped rows:\n" + rep.describeBadRows(opt.verbose() ? Integer.MAX_VALUE : LoadReport.MESSAGE_CAP));
        }
        if (opt.verbose()) {
            rep.notes().forEach(n -> log.println("note: " + n));
        }
        if (ds.size() < 3) {
            throw new gear.data.BadInputException(cfg.dataPath() + ": only " + ds.size() + " usable molecules; need at least 3");
        }
        Split split = cfg.splitsFile() != null ? SplitsFile.read(cfg.splitsFile(), ds)
                : cfg.splitType().split(ds, cfg.splitSizes(), cfg.training().seed());
        split.validate(ds.size()).requireTrainable(ds);
        if (opt.verbose()) {
            split.notes().forEach(n -> log.println("split: " + n));
        }
        log.println("split " + (cfg.splitsFile() != null ? "from " + cfg.splitsFile() : cfg.splitType().cliName())
                + ": train " + split.train().length + ", val " + split.val().length + ", test " + split.test().length);
        StandardScaler scaler = StandardScaler.fit(ds, split);
        scaler.warnings().forEach(w -> log.println("warning: " + w));

        RunWriter dir = new RunWriter(cfg.outputDir(), cfg.taskType());
        ObjectNode cj = RunWriter.config("train", argv, cfg.toJson(ds.sourceSha256()));
        cj.put("num_tasks", ds.numTargets());
        // a resume refused by the checkpoint (other settings) must leave the run's files as they were (a finished
        // run stays finished)
        gear.train.KeptFiles kept = gear.train.KeptFiles.of(dir.dir(), opt.resume(), RunWriter.CONFIG, RunWriter.SPLITS,
                gear.train.RunGuard.INCOMPLETE);
        dir.markIncomplete("train");
        dir.writeConfig(cj);
        dir.writeSplits(split, ds);
        return kept.restoringIfRefused(() -> trainAndWrite(cfg, opt, log, ds, split, scaler, dir, device));
    }

    private static Result trainAndWrite(TrainConfig cfg, Options opt, PrintStream log, MoleculeDataset ds,
            Split split, StandardScaler scaler, RunWriter dir, org.bytedeco.pytorch.Device device) throws java.io.IOException {
        ObjectNode uncertaintyJson = null;

        FeatureCache.Stats fs = FeatureCache.featurize(ds, Math.max(1, cfg.threads()), opt.cacheDir());
        if (opt.verbose()) {
            log.printf("featurized %d molecules (%d computed, %d from disk cache) in %.2f s%n", fs.molecules(),
                    fs.featurized(), fs.fromDisk(), fs.seconds());
        }
        fs.warnings().forEach(w -> log.println("warning: " + w));
        GraphSet train = graphs(split.trainSet(ds));
        GraphSet val = graphs(split.valSet(ds));
        MoleculeDataset testDs = split.testSet(ds);
        GraphSet test = graphs(testDs);

        gear.train.UncertaintyOptions u = cfg.uncertainty();
        gear.nn.DmpnnConfig mc = cfg.model().withNumTasks(ds.numTargets() * u.taskType().outputsPerTarget());
        List<TrainedModel> members = new ArrayList<>();
        long[] seeds = new long[u.ensembleSize()];
        TrainResult r = null;
        int[] ranHere = new int[1];
        java.util.Map<TrainedModel, Double> memberSeconds = new java.util.IdentityHashMap<>();
        for (int i = 0; i < u.ensembleSize(); i++) {
            // member 0 is the run itself (its checkpoint and metrics in the run directory); member i > 0 keeps its
            // checkpoint and metrics in member-i/, so that --resume continues each member where it stopped
            RunWriter memberDir = i == 0 ? dir : new RunWriter(dir.dir().resolve("member-" + i), cfg.taskType());
            seeds[i] = cfg.training().seed() + i;
            if (u.ensembleSize() > 1) {
                log.println("ensemble member " + (i + 1) + " of " + u.ensembleSize() + " (initialization seed " + seeds[i] + ")");
            }
            TrainResult ri = trainMember(cfg, mc, u.taskType(), seeds[i], memberDir, ds, opt, log, ranHere, train, val, scaler,
                    device);
            members.add(ri.model());
            double sec = 0;
            for (EpochStats st : ri.history()) {
                sec += st.seconds();
            }
            memberSeconds.put(ri.model(), sec);
            if (i == 0) {
                r = ri;
            }
        }
        Ensemble ensemble = new Ensemble(members, null);
        double valRmse = r.bestValScore(); // an ensemble's: that of its mean prediction (below)
        double seconds = 0;
        for (TrainedModel m : members) {
            seconds += memberSeconds.getOrDefault(m, 0.0);
        }
        List<UncertaintyReport.Row> valCalibration = List.of();
        if (ensemble.hasUncertainty() && val.size() > 0) {
            Ensemble.Output vo = ensemble.predict(val.graphs()); // no z-scale yet: the raw standard deviation
            if (members.size() > 1) {
                valRmse = TrainedModel.meanOverTasks(TrainedModel.rmse(vo.mean(), val.targets()));
            }
            valCalibration = UncertaintyReport.rows(ds.targetNames(), vo.mean(), val.targets(), vo.std(), true);
            ensemble = ensemble.withZScale(UncertaintyReport.zScales(valCalibration));
            UncertaintyReport.plot(dir, ds.targetNames(), vo.mean(), val.targets(), vo.std(), ensemble.zScale());
        }
        Ensemble finalEnsemble = ensemble;
        dir.writeModel(f -> ModelFile.save(f, finalEnsemble, seeds));

        Ensemble.Output out = test.size() > 0 ? ensemble.predict(test.graphs())
                : new Ensemble.Output(new double[0][ds.numTargets()], ensemble.hasUncertainty() ? new double[0][ds.numTargets()] : null);
        double[][] pred = out.mean();
        double[][] truth = test.targets();
        List<Metrics.Regression> metrics = new ArrayList<>();
        for (int t = 0; t < ds.numTargets(); t++) {
            metrics.add(Metrics.regression(column(pred, t), column(truth, t)));
        }
        if (out.std() == null) {
            dir.writeTestPredictions(testDs.smiles(), ds.targetNames(), truth, pred);
        } else {
            UncertaintyReport.writeTestPredictions(dir, testDs.smiles(), ds.targetNames(), truth, pred, out.std());
        }
        dir.writeEpochMetrics(r.history());
        dir.plotLearningCurve(r.history());
        dir.plotParity(ds.targetNames(), truth, pred);
        if (ensemble.hasUncertainty()) {
            List<UncertaintyReport.Row> testCalibration = UncertaintyReport.rows(ds.targetNames(), pred, truth, out.std(), false);
            dir.writeText(UncertaintyReport.CSV, UncertaintyReport.csv(valCalibration, testCalibration));
            uncertaintyJson = UncertaintyReport.json(u, valCalibration, testCalibration);
        }
        Result res = new Result(dir, ds.targetNames(), metrics, train.size(), val.size(), test.size(), r.bestEpoch() + 1,
                valRmse, seconds);
        ObjectNode tm = toJson(res, cfg);
        if (uncertaintyJson != null) {
            tm.set("uncertainty", uncertaintyJson);
        }
        dir.writeJson(RunWriter.TEST_METRICS, tm);
        dir.markComplete();
        return res;
    }

    /** Trains one (ensemble) member: the network initialized with {@code seed}, everything else the run's. */
    private static TrainResult trainMember(TrainConfig cfg, gear.nn.DmpnnConfig mc, gear.train.TaskType type, long seed,
            RunWriter dir, MoleculeDataset ds, Options opt, PrintStream log, int[] ranHere, GraphSet train, GraphSet val,
            StandardScaler scaler, org.bytedeco.pytorch.Device device) {
        Trainer trainer = new Trainer(mc, cfg.training()).taskType(type).device(device)
                .targetNames(ds.targetNames()).dataSha256(ds.sourceSha256()).checkpointDir(dir.dir())
                .resume(opt.resume()).listener(TrainListeners.console(opt.quiet(), type))
                .listener(metricsWriter(dir, opt.interruptAfter(), ranHere));
        gear.nn.Dmpnn net = new gear.nn.Dmpnn(mc, seed);
        StartFrom from = cfg.startFrom();
        if (from != null) {
            java.util.Set<String> copied = from.initialize(net);
            java.util.Set<String> frozen = new java.util.LinkedHashSet<>(Trainer.ffnLayerParams(net, from.freezeFfnLayers()));
            if (from.freezeEncoder()) {
                frozen.addAll(Trainer.encoderParams(net));
            }
            if (frozen.size() == net.params().asMap().size()) {
                throw new IllegalArgumentException("--freeze-encoder with --freeze-ffn-layers " + from.freezeFfnLayers()
                        + " freezes every layer: nothing would train");
            }
            trainer.freeze(frozen);
            log.println("starting from " + from.model() + ": " + copied.size() + " of " + net.params().asMap().size()
                    + " weight tensors copied, " + frozen.size() + " frozen");
        }
        return trainer.fit(net, train, val, scaler);
    }

    private static TrainListener metricsWriter(RunWriter dir, int interruptAfter, int[] ranHere) {
        return new TrainListener() {
            private final List<EpochStats> seen = new ArrayList<>();

            @Override
            public void onEpochEnd(EpochStats s) {
                seen.add(s);
                ranHere[0]++;
                if (interruptAfter > 0 && ranHere[0] >= interruptAfter && s.epoch() < s.epochs() - 1) {
                    throw new InterruptedRunException(ranHere[0]);
                }
            }

            @Override
            public void onTrainingEnd(gear.train.Engine.Result result) {
                try {
                    dir.writeEpochMetrics(result.history());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /** @return the JSON of {@value RunWriter#TEST_METRICS} (results.json field names of CLI.md) */
    static ObjectNode toJson(Result r, TrainConfig cfg) {
        ObjectNode n = JSON.createObjectNode();
        double[] m = r.meanTest();
        n.put("split_type", cfg.splitsFile() != null ? "file" : cfg.splitType().cliName());
        n.put("seed", cfg.training().seed());
        n.put("n_train", r.nTrain());
        n.put("n_val", r.nVal());
        n.put("n_test", r.nTest());
        n.put("test_rmse", m[0]);
        n.put("test_mae", m[1]);
        n.put("test_r2", m[2]);
        n.put("val_rmse", r.bestValRmse());
        n.put("best_epoch", r.bestEpoch());
        n.put("train_seconds", r.trainSeconds());
        ArrayNode per = n.putArray("targets");
        for (int t = 0; t < r.targets().size(); t++) {
            ObjectNode o = per.addObject();
            Metrics.Regression x = r.test().get(t);
            o.put("target", r.targets().get(t));
            o.put("test_rmse", x.rmse());
            o.put("test_mae", x.mae());
            o.put("test_r2", x.r2());
            o.put("n", x.n());
        }
        return n;
    }

    private static GraphSet graphs(MoleculeDataset d) {
        return new GraphSet(d.graphs(), d.targets());
    }

    private static double[] column(double[][] a, int t) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i][t];
        }
        return c;
    }
}
