package gear.train;

import gear.data.StandardScaler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.BadInputException;
import gear.nn.Adam;
import gear.nn.BatchGraph;
import gear.nn.Dmpnn;
import gear.nn.DmpnnConfig;
import gear.nn.DmpnnTrainStep;
import gear.nn.Losses;
import gear.nn.Params;
import gear.nn.PhaseTimer;
import gear.nn.Tensors;
import gear.nn.Torch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The chemprop v1 training loop for a {@link Dmpnn} on one split (Yang et al., JCIM 59:3370, 2019):
 *
 * <ul>
 *   <li>targets standardized with the given {@link StandardScaler} (fit on the training split);</li>
 *   <li>each epoch, the training molecules are shuffled (generator re-created from seed and epoch)
 *       and cut into batches; batches (arrays and tensors) are built on a background thread ({@link BatchPipeline});</li>
 *   <li>loss: masked MSE on standardized targets, Σ mask (ŷ − z)² / Σ mask, and its gradient by
 *       {@link DmpnnTrainStep} (hand-derived backward, buffers reused across batches); Adam with the
 *       {@link NoamSchedule} stepped per batch; optional gradient-norm clipping;</li>
 *   <li>after each epoch: validation RMSE in original units (mean over targets); the weights of the
 *       best epoch are kept; optional early stopping after {@code patience} epochs without
 *       improvement; a {@link Checkpoint} is written atomically when a checkpoint directory is set;</li>
 *   <li>a NaN or infinite loss stops training with a {@link TrainingDivergedException} naming the
 *       epoch and batch, before that batch changes the weights.</li>
 * </ul>
 *
 * Deterministic on the CPU: the same seed, data and thread count give bit-identical weights, and a
 * run resumed from a checkpoint ends with the same weights as an uninterrupted one.
 *
 * <p>Typical use (what {@code gear train} does):
 * <pre>{@code
 * TrainResult r = new Trainer(DmpnnConfig.defaults(1), TrainOptions.defaults().withSeed(0))
 *         .targetNames(List.of("logS")).dataSha256(sha).checkpointDir(dir).resume(true)
 *         .listener(TrainListeners.console(false))
 *         .fit(train, val, StandardScaler.fit(train.targets()));
 * ModelFile.save(dir.resolve("model.gear"), r.model());
 * }</pre>
 */
public final class Trainer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DmpnnConfig config;
    private final TrainOptions options;
    private final List<TrainListener> listeners = new ArrayList<>();
    private List<String> targetNames;
    private String dataSha256 = "";
    private Path checkpointDir;
    private boolean resume;
    private int lookahead = 4;
    private PhaseTimer timer;

    /** A trainer for a model with {@code config}, trained with {@code options}. */
    public Trainer(DmpnnConfig config, TrainOptions options) {
        this.config = config;
        this.options = options;
    }

    /** Adds a listener (called in the order added). */
    public Trainer listener(TrainListener l) {
        listeners.add(l);
        return this;
    }

    /** Sets the target names stored in the model (default: target_1..target_T). */
    public Trainer targetNames(List<String> names) {
        this.targetNames = List.copyOf(names);
        return this;
    }

    /** Sets the SHA-256 of the training data file, recorded in the provenance. */
    public Trainer dataSha256(String sha) {
        this.dataSha256 = sha == null ? "" : sha;
        return this;
    }

    /** Writes {@link Checkpoint#FILE} into {@code dir} after every epoch (null = no checkpoints). */
    public Trainer checkpointDir(Path dir) {
        this.checkpointDir = dir;
        return this;
    }

    /** Continue from the checkpoint in the checkpoint directory, when there is one. */
    public Trainer resume(boolean r) {
        this.resume = r;
        return this;
    }

    /** Batches built ahead by the background thread (default 4). */
    public Trainer lookahead(int n) {
        this.lookahead = n;
        return this;
    }

    /**
     * Charges the time of every phase of each step (batch wait, batch tensors, forward and backward
     * blocks, optimizer, ...) and of the per-epoch work to {@code t} (null = no profiling).
     */
    public Trainer profile(PhaseTimer t) {
        this.timer = t;
        return this;
    }

    /**
     * Trains a freshly initialized model (seeded by {@code options.seed()}).
     *
     * @param train training split (at least one molecule)
     * @param val validation split (may be empty: then the last epoch is kept)
     * @param scaler standardization of the targets (from the training split)
     * @return the best model and the metrics history
     * @throws TrainingDivergedException on a NaN or infinite loss
     * @throws BadInputException if a checkpoint to resume from is corrupt or from other settings
     * @throws UncheckedIOException if a checkpoint cannot be written
     */
    public TrainResult fit(GraphSet train, GraphSet val, StandardScaler scaler) {
        Torch.ensure();
        return fit(new Dmpnn(config, options.seed()), train, val, scaler);
    }

    /**
     * Trains a given network in place (e.g. one whose encoder was pre-trained: fine-tuning). Its
     * configuration must equal this trainer's. On resume the checkpoint's weights replace the
     * network's.
     *
     * @see #fit(GraphSet, GraphSet, StandardScaler)
     */
    public TrainResult fit(Dmpnn network, GraphSet train, GraphSet val, StandardScaler scaler) {
        if (!network.config().equals(config)) {
            throw new IllegalArgumentException("network configuration " + network.config()
                    + " differs from the trainer's " + config);
        }
        try {
            return run(network, train, val, scaler);
        } catch (RuntimeException | Error e) {
            for (TrainListener l : listeners) {
                try {
                    l.onTrainingFailed(e);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private TrainResult run(Dmpnn net, GraphSet train, GraphSet val, StandardScaler scaler) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("the training split is empty");
        }
        int tasks = config.numTasks();
        if (train.numTasks() != tasks || (val.size() > 0 && val.numTasks() != tasks) || scaler.numTargets() != tasks) {
            throw new IllegalArgumentException("model has " + tasks + " outputs; train has " + train.numTasks()
                    + " targets, validation " + val.numTasks() + ", scaler " + scaler.numTargets());
        }
        List<String> names = targetNames != null ? targetNames : defaultNames(tasks);
        TrainedModel model = new TrainedModel(net, scaler, names, Provenance.now(dataSha256, options.seed()), options);
        Params params = net.params();
        Adam adam = new Adam(params, options.initLr());
        DmpnnTrainStep stepper = new DmpnnTrainStep(net);
        Map<String, Tensor> best = params.snapshot();

        int n = train.size();
        int bs = options.batchSize();
        int batchesPerEpoch = (n + bs - 1) / bs;
        NoamSchedule schedule = new NoamSchedule(options.warmupEpochs(), options.epochs(),
                NoamSchedule.stepsPerEpoch(n, bs), options.initLr(), options.maxLr(), options.finalLr());
        float[][] z = standardize(train.targets(), scaler);
        String fingerprint = fingerprint(train, val, scaler);

        int firstEpoch = 0;
        long step = 0;
        int bestEpoch = -1;
        double bestScore = Double.POSITIVE_INFINITY;
        int since = 0;
        List<EpochStats> history = new ArrayList<>();
        Path ckpt = checkpointDir == null ? null : checkpointDir.resolve(Checkpoint.FILE);
        if (resume && ckpt != null && Files.isRegularFile(ckpt)) {
            Checkpoint.Loaded c = Checkpoint.read(ckpt);
            if (!c.state().fingerprint().equals(fingerprint)) {
                throw new BadInputException(ckpt + ": checkpoint was written with other settings or data; "
                        + "delete it or use the original settings (checkpoint: " + c.state().fingerprint()
                        + "; now: " + fingerprint + ")");
            }
            try {
                params.copyFrom(c.model());
                Params.copyInto(best, c.best());
                adam.load(c.adam());
            } catch (IllegalArgumentException e) {
                throw new BadInputException(ckpt + ": corrupt checkpoint (" + e.getMessage() + ")", e);
            }
            firstEpoch = c.state().epochsDone();
            step = c.state().globalStep();
            bestEpoch = c.state().bestEpoch();
            bestScore = c.state().bestScore();
            since = c.state().sinceImprovement();
            history.addAll(c.state().history());
        }

        List<BatchGraph.Arrays> valBatches = new ArrayList<>();
        for (int i = 0; i < val.size(); i += TrainedModel.PREDICT_BATCH) {
            valBatches.add(BatchGraph.arrays(val.graphs().subList(i, Math.min(val.size(), i + TrainedModel.PREDICT_BATCH))));
        }
        for (TrainListener l : listeners) {
            l.onTrainingStart(firstEpoch, options.epochs(), batchesPerEpoch);
        }
        boolean stoppedEarly = false;
        if (options.patience() > 0 && since >= options.patience()) {
            stoppedEarly = true;
            firstEpoch = options.epochs();
        }
        try (BatchPipeline pipeline = new BatchPipeline(lookahead)) {
            for (int epoch = firstEpoch; epoch < options.epochs(); epoch++) {
                long t0 = System.nanoTime();
                List<int[]> batches = epochBatches(n, bs, options.seed(), epoch);
                Iterator<BatchGraph> it = pipeline.stream(train.graphs(), batches, config.dtype());
                double lossSum = 0;
                double lr = adam.lr();
                for (int b = 0; b < batches.size(); b++) {
                    if (timer != null) {
                        timer.start();
                    }
                    BatchGraph batch = it.next();
                    lap("batch wait");
                    lr = schedule.lr(step);
                    adam.setLr(lr);
                    double loss = trainStep(stepper, params, adam, batch, batches.get(b), z, step, epoch, b);
                    step++;
                    lossSum += loss;
                    for (TrainListener l : listeners) {
                        l.onBatchEnd(epoch, b, loss);
                    }
                }
                if (timer != null) {
                    timer.start();
                }
                double valRmse = Double.NaN;
                if (val.size() > 0) {
                    double[][] pred = model.predictBatches(valBatches);
                    for (double[] row : pred) {
                        for (double v : row) {
                            if (!Double.isFinite(v)) {
                                throw new TrainingDivergedException(epoch, batches.size() - 1, v);
                            }
                        }
                    }
                    valRmse = TrainedModel.meanOverTasks(TrainedModel.rmse(pred, val.targets()));
                    lap("validation");
                }
                boolean improved = Double.isNaN(valRmse) || valRmse < bestScore;
                if (improved) {
                    if (!Double.isNaN(valRmse)) {
                        bestScore = valRmse;
                    }
                    bestEpoch = epoch;
                    since = 0;
                    Params.copyInto(best, params.asMap());
                } else {
                    since++;
                }
                EpochStats stats = new EpochStats(epoch, options.epochs(), lossSum / batches.size(), valRmse, lr,
                        (System.nanoTime() - t0) / 1e9, improved);
                history.add(stats);
                if (ckpt != null) {
                    try {
                        Checkpoint.write(ckpt, params, best, adam, new Checkpoint.State(epoch + 1, step, bestEpoch,
                                bestScore, since, history, options.seed(), fingerprint));
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot write checkpoint " + ckpt + ": " + e.getMessage(), e);
                    }
                }
                for (TrainListener l : listeners) {
                    l.onEpochEnd(stats);
                }
                if (options.patience() > 0 && since >= options.patience() && epoch < options.epochs() - 1) {
                    stoppedEarly = true;
                    break;
                }
            }
        }
        params.copyFrom(best);
        double reported = val.size() > 0 && bestEpoch >= 0 ? bestScore : Double.NaN;
        TrainResult result = new TrainResult(model, List.copyOf(history), bestEpoch, reported, stoppedEarly);
        for (TrainListener l : listeners) {
            l.onTrainingEnd(result);
        }
        return result;
    }

    private double trainStep(DmpnnTrainStep stepper, Params params, Adam adam, BatchGraph batch, int[] idx, float[][] z,
            long step, int epoch, int b) {
        int tasks = config.numTasks();
        float[] target = new float[idx.length * tasks];
        float[] mask = new float[idx.length * tasks];
        for (int i = 0; i < idx.length; i++) {
            for (int t = 0; t < tasks; t++) {
                float v = z[idx[i]][t];
                if (!Float.isNaN(v)) {
                    target[i * tasks + t] = v;
                    mask[i * tasks + t] = 1;
                }
            }
        }
        try (PointerScope scope = new PointerScope()) {
            if (config.dropout() > 0) {
                torch.manual_seed(mix(options.seed(), step));
            }
            batch.attach(scope);
            Tensor tt = Tensors.of(target, idx.length, tasks);
            Tensor mt = Tensors.of(mask, idx.length, tasks);
            if (config.float64()) {
                tt = tt.to(config.dtype());
                mt = mt.to(config.dtype());
            }
            lap("batch tensors");
            double lv = stepper.forward(batch, tt, mt, timer);
            if (!Double.isFinite(lv)) {
                throw new TrainingDivergedException(epoch, b, lv);
            }
            stepper.backward(timer);
            if (options.clipNorm() > 0) {
                torch.clip_grad_norm_(params.vector(), options.clipNorm());
                lap("gradient clipping");
            }
            adam.step();
            lap("Adam");
            return lv;
        } finally {
            lap("step scope release");
        }
    }

    private void lap(String phase) {
        if (timer != null) {
            timer.lap(phase);
        }
    }

    /** @return the batches of one epoch: a seeded shuffle of 0..n−1 cut into chunks of bs */
    static List<int[]> epochBatches(int n, int bs, long seed, int epoch) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(mix(seed, epoch));
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < n; i += bs) {
            out.add(java.util.Arrays.copyOfRange(perm, i, Math.min(n, i + bs)));
        }
        return out;
    }

    /** SplitMix64-style mixing of a seed and a counter into one 64-bit seed. */
    static long mix(long seed, long k) {
        long x = seed * 0x9E3779B97F4A7C15L + k + 0x632BE59BD9B4E019L;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }

    private static float[][] standardize(double[][] y, StandardScaler s) {
        float[][] z = new float[y.length][];
        for (int i = 0; i < y.length; i++) {
            z[i] = new float[y[i].length];
            for (int t = 0; t < y[i].length; t++) {
                z[i][t] = Double.isNaN(y[i][t]) ? Float.NaN : (float) ((y[i][t] - s.mean(t)) / s.std(t));
            }
        }
        return z;
    }

    private String fingerprint(GraphSet train, GraphSet val, StandardScaler scaler) {
        ObjectNode n = JSON.createObjectNode();
        n.set("model", config.toJson(JSON));
        n.set("training", options.toJson(JSON));
        n.put("n_train", train.size());
        n.put("n_val", val.size());
        n.put("data_sha256", dataSha256);
        var m = n.putArray("scaler_mean");
        for (double v : scaler.means()) {
            m.add(v);
        }
        var s = n.putArray("scaler_std");
        for (double v : scaler.stds()) {
            s.add(v);
        }
        return n.toString();
    }

    private static List<String> defaultNames(int tasks) {
        List<String> names = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            names.add("target_" + (t + 1));
        }
        return names;
    }
}
