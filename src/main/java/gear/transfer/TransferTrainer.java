package gear.transfer;

import gear.nn.Adam;
import gear.nn.DmpnnEncoder;
import gear.nn.DmpnnEncoderStep;
import gear.nn.Params;
import gear.train.Engine;
import gear.train.EpochStats;
import gear.train.Regression;
import gear.train.TaskType;
import gear.train.TrainListener;
import gear.train.TrainOptions;
import gear.train.TrainingDivergedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Trains a {@link TransferModel} with its method: the pretraining phase ({@link TransferMethod#pretrains})
 * and then the target phase, each a {@link TransferObjective} run through the one training {@link Engine}
 * (schedule, selection on the target validation score, early stopping, checkpoints, divergence check,
 * listeners). With a checkpoint directory each phase writes its own checkpoint after every epoch
 * ({@code checkpoint-pretrain.safetensors}, {@code checkpoint.safetensors}), and a resumed run continues
 * where the checkpoints end, with the same final weights as an uninterrupted run.
 *
 * <p>Pretraining to convergence: with {@code pretrain_val_fraction} f &gt; 0 a seeded share f of the source is
 * held out ({@link Pretraining#data}), the source network is scored on it after every pretraining epoch, the best
 * source epoch is kept and {@code pretrain_patience} stops early ({@code pretrain_epochs} is the maximum). With a
 * {@link PretrainCache} ({@link #pretrainCache}) the pretraining is taken from (or stored into) the cache, so that
 * finetune, KD and GSP-KD of one source, seed and pretraining options compute it once; {@code source_init
 * pretrained} warm-starts the source network of MTL, GATE and GEAR from the same pretraining.
 */
public final class TransferTrainer {
    /** File name of the pretraining phase's checkpoint in a checkpoint directory. */
    public static final String PRETRAIN_CHECKPOINT = "checkpoint-pretrain.safetensors";
    /** File name of the target phase's checkpoint. */
    public static final String CHECKPOINT = gear.train.Checkpoint.FILE;

    /**
     * Removes the phases' checkpoints from a complete run directory (of two or k tasks): they are several MB each and
     * only serve a resume.
     */
    public static void deleteCheckpoints(Path dir) throws java.io.IOException {
        java.nio.file.Files.deleteIfExists(dir.resolve(PRETRAIN_CHECKPOINT));
        java.nio.file.Files.deleteIfExists(dir.resolve(CHECKPOINT));
    }

    private final TransferModel model;
    private final long seed;
    private final boolean trainRmse;
    private final List<TrainListener> listeners = new ArrayList<>();
    /** One hand-derived D-MPNN step per embedding (shared embeddings have one), made before any step scope. */
    private Map<DmpnnEncoder, gear.nn.EncoderLanes> encoderSteps;
    /** The data-parallel lanes of the D-MPNN passes ({@code --threads}; their threads end when idle). */
    private gear.nn.Lanes lanes;
    private TaskType taskType = Regression.INSTANCE;
    private boolean handBackward = true;
    private Path checkpointDir;
    private boolean resume;
    private TransferObjective stepObjective;
    private PairData stepData;
    private PretrainCache cache;
    private String sourceData;
    private PretrainCache.Lookup lookup;

    /**
     * @param listener receives the events of both phases (may be null)
     */
    public TransferTrainer(TransferModel model, long seed, TrainListener listener) {
        this(model, seed, listener, false);
    }

    /** @param trainRmse also log the target training RMSE after every target-phase epoch ({@code train_rmse}) */
    public TransferTrainer(TransferModel model, long seed, TrainListener listener, boolean trainRmse) {
        this.model = model;
        this.seed = seed;
        this.trainRmse = trainRmse;
        if (listener != null) {
            listeners.add(listener);
        }
        this.lanes = new gear.nn.Lanes(gear.nn.Torch.lanes());
        this.encoderSteps = TransferObjective.encoderSteps(model, lanes);
    }

    /**
     * Runs the D-MPNN passes on {@code k} data-parallel lanes (default {@link gear.nn.Torch#lanes()}, the {@code --threads}
     * of the command); set it before the first step.
     */
    TransferTrainer lanes(int k) {
        this.lanes = new gear.nn.Lanes(k);
        this.encoderSteps = TransferObjective.encoderSteps(model, lanes);
        this.stepObjective = null;
        return this;
    }

    /** @return the lanes of the D-MPNN passes */
    gear.nn.Lanes lanes() {
        return lanes;
    }

    /** Sets the target's task type (default: regression): its loss, metric, selection direction and their names. */
    public TransferTrainer taskType(TaskType t) {
        this.taskType = t;
        return this;
    }

    /**
     * Whether the D-MPNN embeddings are differentiated by {@link DmpnnEncoderStep} (default) or by autograd
     * like the rest of the network (the reference the tests compare against).
     */
    TransferTrainer handBackward(boolean on) {
        this.handBackward = on;
        return this;
    }

    /** Writes the phases' checkpoints into {@code dir} after every epoch (null = none). */
    public TransferTrainer checkpointDir(Path dir) {
        this.checkpointDir = dir;
        return this;
    }

    /** Continue from the checkpoints in the checkpoint directory, when there are any. */
    public TransferTrainer resume(boolean r) {
        this.resume = r;
        return this;
    }

    /**
     * The result of training.
     *
     * @param history both phases' epochs (pretraining first)
     * @param bestEpoch the kept target-phase epoch (from 0)
     * @param bestValRmse its target validation score (NaN without validation data)
     */
    public record Fit(List<EpochStats> history, int bestEpoch, double bestValRmse) {}

    /**
     * Trains both phases.
     *
     * @throws IllegalArgumentException when a training set the method needs is empty
     * @throws TrainingDivergedException on a NaN or infinite loss
     */
    public Fit fit(PairData d) {
        TransferMethod m = model.method();
        TransferOptions o = model.options();
        List<EpochStats> history = new ArrayList<>();
        if (m.pretrains()) {
            history.addAll(pretrain(model, d, TransferMethod::afterPretrain));
        } else if (m.readsPretraining(o)) { // a warm start of the source network
            history.addAll(warmStart(d));
        }
        Engine.Result r = engine(o.epochs(), o.patience(), checkpointDir, CHECKPOINT, resume).run("train", objective(d, false));
        history.addAll(r.history());
        return new Fit(List.copyOf(history), r.bestEpoch(), r.bestScore());
    }

    /**
     * The pretraining phase of {@code target} (a model with a fine-tuning layout of the source network): from the
     * cache when one is set and holds it, else computed (and stored). {@code after} runs once the source weights are
     * in place.
     *
     * @return the pretraining epochs (those recorded in the cache on a hit)
     */
    private List<EpochStats> pretrain(TransferModel target, PairData d, java.util.function.BiConsumer<TransferMethod,
            TransferModel> after) {
        // the pretraining runs with its own learning rate and dropout (TransferOptions#pretraining); where they
        // differ from the target phase's, it trains a fine-tuning model of those options and hands over its
        // source network
        TransferOptions po = target.options().pretraining();
        TransferModel pre = po == target.options() ? target
                : new TransferModel(Methods.get("finetune"), po, seed, target.scaler(Task.SOURCE),
                        target.scaler(Task.TARGET), "source", "target", null).to(target.device());
        List<EpochStats> h = pretrainIn(pre, d);
        if (pre != target) {
            Params into = target.params(Task.SOURCE);
            into.copyFrom(pre.params(Task.SOURCE).snapshot());
        }
        after.accept(target.method(), target);
        return h;
    }

    /** Pretrains {@code target}'s source network (from the cache when one is set and holds it). */
    private List<EpochStats> pretrainIn(TransferModel target, PairData d) {
        if (cache == null) {
            return runPretrain(target, d, checkpointDir, resume).history();
        }
        PretrainCache.Lookup l = cache.phase(Pretraining.key(target.options(), seed, sourceData, handBackward,
                target.device().str().getString()), target.params(Task.SOURCE), PRETRAIN_CHECKPOINT,
                work -> runPretrain(target, d, work, true));
        lookup = l;
        return l.entry().history();
    }

    /**
     * {@code source_init pretrained}: the source network of a paired method starts from the shared pretraining (the
     * source network of a fine-tuning model of the same options and seed, pretrained as fine-tuning pretrains it):
     * embedding, encoder and head; a module shared with the target (MTL's embedding and encoder, GATE's embedding)
     * starts from the pretrained one as well. φ and ψ keep their initialization. {@code source_init both}: so do the
     * target network's own embedding and encoder (GATE's and GEAR's target encoder, GEAR's target embedding), as
     * fine-tuning's target network does ({@link gear.transfer.method.Finetune#afterPretrain}); its head keeps its
     * initialization.
     */
    private List<EpochStats> warmStart(PairData d) {
        SourcePretraining p = pretrainSource(model.options(), seed, model.scaler(Task.SOURCE), model.scaler(Task.TARGET),
                model.device(), d, t -> {
                    t.handBackward = handBackward;
                    t.listeners.addAll(listeners);
                    t.cache = cache;
                    t.sourceData = sourceData;
                    t.checkpointDir = checkpointDir;
                    t.resume = resume;
                });
        lookup = p.lookup();
        warmStartFrom(p.source(), model.params().asMap(), model.options().targetInitPretrained());
        return p.history();
    }

    /**
     * The shared source pretraining that a warm start copies from.
     *
     * @param source the pretrained source network: {@code source.embedding.*}, {@code source.encoder.*},
     *     {@code source.head.*}
     * @param history its epochs (those recorded in the cache on a hit)
     * @param lookup the cache lookup (null without a cache)
     */
    public record SourcePretraining(Map<String, org.bytedeco.pytorch.Tensor> source, List<EpochStats> history,
            PretrainCache.Lookup lookup) {}

    /**
     * The pretraining that {@code source_init pretrained} and {@code both} start from, on its own: a fine-tuning model
     * of {@code o.pretraining()} and {@code seed} whose source network is pretrained on {@code d}'s source as
     * fine-tuning pretrains it, by a trainer that {@code setup} configures (cache, checkpoint directory, resume,
     * listeners). The two-task warm start's, and each source's of a k-task warm start
     * ({@link gear.transfer.ktask.KTaskTrainer}), so that both share one cache entry for one source, seed and options.
     */
    public static SourcePretraining pretrainSource(TransferOptions o, long seed, gear.data.StandardScaler sourceScaler,
            gear.data.StandardScaler targetScaler, org.bytedeco.pytorch.Device device, PairData d,
            java.util.function.Consumer<TransferTrainer> setup) {
        TransferModel ft = new TransferModel(Methods.get("finetune"), o.pretraining(), seed, sourceScaler, targetScaler,
                "source", "target", null).to(device);
        TransferTrainer t = new TransferTrainer(ft, seed, null);
        setup.accept(t);
        List<EpochStats> h = t.pretrain(ft, d, (m, x) -> {});
        return new SourcePretraining(ft.params(Task.SOURCE).asMap(), h, t.lookup);
    }

    /** Adds listeners of both phases' events. */
    public TransferTrainer listeners(List<TrainListener> l) {
        listeners.addAll(l);
        return this;
    }

    /**
     * Copies a pretrained source network ({@code source.embedding.*}, {@code source.encoder.*},
     * {@code source.head.*}) into a paired model's parameters: into {@code source.*}, or {@code shared.*} where the
     * model shares the module; with {@code target}, the embedding and encoder also into {@code target.*} where the
     * target has its own.
     *
     * @return the names of the parameters written (package-private for tests)
     */
    static java.util.Set<String> warmStartFrom(Map<String, org.bytedeco.pytorch.Tensor> pretrained,
            Map<String, org.bytedeco.pytorch.Tensor> mine, boolean target) {
        Map<String, org.bytedeco.pytorch.Tensor> into = new java.util.LinkedHashMap<>();
        for (String module : List.of("embedding.", "encoder.", "head.")) {
            for (Map.Entry<String, org.bytedeco.pytorch.Tensor> e : pretrained.entrySet()) {
                String k = e.getKey();
                if (!k.startsWith("source." + module)) {
                    continue;
                }
                String rest = k.substring("source.".length());
                String name = mine.containsKey("source." + rest) ? "source." + rest : "shared." + rest;
                if (mine.containsKey(name)) {
                    into.put(name, e.getValue());
                }
                if (target && !module.equals("head.") && mine.containsKey("target." + rest)) {
                    into.put("target." + rest, e.getValue());
                }
            }
        }
        try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
            into.forEach((k, v) -> mine.get(k).copy_(v));
        }
        return into.keySet();
    }

    private Engine.Result runPretrain(TransferModel target, PairData d, Path ckptDir, boolean res) {
        TransferOptions o = target.options();
        PairData pd = Pretraining.data(d, o, seed, target.scaler(Task.SOURCE));
        TransferObjective obj = new TransferObjective(target, pd, true, seed, trainRmse, taskType,
                target == model ? encoderSteps : TransferObjective.encoderSteps(target, lanes), lanes, handBackward);
        if (o.pretrainValFraction() > 0) {
            obj.validateSource();
        }
        return engine(target, o.pretrainEpochs(), o.pretrainPatience(), ckptDir, PRETRAIN_CHECKPOINT, res)
                .run("pretrain", obj);
    }

    /** Times the phases of {@link #step} when set. */
    private gear.nn.PhaseTimer stepTimer;

    private TransferObjective objective(PairData d, boolean pretrain) {
        return new TransferObjective(model, d, pretrain, seed, trainRmse, taskType, encoderSteps, lanes, handBackward);
    }

    private Engine engine(int epochs, int patience, Path dir, String checkpointFile, boolean res) {
        return engine(model, epochs, patience, dir, checkpointFile, res);
    }

    private Engine engine(TransferModel m, int epochs, int patience, Path dir, String checkpointFile, boolean res) {
        TrainOptions t = m.options().training(epochs, patience, seed);
        return new Engine(t, taskType).listeners(listeners).resume(res)
                .checkpoint(dir == null ? null : dir.resolve(checkpointFile));
    }

    /**
     * Takes the pretraining from (and stores it into) a cache shared by runs (null = none, every run pretrains).
     *
     * @param sourceData a digest of the source molecules and values the pretraining reads ({@link Pretraining#key})
     */
    public TransferTrainer pretrainCache(PretrainCache c, String sourceData) {
        this.cache = c;
        this.sourceData = sourceData;
        return this;
    }

    /** @return the cache lookup of the last {@link #fit} (null without a cache or without pretraining) */
    public PretrainCache.Lookup pretrainLookup() {
        return lookup;
    }

    /**
     * One optimizer step of the target phase on target molecules {@code ti} and source molecules {@code si}
     * outside the engine (for tests and benchmarks).
     *
     * @return the value of each term (and {@code total})
     */
    public Map<String, Double> step(Params params, Adam adam, PairData d, int[] ti, int[] si, long step, int epoch, int b,
            double clip) {
        if (stepObjective == null || stepData != d) {
            stepObjective = objective(d, false);
            stepData = d;
        }
        TransferObjective obj = stepObjective;
        obj.profile(stepTimer);
        return obj.trainStep(adam, epoch, b, params, clip, () -> obj.forward(ti, si, step, epoch));
    }

    /**
     * Times the phases of the following {@link #step} calls on {@code t} (null = stop timing): batch, D-MPNN
     * forward, the method's terms (their names come from the method), total, autograd backward, D-MPNN backward,
     * Adam. For benchmarks ({@code gear bench train --method M --profile}).
     */
    public TransferTrainer profile(gear.nn.PhaseTimer t) {
        this.stepTimer = t;
        return this;
    }
}
