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
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.global.torch;

/**
 * Trains a {@link TransferModel} with its method: the pretraining phase ({@link TransferMethod#pretrains})
 * and then the target phase, each a {@link TransferObjective} run through the one training {@link Engine}
 * (schedule, selection on the target validation score, early stopping, checkpoints, divergence check,
 * listeners). With a checkpoint directory each phase writes its own checkpoint after every epoch
 * ({@code checkpoint-pretrain.safetensors}, {@code checkpoint.safetensors}), and a resumed run continues
 * where the checkpoints end, with the same final weights as an uninterrupted run.
 */
public final class TransferTrainer {
    /** File name of the pretraining phase's checkpoint in a checkpoint directory. */
    public static final String PRETRAIN_CHECKPOINT = "checkpoint-pretrain.safetensors";
    /** File name of the target phase's checkpoint. */
    public static final String CHECKPOINT = gear.train.Checkpoint.FILE;

    private final TransferModel model;
    private final long seed;
    private final boolean trainRmse;
    private final List<TrainListener> listeners = new ArrayList<>();
    /** One hand-derived D-MPNN step per embedding (shared embeddings have one), made before any step scope. */
    private final Map<DmpnnEncoder, DmpnnEncoderStep> encoderSteps;
    private TaskType taskType = Regression.INSTANCE;
    private boolean handBackward = true;
    private Path checkpointDir;
    private boolean resume;
    private TransferObjective stepObjective;
    private PairData stepData;

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
        this.encoderSteps = TransferObjective.encoderSteps(model);
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
            Engine.Result pre = engine(o.pretrainEpochs(), 0, PRETRAIN_CHECKPOINT).run("pretrain", objective(d, true));
            history.addAll(pre.history());
            m.afterPretrain(model);
        }
        Engine.Result r = engine(o.epochs(), o.patience(), CHECKPOINT).run("train", objective(d, false));
        history.addAll(r.history());
        return new Fit(List.copyOf(history), r.bestEpoch(), r.bestScore());
    }

    private TransferObjective objective(PairData d, boolean pretrain) {
        return new TransferObjective(model, d, pretrain, seed, trainRmse, taskType, encoderSteps, handBackward);
    }

    private Engine engine(int epochs, int patience, String checkpointFile) {
        TransferOptions o = model.options();
        TrainOptions t = o.training(epochs, patience, seed);
        return new Engine(t, taskType).listeners(listeners).resume(resume)
                .checkpoint(checkpointDir == null ? null : checkpointDir.resolve(checkpointFile));
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
        obj.beginEpoch(epoch, List.of());
        try (PointerScope scope = new PointerScope()) {
            Map<String, Double> terms = obj.forward(ti, si, step, epoch);
            double lv = terms.get(gear.train.Objective.TOTAL);
            if (!Double.isFinite(lv)) {
                throw new TrainingDivergedException(epoch, b, lv);
            }
            obj.backward();
            if (clip > 0) {
                torch.clip_grad_norm_(params.vector(), clip);
            }
            adam.step();
            return terms;
        }
    }
}
