package gear.train;

import gear.data.StandardScaler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.BadInputException;
import gear.nn.Dmpnn;
import gear.nn.DmpnnConfig;
import gear.nn.DmpnnTrainStep;
import gear.nn.PhaseTimer;
import gear.nn.Torch;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Single-task (or multi-target) training of a {@link Dmpnn} on one split with chemprop v1 semantics
 * (Yang et al., JCIM 59:3370, 2019): a {@link DmpnnObjective} run through the {@link Engine} in one phase,
 * {@code train}:
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
 * TrainResult r = new Trainer(DmpnnConfig.defaults(1), TrainOptions.defaults().with(TrainOptions.SEED, 0L))
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
    private int lanes;
    private PhaseTimer timer;
    private TaskType taskType = Regression.INSTANCE;
    private java.util.Set<String> frozen = java.util.Set.of();
    private org.bytedeco.pytorch.Device device;

    /** A trainer for a model with {@code config}, trained with {@code options}. */
    public Trainer(DmpnnConfig config, TrainOptions options) {
        this.config = config;
        this.options = options;
    }

    /**
     * Runs each step's D-MPNN data-parallel on {@code k} lanes ({@link gear.nn.EncoderLanes}; default: {@link Torch#lanes()},
     * the {@code --threads} of {@code gear train}); results agree with one lane up to float summation order.
     */
    public Trainer lanes(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("lanes must be at least 1, got " + k);
        }
        this.lanes = k;
        return this;
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

    /** Sets the task type (default {@link Regression}). */
    public Trainer taskType(TaskType t) {
        this.taskType = t;
        return this;
    }

    /**
     * Leaves the named parameters of the network unchanged during training (frozen layers, e.g. {@link #encoderParams}
     * and {@link #ffnLayerParams} of a network started from another model's weights). They are part of the checkpoint's
     * fingerprint: a run resumed with other frozen layers is refused.
     */
    public Trainer freeze(java.util.Set<String> names) {
        this.frozen = java.util.Set.copyOf(names);
        return this;
    }

    /** @return the names of the message-passing encoder's parameters of {@code net} ({@code encoder.*}) */
    public static java.util.Set<String> encoderParams(Dmpnn net) {
        java.util.Set<String> s = new java.util.LinkedHashSet<>();
        for (String n : net.params().asMap().keySet()) {
            if (n.startsWith("encoder.")) {
                s.add(n);
            }
        }
        return s;
    }

    /**
     * @return the names of the first {@code layers} FFN layers' parameters of {@code net} ({@code head.k.*}, k &lt; layers)
     * @throws IllegalArgumentException when {@code layers} is negative or more than the FFN has
     */
    public static java.util.Set<String> ffnLayerParams(Dmpnn net, int layers) {
        int have = net.config().ffnNumLayers();
        if (layers < 0 || layers > have) {
            throw new IllegalArgumentException("--freeze-ffn-layers " + layers + ": the FFN has " + have + " layers (0.." + have
                    + " can be frozen)");
        }
        java.util.Set<String> s = new java.util.LinkedHashSet<>();
        for (int k = 0; k < layers; k++) {
            s.add("head." + k + ".weight");
            s.add("head." + k + ".bias");
        }
        return s;
    }

    /**
     * Trains on {@code device} ({@code --device}; null, the default: where the network's weights are, the CPU for a
     * new one): the network is moved there ({@link Dmpnn#to}) before training, and its batches, targets, gradients
     * and Adam state live there; losses, validation scores and predictions come back to the CPU, and checkpoints and
     * model files are the same device-independent files.
     */
    public Trainer device(org.bytedeco.pytorch.Device d) {
        this.device = d;
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
        return run(network, train, val, scaler);
    }

    private TrainResult run(Dmpnn net, GraphSet train, GraphSet val, StandardScaler scaler) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("the training split is empty");
        }
        int tasks = config.numTasks() / taskType.outputsPerTarget();
        if (config.numTasks() % taskType.outputsPerTarget() != 0 || train.numTasks() != tasks || (val.size() > 0 && val.numTasks() != tasks) || scaler.numTargets() != tasks) {
            throw new IllegalArgumentException("model has " + tasks + " outputs; train has " + train.numTasks()
                    + " targets, validation " + val.numTasks() + ", scaler " + scaler.numTargets());
        }
        List<String> names = targetNames != null ? targetNames : defaultNames(tasks);
        if (device != null) {
            net.to(device);
        }
        TrainedModel model = new TrainedModel(net, scaler, names, Provenance.now(dataSha256, options.seed()), options,
                taskType);
        DmpnnObjective objective = new DmpnnObjective(model, taskType, train, val, options.batchSize(), options.seed(),
                fingerprint(train, val, scaler), lookahead, timer, lanes > 0 ? lanes : Torch.lanes());
        objective.freeze(frozen);
        Engine engine = new Engine(options, taskType).listeners(listeners).profile(timer).resume(resume)
                .checkpoint(checkpointDir == null ? null : checkpointDir.resolve(Checkpoint.FILE));
        Engine.Result r = engine.run("train", objective);
        return new TrainResult(model, r.history(), r.bestEpoch(), val.size() > 0 ? r.bestScore() : Double.NaN,
                r.stoppedEarly());
    }

    /** @return the batches of one epoch: a seeded shuffle of 0..n−1 cut into chunks of bs ({@link Engine#shuffledBatches}) */
    static List<int[]> epochBatches(int n, int bs, long seed, int epoch) {
        return Engine.shuffledBatches(n, bs, seed, epoch);
    }

    private String fingerprint(GraphSet train, GraphSet val, StandardScaler scaler) {
        ObjectNode n = JSON.createObjectNode();
        n.set("model", config.toJson(JSON));
        n.set("training", options.toJson(JSON));
        n.put("n_train", train.size());
        n.put("n_val", val.size());
        n.put("data_sha256", dataSha256);
        if (taskType != Regression.INSTANCE) {
            n.put("task_type", taskType.name());
        }
        if (!frozen.isEmpty()) { // a run with other frozen layers is another run (absent when none: older checkpoints stay valid)
            var f = n.putArray("frozen");
            new java.util.TreeSet<>(frozen).forEach(f::add);
        }
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
