package gear.transfer;

import gear.chem.MolGraph;
import gear.nn.BatchParts;
import gear.nn.DmpnnEncoder;
import gear.nn.DmpnnEncoderStep;
import gear.nn.EncoderLanes;
import gear.nn.Lanes;
import gear.nn.Params;
import gear.nn.PhaseTimer;
import gear.nn.Tensors;
import gear.train.Engine;
import gear.train.Objective;
import gear.train.TaskType;
import gear.train.TrainingDivergedException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * One phase of a transfer method as an {@link Objective} of the training {@link Engine}
 * (design/GEAR.md §4–5).
 *
 * <p><b>Pretraining</b> ({@link TransferMethod#pretrains}): the source network on source mini-batches,
 * term {@code reg}; one epoch is a pass over the source training set, shuffled per epoch; no selection
 * (the last epoch is kept), unless {@code pretrain_val_fraction} holds out a source validation split
 * ({@link #validateSource}): then the best source epoch is kept and {@code pretrain_patience} stops early.
 *
 * <p><b>Target phase.</b> An epoch is one pass over the target training set (shuffled per epoch); a paired
 * method's batch adds {@code source_batches · batchSize} source molecules (default 1 · batchSize) from a
 * shuffled source order that is cycled (re-shuffled when used up) across epochs, so that one target epoch of
 * N_t molecules shows the paired method about {@code source_batches · N_t} source molecules. Why: the target is the task being evaluated, so model selection
 * (target validation score after each epoch), the schedule and the number of optimizer steps are the same
 * as for STL on the same target, which makes the methods comparable step for step. Every molecule of a
 * batch goes through the networks the method runs; each supervised term is masked to the molecules
 * labelled for its task. The terms come from {@link TransferMethod#terms(StepContext)}, weighted by
 * {@link TransferMethod#weight}; libtorch's generator is re-seeded from (seed, step) before each batch.
 *
 * <p><b>Device.</b> The batch, its labels and everything the method computes from them live on the model's device
 * ({@link TransferModel#to}); the term values come back to the CPU as numbers.
 *
 * <p><b>Backward.</b> The D-MPNN embeddings are differentiated by {@link DmpnnEncoderStep} (hand-derived,
 * default) or by autograd like the rest of the network (the reference the tests compare against): with the
 * hand backward the D-MPNN runs without an autograd graph, h_mol is a leaf that autograd differentiates,
 * and after {@code loss.backward()} ∂L/∂h_mol is carried through the D-MPNN. With K {@link Lanes} the D-MPNN
 * passes run data-parallel ({@link EncoderLanes}: part k of the batch on lane k, the same dropout draws, gradients
 * summed in part order), everything past the molecule vectors on the calling thread but what a method runs side by
 * side with {@link StepContext#both} (GEAR's two metric terms): the same losses and gradients up to float summation order.
 */
final class TransferObjective implements Objective {
    private final TransferModel model;
    private final TransferMethod method;
    private final PairData data;
    private final boolean pretrain;
    private final long seed;
    private final int batchSize;
    /** Source molecules per paired step: {@code source_batches · batchSize}. */
    private final int sourceBatch;
    private final boolean trainRmse;
    private final TaskType taskType;
    private final Params params;
    private final Map<String, Double> weights = new LinkedHashMap<>();
    /** One hand-derived D-MPNN step per embedding (shared embeddings have one), made before any step scope. */
    private final Map<DmpnnEncoder, EncoderLanes> encoderSteps;
    /** Embeddings run in the current step: their step and the molecule vectors autograd differentiates. */
    private final List<Map.Entry<EncoderLanes, Tensor>> pending = new ArrayList<>();
    private final Lanes lanes;
    private final boolean handBackward;
    private MoleculeCycle cycle;
    private Tensor loss;
    /** Pretraining only: whether {@link #validate} scores the source network on the data's validation molecules. */
    private boolean sourceValidation;
    /** Times the phases of each step when set ({@code gear bench train --method M --profile}); null = not timed. */
    private PhaseTimer timer;

    TransferObjective(TransferModel model, PairData data, boolean pretrain, long seed, boolean trainRmse,
            TaskType taskType, Map<DmpnnEncoder, EncoderLanes> encoderSteps, Lanes lanes, boolean handBackward) {
        this.model = model;
        this.method = model.method();
        this.data = data;
        this.pretrain = pretrain;
        this.seed = seed;
        this.batchSize = model.options().batchSize();
        this.sourceBatch = model.options().sourceBatches() * batchSize;
        this.trainRmse = trainRmse;
        this.taskType = taskType;
        this.encoderSteps = encoderSteps;
        this.lanes = lanes;
        this.handBackward = handBackward;
        this.params = pretrain ? model.params(Task.SOURCE)
                : method.trainsBothTasks() ? model.params() : model.params(Task.TARGET);
        this.cycle = new MoleculeCycle(data.sourceGraphs().size(), seed);
        if (pretrain && data.sourceGraphs().isEmpty()) {
            throw new IllegalArgumentException("the source training set is empty (after removing target test molecules)");
        }
        if (!pretrain && data.targetGraphs().isEmpty()) {
            throw new IllegalArgumentException("the target training set is empty");
        }
        if (!pretrain && method.paired() && data.sourceGraphs().isEmpty()) {
            throw new IllegalArgumentException("the source training set is empty (after removing target test molecules)");
        }
    }

    /** @return the hand-derived steps, on {@code lanes}, for every embedding of the model's trained networks */
    static Map<DmpnnEncoder, EncoderLanes> encoderSteps(TransferModel model, Lanes lanes) {
        Map<DmpnnEncoder, EncoderLanes> steps = new IdentityHashMap<>();
        for (Task t : Task.values()) {
            if (model.hasTask(t)) {
                steps.computeIfAbsent(model.network(t).embedding(), e -> new EncoderLanes(e, lanes));
            }
        }
        return steps;
    }

    /** @return the molecules as one batch (one lane: made now, as one graph) or cut into parts for the lanes */
    private BatchParts batchOf(List<MolGraph> mols) {
        // one lane: the whole batch on the device of the weights; several lanes run on the CPU (TransferCommand
        // refuses --threads > 1 off the CPU)
        return lanes.size() == 1 ? BatchParts.whole(model.batch(mols), mols)
                : BatchParts.of(mols, lanes.size(), ScalarType.Float);
    }

    TransferModel model() {
        return model;
    }

    /** @return the lanes of the step's data-parallel work */
    Lanes lanes() {
        return lanes;
    }

    /** Times the phases of the following steps on {@code t} (null = stop timing). */
    void profile(PhaseTimer t) {
        this.timer = t;
    }

    /** Charges the time since the previous lap to {@code phase} (no-op unless profiling). */
    void lap(String phase) {
        if (timer != null) {
            timer.lap(phase);
        }
    }

    TaskType taskType() {
        return taskType;
    }

    long seed() {
        return seed;
    }

    @Override
    public Params params() {
        return params;
    }

    @Override
    public int trainSize() {
        return pretrain ? data.sourceGraphs().size() : data.targetGraphs().size();
    }

    @Override
    public List<int[]> batches(int epoch) {
        return pretrain ? Engine.shuffledBatches(trainSize(), batchSize, seed ^ 0x7F4A7C15L, epoch)
                : Engine.shuffledBatches(trainSize(), batchSize, seed, epoch);
    }

    @Override
    public void beginEpoch(int epoch, List<int[]> batches) {
        weights.clear();
        if (!pretrain) {
            for (String t : method.terms()) {
                weights.put(t, method.weight(t, model.options(), epoch));
            }
        }
    }

    @Override
    public Map<String, Double> forward(int epoch, int b, int[] idx, long step, PointerScope scope) {
        return pretrain ? pretrainForward(idx) : forward(idx, method.paired() ? cycle.next(sourceBatch) : new int[0], step,
                epoch);
    }

    /** The target-phase forward pass on target molecules {@code ti} and source molecules {@code si}. */
    Map<String, Double> forward(int[] ti, int[] si, long step, int epoch) {
        int n = ti.length + si.length;
        List<MolGraph> mols = new ArrayList<>(n);
        float[] ys = new float[n];
        float[] yt = new float[n];
        for (int k = 0; k < ti.length; k++) {
            mols.add(data.targetGraphs().get(ti[k]));
            yt[k] = data.targetYt()[ti[k]];
            ys[k] = data.targetYs()[ti[k]];
        }
        for (int k = 0; k < si.length; k++) {
            mols.add(data.sourceGraphs().get(si[k]));
            ys[ti.length + k] = data.sourceYs()[si[k]];
            yt[ti.length + k] = data.sourceYt()[si[k]];
        }
        torch.manual_seed(Engine.mix(seed, step));
        BatchParts batch = batchOf(mols);
        Tensor tys = model.onDevice(Tensors.of(ys, n));
        Tensor tyt = model.onDevice(Tensors.of(yt, n));
        params.zeroGrad();
        pending.clear();
        lap("batch");
        Map<String, Double> diagnostics = new LinkedHashMap<>();
        Map<String, Tensor> terms = method.terms(new StepContext(this, batch, tys, tyt, n, step, epoch, diagnostics));
        Map<String, Double> out = total(terms, diagnostics);
        lap("total + values");
        return out;
    }

    private Map<String, Double> pretrainForward(int[] idx) {
        List<MolGraph> mols = new ArrayList<>(idx.length);
        float[] ys = new float[idx.length];
        for (int k = 0; k < idx.length; k++) {
            mols.add(data.sourceGraphs().get(idx[k]));
            ys[k] = data.sourceYs()[idx[k]];
        }
        BatchParts batch = batchOf(mols);
        TaskNetwork s = model.network(Task.SOURCE);
        params.zeroGrad();
        pending.clear();
        Map<String, Tensor> terms = new LinkedHashMap<>();
        Tensor z = s.encoder().forward(embed(s.embedding(), batch), true);
        terms.put("reg", taskType.loss(s.head().forward(z, true), model.onDevice(Tensors.of(ys, ys.length))));
        return total(terms, new LinkedHashMap<>());
    }

    /** Weighted sum (terms of weight 0 left out), then the values in log order: terms, total, diagnostics. */
    private Map<String, Double> total(Map<String, Tensor> terms, Map<String, Double> diagnostics) {
        loss = Losses.total(terms, weights);
        Map<String, Double> out = new LinkedHashMap<>();
        for (String k : method.terms()) {
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
        for (String k : method.diagnostics()) {
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
     * Pretraining: validate on the source, the data's validation molecules holding source molecules with their
     * source values in original units ({@link TransferTrainer#pretrainData}); the engine then keeps the best source
     * epoch and can stop early.
     */
    void validateSource() {
        if (!pretrain) {
            throw new IllegalStateException("only the pretraining phase validates on the source");
        }
        this.sourceValidation = true;
    }

    @Override
    public double validate(int epoch, int lastBatch) {
        if ((pretrain && !sourceValidation) || data.valGraphs().isEmpty()) {
            return Double.NaN;
        }
        double[] p = model.predict(pretrain ? Task.SOURCE : Task.TARGET, data.valGraphs());
        double score = taskType.metric(column(p), column(data.valY()))[0];
        if (!Double.isNaN(score) && !Double.isFinite(score)) {
            throw new TrainingDivergedException(epoch, lastBatch, score);
        }
        return score;
    }

    @Override
    public Map<String, Double> epochExtras(int epoch) {
        if (pretrain || !trainRmse) {
            return Map.of();
        }
        return Map.of(taskType.trainColumn(), trainRmse());
    }

    /**
     * The task type's metric (RMSE for regression) of the current target predictions over the target training
     * molecules, in original units,
     * against the labels trained on (de-scaled). Prediction runs without gradient and draws no random
     * numbers, so it does not change training.
     */
    private double trainRmse() {
        double[] p = model.predict(Task.TARGET, data.targetGraphs());
        gear.data.StandardScaler sc = model.scaler(Task.TARGET);
        double[] y = new double[p.length];
        for (int i = 0; i < y.length; i++) {
            float v = data.targetYt()[i];
            y[i] = Float.isNaN(v) ? Double.NaN : v * sc.std(0) + sc.mean(0);
        }
        return taskType.metric(column(p), column(y))[0];
    }

    @Override
    public void restore(long steps) {
        if (!pretrain && method.paired()) {
            cycle = new MoleculeCycle(data.sourceGraphs().size(), seed);
            for (long s = 0; s < steps; s++) {
                cycle.next(sourceBatch);
            }
        }
    }

    @Override
    public String fingerprint() {
        return method.name() + " " + model.options().toJson(new com.fasterxml.jackson.databind.ObjectMapper()) + " seed "
                + seed + " source " + data.sourceGraphs().size() + " target " + data.targetGraphs().size() + " val "
                + data.valGraphs().size() + " train_rmse " + trainRmse;
    }

    private static double[][] column(double[] v) {
        double[][] c = new double[v.length][1];
        for (int i = 0; i < v.length; i++) {
            c[i][0] = v[i];
        }
        return c;
    }
}
