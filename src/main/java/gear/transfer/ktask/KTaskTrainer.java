package gear.transfer.ktask;

import gear.nn.Adam;
import gear.nn.DmpnnEncoder;
import gear.nn.DmpnnEncoderStep;
import gear.train.Engine;
import gear.train.EpochStats;
import gear.train.Objective;
import gear.train.Regression;
import gear.train.TrainListener;
import gear.train.TrainingDivergedException;
import gear.transfer.TransferOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.global.torch;

/**
 * Trains a {@link KTaskModel} with k-task GEAR ({@link KGear}) through the one training {@link Engine}
 * (schedule, selection on the primary task's validation score, early stopping, checkpoints, divergence check,
 * listeners); the phase is called {@code train} as the two-task GEAR's target phase.
 */
public final class KTaskTrainer {
    private final KTaskModel model;
    private final long seed;
    private final List<TrainListener> listeners = new ArrayList<>();
    private final Map<DmpnnEncoder, DmpnnEncoderStep> encoderSteps;
    private Path checkpoint;
    private boolean resume;
    private KTaskObjective stepObjective;
    private KTaskData stepData;

    /** @param listener receives the epochs (may be null) */
    public KTaskTrainer(KTaskModel model, long seed, TrainListener listener) {
        this.model = model;
        this.seed = seed;
        if (listener != null) {
            listeners.add(listener);
        }
        this.encoderSteps = KTaskObjective.encoderSteps(model);
    }

    /** Writes a checkpoint to this file after every epoch (null = none). */
    public KTaskTrainer checkpoint(Path file) {
        this.checkpoint = file;
        return this;
    }

    /** Continue from the checkpoint when there is one. */
    public KTaskTrainer resume(boolean r) {
        this.resume = r;
        return this;
    }

    /**
     * The result of training.
     *
     * @param history the epochs
     * @param bestEpoch the kept epoch (from 0)
     * @param bestValScore its primary validation score (NaN without validation data)
     */
    public record Fit(List<EpochStats> history, int bestEpoch, double bestValScore) {}

    /**
     * Trains.
     *
     * @throws IllegalArgumentException when a task's training set is empty or the data do not fit the model
     * @throws TrainingDivergedException on a NaN or infinite loss
     */
    public Fit fit(KTaskData d) {
        TransferOptions o = model.options();
        Engine e = new Engine(o.training(o.epochs(), o.patience(), seed), Regression.INSTANCE).listeners(listeners)
                .resume(resume).checkpoint(checkpoint);
        Engine.Result r = e.run("train", new KTaskObjective(model, d, seed, Regression.INSTANCE, encoderSteps));
        return new Fit(r.history(), r.bestEpoch(), r.bestScore());
    }

    /**
     * One optimizer step on the molecules {@code rows[τ]} of each task outside the engine (tests, benchmarks).
     *
     * @return the value of each term and {@code total}
     */
    public Map<String, Double> step(Adam adam, KTaskData d, int[][] rows, long step, int epoch) {
        if (stepObjective == null || stepData != d) {
            stepObjective = new KTaskObjective(model, d, seed, Regression.INSTANCE, encoderSteps);
            stepData = d;
        }
        KTaskObjective obj = stepObjective;
        obj.beginEpoch(epoch, List.of());
        try (PointerScope scope = new PointerScope()) {
            Map<String, Double> terms = obj.forward(rows, step, epoch);
            double lv = terms.get(Objective.TOTAL);
            if (!Double.isFinite(lv)) {
                throw new TrainingDivergedException(epoch, 0, lv);
            }
            obj.backward();
            adam.step();
            return terms;
        }
    }
}
