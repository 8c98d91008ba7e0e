package gear.transfer;

import gear.chem.MolGraph;
import gear.nn.Adam;
import gear.nn.BatchGraph;
import gear.nn.BatchParts;
import gear.nn.DmpnnEncoder;
import gear.nn.DmpnnEncoderStep;
import gear.nn.EncoderLanes;
import gear.nn.Lanes;
import gear.nn.Params;
import gear.nn.PhaseTimer;
import gear.train.Engine;
import gear.train.Objective;
import gear.train.TaskType;
import gear.train.TrainingDivergedException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * What every training phase of a transfer model shares, the two-task phases ({@link TransferObjective}) and the
 * k-task ones ({@code gear.transfer.ktask.KTaskObjective}): one {@link Objective} of the training {@link Engine}
 * whose step
 * <ol>
 *   <li>re-seeds libtorch's generator from (seed, step), assembles the molecules of the batch (one graph on the
 *       model's device, or cut into parts for the data-parallel {@link Lanes}) and zeroes the gradients
 *       ({@link #begin});</li>
 *   <li>lets the method compute its unweighted terms on a {@link PhaseStep}, the D-MPNN embeddings through
 *       {@link #embed} (hand-derived backward, {@link DmpnnEncoderStep}, run data-parallel by {@link EncoderLanes});</li>
 *   <li>weights them, L = Σ_j w_j(epoch) · L_j over the terms of nonzero weight ({@link Losses#total}), and
 *       returns the values in log order ({@link #finish});</li>
 *   <li>differentiates L: autograd down to the molecule vectors h_mol, then ∂L/∂h_mol through each D-MPNN by hand
 *       ({@link #backward}).</li>
 * </ol>
 * With K lanes the D-MPNN passes run part k of the batch on lane k with the one-lane dropout draws and the gradients
 * summed in part order, so the losses and gradients are those of one lane up to float summation order and never
 * depend on timing. {@link #trainStep} is the same step outside the engine (tests, benchmarks).
 */
public abstract class PhaseObjective implements Objective {
    private final Params params;
    private final long seed;
    private final int batchSize;
    private final TaskType taskType;
    private final Map<String, Double> weights = new LinkedHashMap<>();
    /** One hand-derived D-MPNN step per embedding (shared embeddings have one), made before any step scope. */
    private final Map<DmpnnEncoder, EncoderLanes> encoderSteps;
    /** Embeddings run in the current step: their step and the molecule vectors autograd differentiates. */
    private final List<Map.Entry<EncoderLanes, Tensor>> pending = new ArrayList<>();
    private final Lanes lanes;
    private final boolean handBackward;
    private Tensor loss;
    /** Times the phases of each step when set ({@code gear bench train --method M --profile}); null = not timed. */
    private PhaseTimer timer;

    /**
     * @param params the parameters the phase trains
     * @param encoderSteps the hand-derived D-MPNN steps of the embeddings ({@link #encoderSteps}), on {@code lanes}
     * @param handBackward whether the D-MPNN embeddings are differentiated by hand (else by autograd, on one lane)
     */
    protected PhaseObjective(Params params, long seed, int batchSize, TaskType taskType,
            Map<DmpnnEncoder, EncoderLanes> encoderSteps, Lanes lanes, boolean handBackward) {
        this.params = params;
        this.seed = seed;
        this.batchSize = batchSize;
        this.taskType = taskType;
        this.encoderSteps = encoderSteps;
        this.lanes = lanes;
        this.handBackward = handBackward;
    }

    /** @return one hand-derived step on {@code lanes} per distinct embedding (a shared embedding has one) */
    public static Map<DmpnnEncoder, EncoderLanes> encoderSteps(List<DmpnnEncoder> embeddings, Lanes lanes) {
        Map<DmpnnEncoder, EncoderLanes> steps = new IdentityHashMap<>();
        for (DmpnnEncoder e : embeddings) {
            steps.computeIfAbsent(e, x -> new EncoderLanes(x, lanes));
        }
        return steps;
    }

    /** @return the phase's model */
    protected abstract PhaseModel phaseModel();

    /** @return the molecules as one batch graph on the model's device */
    protected final BatchGraph wholeBatch(List<MolGraph> mols) {
        return phaseModel().batch(mols);
    }

    /** @return {@code t} on the model's device */
    protected final Tensor onDevice(Tensor t) {
        return phaseModel().onDevice(t);
    }

    /** @return the run's options */
    protected final TransferOptions options() {
        return phaseModel().options();
    }

    /** @return the weight of each term in {@code epoch}, in the method's order (none: a phase of one term, weight 1) */
    protected abstract Map<String, Double> termWeights(int epoch);

    /** @return each of {@code terms}, in their order, with its weight (for {@link #termWeights}) */
    protected static Map<String, Double> weighted(List<String> terms, java.util.function.ToDoubleFunction<String> weight) {
        Map<String, Double> w = new java.util.LinkedHashMap<>();
        for (String t : terms) {
            w.put(t, weight.applyAsDouble(t));
        }
        return w;
    }

    @Override
    public Params params() {
        return params;
    }

    /** @return the run seed */
    public long seed() {
        return seed;
    }

    /** @return the molecules per batch */
    protected int batchSize() {
        return batchSize;
    }

    /** @return the task type (loss and metric) */
    public TaskType taskType() {
        return taskType;
    }

    /** @return the lanes of the step's data-parallel work */
    public Lanes lanes() {
        return lanes;
    }

    /** Times the phases of the following steps on {@code t} (null = stop timing). */
    public void profile(PhaseTimer t) {
        this.timer = t;
    }

    /** Charges the time since the previous lap to {@code phase} (no-op unless profiling). */
    public void lap(String phase) {
        if (timer != null) {
            timer.lap(phase);
        }
    }

    @Override
    public void beginEpoch(int epoch, List<int[]> batches) {
        weights.clear();
        weights.putAll(termWeights(epoch));
    }

    /**
     * Starts a step: re-seeds libtorch's generator from (seed, step) when {@code seeded}, assembles the batch (one
     * lane: one graph on the model's device; several lanes: parts on the CPU, {@code --threads} &gt; 1 being refused
     * off the CPU) and zeroes the gradients.
     */
    protected BatchParts begin(List<MolGraph> mols, long step, boolean seeded) {
        if (seeded) {
            torch.manual_seed(Engine.mix(seed, step));
        }
        BatchParts batch = lanes.size() == 1 ? BatchParts.whole(wholeBatch(mols), mols)
                : BatchParts.of(mols, lanes.size(), ScalarType.Float);
        params.zeroGrad();
        pending.clear();
        return batch;
    }

    /**
     * Ends a step's forward pass: the weighted sum L of {@code terms} (terms of weight 0 left out) and the values in
     * log order: the terms ({@code termOrder} first, then the others in their order), {@code total}, the diagnostics
     * ({@code diagnosticOrder} first).
     */
    protected Map<String, Double> finish(Map<String, Tensor> terms, Map<String, Double> diagnostics,
            List<String> termOrder, List<String> diagnosticOrder) {
        loss = Losses.total(terms, weights);
        Map<String, Double> out = new LinkedHashMap<>();
        for (String k : termOrder) {
            if (terms.containsKey(k)) {
                out.put(k, terms.get(k).item_double());
            }
        }
        terms.forEach((k, v) -> {
            if (!out.containsKey(k)) {
                out.put(k, v.item_double());
            }
        });
        out.put(TOTAL, loss.item_double());
        for (String k : diagnosticOrder) {
            if (diagnostics.containsKey(k)) {
                out.put(k, diagnostics.get(k));
            }
        }
        diagnostics.forEach(out::putIfAbsent);
        return out;
    }

    /**
     * Releases the lanes' scopes: a step that failed before its backward pass (a diverged loss, an exception in the
     * method's terms) leaves the tensors its lanes made open until then.
     */
    @Override
    public void close() {
        lanes.release();
    }

    @Override
    public void backward() {
        loss.backward();
        lap("autograd backward");
        for (Map.Entry<EncoderLanes, Tensor> p : pending) {
            EncoderLanes st = p.getKey();
            Tensor g = p.getValue().grad();
            st.backward(g != null && g.defined() ? g : torch.zeros_like(p.getValue()), null);
            Tensor[] w = st.weights();
            Tensor[] gw = st.grads();
            for (int i = 0; i < w.length; i++) {
                w[i].mutable_grad().put(gw[i]);
            }
        }
        lap("dmpnn backward");
        pending.clear();
        loss = null;
        lanes.release();
    }

    /**
     * h_mol = Embedding(G) in training mode. With the hand-derived backward, the D-MPNN runs without an
     * autograd graph and h_mol is a leaf; {@link #backward} carries ∂L/∂h_mol through the D-MPNN. The
     * values are the same up to floating-point summation order, the gradients those of autograd
     * (TransferHandBackwardTest).
     *
     * @throws IllegalStateException when the embedding already ran in this step
     */
    Tensor embed(DmpnnEncoder e, BatchParts batch) {
        if (!handBackward) {
            return e.forward(batch.whole(), true);
        }
        EncoderLanes st = encoderSteps.get(e);
        for (Map.Entry<EncoderLanes, Tensor> p : pending) {
            if (p.getKey() == st) {
                throw new IllegalStateException("an embedding runs twice in one step");
            }
        }
        Tensor h = st.forward(batch, null).requires_grad_(true);
        pending.add(Map.entry(st, h));
        lap("dmpnn forward");
        return h;
    }

    /**
     * h_mol = Embedding(G) of a frozen network (a distillation teacher), evaluated without dropout and without an
     * autograd graph. With the hand-derived backward and an embedding without dropout it runs through the
     * embedding's buffered forward pass ({@link DmpnnEncoderStep#forward}, the pass {@code StepPredictor} uses for
     * prediction), the same values as {@code e.forward(batch, false)} up to float round-off; otherwise through
     * {@link DmpnnEncoder#forward}. The result is detached and leaves nothing for {@link #backward}.
     */
    Tensor teacherEmbed(DmpnnEncoder e, BatchParts batch) {
        try (NoGradGuard g = new NoGradGuard()) {
            EncoderLanes st = handBackward && e.dropout() == 0 ? encoderSteps.get(e) : null;
            if (st == null) {
                return e.forward(batch.whole(), false).detach();
            }
            for (Map.Entry<EncoderLanes, Tensor> p : pending) {
                if (p.getKey() == st) {
                    throw new IllegalStateException("a teacher embedding is also trained in this step");
                }
            }
            return st.forward(batch, null).detach();
        }
    }

    /**
     * @return {@code score}, a validation score
     * @throws TrainingDivergedException when it is infinite (NaN = no validation data passes)
     */
    protected static double checked(int epoch, int lastBatch, double score) {
        if (!Double.isNaN(score) && !Double.isFinite(score)) {
            throw new TrainingDivergedException(epoch, lastBatch, score);
        }
        return score;
    }

    /** @return the task type's metric (RMSE for regression) of predictions against values, both one column */
    protected double metric(double[] predicted, double[] truth) {
        return taskType.metric(column(predicted), column(truth))[0];
    }

    private static double[][] column(double[] v) {
        double[][] c = new double[v.length][1];
        for (int i = 0; i < v.length; i++) {
            c[i][0] = v[i];
        }
        return c;
    }

    /**
     * One optimizer step outside the engine (tests, benchmarks): the terms of epoch {@code epoch}, the forward pass
     * {@code forward} (which calls {@link #begin} and {@link #finish}), the backward pass, the gradient norm clipped
     * to {@code clip} over {@code clipped} ({@code clip} ≤ 0: not clipped), the Adam update.
     *
     * @return the value of each term (and {@code total})
     * @throws TrainingDivergedException on a NaN or infinite loss
     */
    public Map<String, Double> trainStep(Adam adam, int epoch, int b, Params clipped, double clip,
            Supplier<Map<String, Double>> forward) {
        if (timer != null) {
            timer.start();
        }
        beginEpoch(epoch, List.of());
        Map<String, Double> terms;
        try (PointerScope scope = new PointerScope()) {
            terms = forward.get();
            double lv = terms.get(TOTAL);
            if (!Double.isFinite(lv)) {
                throw new TrainingDivergedException(epoch, b, lv);
            }
            backward();
            if (clip > 0) {
                torch.clip_grad_norm_(clipped.vector(), clip);
            }
            adam.step();
            lap("adam");
        } catch (RuntimeException | Error e) {
            lanes.release(); // a step that failed before its backward pass leaves the lanes' scopes open
            throw e;
        }
        lap("release step tensors");
        return terms;
    }
}
