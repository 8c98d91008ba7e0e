package gear.train;

import gear.data.BadInputException;
import gear.nn.Adam;
import gear.nn.Params;
import gear.nn.PhaseTimer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The one training loop of gear: single-task D-MPNN training and every phase of every transfer method
 * run through it, each as an {@link Objective}. Per phase:
 *
 * <ul>
 *   <li>Adam ({@link Adam}) with chemprop's {@link NoamSchedule} stepped per batch (linear warm-up from
 *       init_lr to max_lr over warmup_epochs, then exponential decay to final_lr at the last step);</li>
 *   <li>per step: the objective's forward pass inside a {@link PointerScope}; a NaN or infinite
 *       {@value Objective#TOTAL} loss stops training with a {@link TrainingDivergedException} naming epoch
 *       and batch before that batch changes the weights; its backward; optional clipping of the
 *       gradient's global L2 norm; the optimizer step;</li>
 *   <li>after each epoch: the validation score; model selection through the {@link TaskType} (an epoch
 *       is kept when it beats the best score by more than {@code minDelta}, in the task's direction;
 *       without validation data every epoch is kept, so the last one wins); early stopping after
 *       {@code patience} epochs without improvement (0 = never); an atomic {@link Checkpoint} when a
 *       checkpoint file is set; the listeners;</li>
 *   <li>at the end the kept epoch's weights are copied back into the parameters.</li>
 * </ul>
 *
 * <p>Deterministic on the CPU: the shuffle of epoch k is drawn from a generator re-created from
 * (seed, k) and any other randomness of an objective is re-seeded per step, so (seed, epochs done,
 * steps) is the complete random state: a run resumed from a checkpoint ends with the same weights as
 * an uninterrupted one. The options are a {@link TrainOptions}; the thread count is that of
 * {@link gear.nn.Torch} (set once per process by the command).
 *
 * <p>Device: the engine runs where the objective's parameters live (all on one device, checked at the start of a
 * phase): the optimizer state, the best-epoch snapshot and the gradients are made beside them, the objective puts
 * its batches there, and only numbers (loss terms, validation scores) come back to the CPU. Checkpoints are
 * device-independent files: written from the device, read on the CPU and copied into the parameters.
 *
 * <pre>{@code
 * Engine.Result r = new Engine(options, Regression.INSTANCE).checkpoint(dir.resolve("checkpoint.safetensors"))
 *         .resume(true).listener(TrainListeners.console(false)).run("train", objective);
 * }</pre>
 */
public final class Engine {
    private final TrainOptions options;
    private final TaskType taskType;
    private final List<TrainListener> listeners = new ArrayList<>();
    private Path checkpoint;
    private boolean resume;
    private PhaseTimer timer;

    /**
     * The outcome of one phase.
     *
     * @param history one entry per epoch of the phase, including epochs run before a resume
     * @param bestEpoch index (from 0) of the epoch whose weights were kept
     * @param bestScore its validation score (NaN without validation data)
     * @param stoppedEarly whether early stopping ended the phase before its last epoch
     */
    public record Result(List<EpochStats> history, int bestEpoch, double bestScore, boolean stoppedEarly) {}

    /** An engine with these options and this task type (direction of model selection). */
    public Engine(TrainOptions options, TaskType taskType) {
        this.options = options;
        this.taskType = taskType;
    }

    /** Adds a listener (called in the order added). */
    public Engine listener(TrainListener l) {
        listeners.add(l);
        return this;
    }

    /** Adds listeners. */
    public Engine listeners(List<TrainListener> ls) {
        listeners.addAll(ls);
        return this;
    }

    /** Writes a checkpoint to {@code file} after every epoch (null = none). */
    public Engine checkpoint(Path file) {
        this.checkpoint = file;
        return this;
    }

    /** Continue from the checkpoint file when there is one. */
    public Engine resume(boolean r) {
        this.resume = r;
        return this;
    }

    /** Charges the time of the step phases and the per-epoch work to {@code t} (null = no profiling). */
    public Engine profile(PhaseTimer t) {
        this.timer = t;
        return this;
    }

    /** @return the options */
    public TrainOptions options() {
        return options;
    }

    /**
     * Runs one phase; the objective is closed at the end.
     *
     * @param phase the phase name for the listeners and the logs ({@code train}, {@code pretrain})
     * @throws TrainingDivergedException on a NaN or infinite loss or validation prediction
     * @throws BadInputException when the checkpoint to resume from is corrupt or from other settings
     * @throws UncheckedIOException when a checkpoint cannot be written
     */
    public Result run(String phase, Objective objective) {
        try (objective) {
            return loop(phase, objective);
        } catch (TrainingDivergedException d) {
            TrainingDivergedException e = d.inPhase(phase); // "at pretrain epoch 1": the message names the phase
            failed(e);
            throw e;
        } catch (RuntimeException | Error e) {
            failed(e);
            throw e;
        }
    }

    /** Tells the listeners that the phase failed with {@code e}. */
    private void failed(Throwable e) {
        for (TrainListener l : listeners) {
            try {
                l.onTrainingFailed(e);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
        }
    }

    private Result loop(String phase, Objective o) {
        int n = o.trainSize();
        if (n == 0) {
            throw new IllegalArgumentException("the training set of phase " + phase + " is empty");
        }
        int epochs = options.epochs();
        int bs = options.batchSize();
        Params params = o.params();
        params.device(); // one device for all of them (else a clear error before the first step)
        Adam adam = new Adam(params, options.initLr());
        NoamSchedule schedule = new NoamSchedule(Math.min(options.warmupEpochs(), epochs), epochs,
                NoamSchedule.stepsPerEpoch(n, bs), options.initLr(), options.maxLr(), options.finalLr());
        Map<String, Tensor> best = params.snapshot();
        String fingerprint = phase + " " + options.toJson(new com.fasterxml.jackson.databind.ObjectMapper()) + " "
                + o.fingerprint();
        int firstEpoch = 0;
        long step = 0;
        int bestEpoch = -1;
        double bestScore = taskType.worst();
        int since = 0;
        List<EpochStats> history = new ArrayList<>();
        if (resume && checkpoint != null && Files.isRegularFile(checkpoint)) {
            Checkpoint.Loaded c = Checkpoint.read(checkpoint);
            if (!c.state().fingerprint().equals(fingerprint)) {
                throw new BadInputException(checkpoint + ": checkpoint was written with other settings or data; "
                        + "delete it or use the original settings (checkpoint: " + c.state().fingerprint()
                        + "; now: " + fingerprint + ")");
            }
            try {
                params.copyFrom(c.model());
                Params.copyInto(best, c.best());
                adam.load(c.adam());
            } catch (IllegalArgumentException e) {
                throw new BadInputException(checkpoint + ": corrupt checkpoint (" + e.getMessage() + ")", e);
            }
            firstEpoch = c.state().epochsDone();
            step = c.state().globalStep();
            bestEpoch = c.state().bestEpoch();
            bestScore = c.state().bestScore();
            since = c.state().sinceImprovement();
            history.addAll(c.state().history());
            o.restore(step);
        }
        int batchesPerEpoch = (n + bs - 1) / bs;
        for (TrainListener l : listeners) {
            l.onTrainingStart(firstEpoch, epochs, batchesPerEpoch);
        }
        boolean stoppedEarly = false;
        if (options.patience() > 0 && since >= options.patience()) {
            stoppedEarly = true;
            firstEpoch = epochs;
        }
        for (int epoch = firstEpoch; epoch < epochs; epoch++) {
            long t0 = System.nanoTime();
            List<int[]> batches = o.batches(epoch);
            o.beginEpoch(epoch, batches);
            Map<String, Double> sums = new LinkedHashMap<>();
            double lr = options.initLr();
            for (int b = 0; b < batches.size(); b++) {
                if (timer != null) {
                    timer.start();
                }
                lr = schedule.lr(step);
                adam.setLr(lr);
                Map<String, Double> terms = step(o, params, adam, epoch, b, batches.get(b), step);
                terms.forEach((k, v) -> sums.merge(k, v, Double::sum));
                step++;
                double total = terms.getOrDefault(Objective.TOTAL, Double.NaN);
                for (TrainListener l : listeners) {
                    l.onBatchEnd(epoch, b, total);
                }
            }
            if (timer != null) {
                timer.start();
            }
            double score = o.validate(epoch, batches.size() - 1);
            if (!Double.isNaN(score) && !Double.isFinite(score)) {
                throw new TrainingDivergedException(epoch, batches.size() - 1, score);
            }
            lap("validation");
            boolean improved = Double.isNaN(score) || taskType.improves(score, bestScore, options.minDelta());
            if (improved) {
                if (!Double.isNaN(score)) {
                    bestScore = score;
                }
                bestEpoch = epoch;
                since = 0;
                Params.copyInto(best, params.asMap());
            } else {
                since++;
            }
            Map<String, Double> means = new LinkedHashMap<>();
            sums.forEach((k, v) -> means.put(k, v / batches.size()));
            means.putAll(o.epochExtras(epoch));
            EpochStats stats = new EpochStats(phase, epoch, epochs, means, score, lr, (System.nanoTime() - t0) / 1e9,
                    improved);
            history.add(stats);
            if (checkpoint != null) {
                try {
                    Checkpoint.write(checkpoint, params, best, adam, new Checkpoint.State(epoch + 1, step, bestEpoch,
                            bestScore, since, history, options.seed(), fingerprint));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write checkpoint " + checkpoint + ": " + e.getMessage(), e);
                }
            }
            for (TrainListener l : listeners) {
                l.onEpochEnd(stats);
            }
            if (options.patience() > 0 && since >= options.patience() && epoch < epochs - 1) {
                stoppedEarly = true;
                break;
            }
        }
        params.copyFrom(best);
        double reported = bestEpoch >= 0 && Double.isFinite(bestScore) ? bestScore : Double.NaN;
        Result result = new Result(List.copyOf(history), bestEpoch, reported, stoppedEarly);
        for (TrainListener l : listeners) {
            l.onTrainingEnd(result);
        }
        return result;
    }

    private Map<String, Double> step(Objective o, Params params, Adam adam, int epoch, int b, int[] idx, long step) {
        try (PointerScope scope = new PointerScope()) {
            Map<String, Double> terms = o.forward(epoch, b, idx, step, scope);
            double total = terms.getOrDefault(Objective.TOTAL, Double.NaN);
            if (!Double.isFinite(total)) {
                throw new TrainingDivergedException(epoch, b, total);
            }
            o.backward();
            for (String name : o.frozen()) {
                Tensor g = params.get(name).grad();
                if (g != null && g.defined()) {
                    g.zero_();
                }
            }
            if (options.clipNorm() > 0) {
                torch.clip_grad_norm_(params.vector(), options.clipNorm());
                lap("gradient clipping");
            }
            adam.step();
            lap("Adam");
            return terms;
        } finally {
            lap("step scope release");
        }
    }

    private void lap(String phase) {
        if (timer != null) {
            timer.lap(phase);
        }
    }

    /** @return the batches of one epoch: a shuffle of 0..n−1 seeded by (seed, epoch), cut into chunks of bs */
    public static List<int[]> shuffledBatches(int n, int bs, long seed, int epoch) {
        int[] perm = permutation(n, new SplittableRandom(mix(seed, epoch)));
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < n; i += bs) {
            out.add(Arrays.copyOfRange(perm, i, Math.min(n, i + bs)));
        }
        return out;
    }

    /** @return a Fisher–Yates permutation of 0..n−1 drawn from {@code r} */
    public static int[] permutation(int n, SplittableRandom r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** SplitMix64-style mixing of a seed and a counter into one 64-bit seed. */
    public static long mix(long seed, long k) {
        long x = seed * 0x9E3779B97F4A7C15L + k + 0x632BE59BD9B4E019L;
        x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
        x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
        return x ^ (x >>> 31);
    }
}
