package gear.transfer;

import gear.chem.MolGraph;
import gear.nn.BatchGraph;
import gear.nn.BatchParts;
import gear.nn.DmpnnEncoder;
import gear.nn.DmpnnEncoderStep;
import gear.nn.EncoderLanes;
import gear.nn.Lanes;
import gear.nn.Tensors;
import gear.train.Engine;
import gear.train.Objective;
import gear.train.TaskType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

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
 * The step itself (seeding, batch, weighting, backward) is the one of every phase, {@link PhaseObjective}.
 */
final class TransferObjective extends PhaseObjective {
    private final TransferModel model;
    private final TransferMethod method;
    private final PairData data;
    private final boolean pretrain;
    /** Source molecules per paired step: {@code source_batches · batchSize}. */
    private final int sourceBatch;
    private final boolean trainRmse;
    private MoleculeCycle cycle;
    /** Pretraining only: whether {@link #validate} scores the source network on the data's validation molecules. */
    private boolean sourceValidation;

    TransferObjective(TransferModel model, PairData data, boolean pretrain, long seed, boolean trainRmse,
            TaskType taskType, Map<DmpnnEncoder, EncoderLanes> encoderSteps, Lanes lanes, boolean handBackward) {
        super(pretrain ? model.params(Task.SOURCE) : model.method().trainsBothTasks() ? model.params()
                : model.params(Task.TARGET), seed, model.options().batchSize(), taskType, encoderSteps, lanes,
                handBackward);
        this.model = model;
        this.method = model.method();
        this.data = data;
        this.pretrain = pretrain;
        this.sourceBatch = model.options().sourceBatches() * batchSize();
        this.trainRmse = trainRmse;
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
        List<DmpnnEncoder> embeddings = new ArrayList<>();
        for (Task t : Task.values()) {
            if (model.hasTask(t)) {
                embeddings.add(model.network(t).embedding());
            }
        }
        return encoderSteps(embeddings, lanes);
    }

    TransferModel model() {
        return model;
    }

    @Override
    protected gear.transfer.PhaseModel phaseModel() {
        return model;
    }

    @Override
    protected Map<String, Double> termWeights(int epoch) {
        return pretrain ? Map.of() : weighted(method.terms(), t -> method.weight(t, model.options(), epoch));
    }

    @Override
    public int trainSize() {
        return pretrain ? data.sourceGraphs().size() : data.targetGraphs().size();
    }

    @Override
    public List<int[]> batches(int epoch) {
        return pretrain ? Engine.shuffledBatches(trainSize(), batchSize(), seed() ^ 0x7F4A7C15L, epoch)
                : Engine.shuffledBatches(trainSize(), batchSize(), seed(), epoch);
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
        BatchParts batch = begin(mols, step, true);
        Tensor tys = model.onDevice(Tensors.of(ys, n));
        Tensor tyt = model.onDevice(Tensors.of(yt, n));
        lap("batch");
        Map<String, Double> diagnostics = new LinkedHashMap<>();
        Map<String, Tensor> terms = method.terms(new StepContext(this, batch, tys, tyt, n, step, epoch, diagnostics));
        Map<String, Double> out = finish(terms, diagnostics, method.terms(), method.diagnostics());
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
        BatchParts batch = begin(mols, 0, false);
        TaskNetwork s = model.network(Task.SOURCE);
        Map<String, Tensor> terms = new LinkedHashMap<>();
        Tensor z = s.encoder().forward(embed(s.embedding(), batch), true);
        terms.put("reg", taskType().loss(s.head().forward(z, true), model.onDevice(Tensors.of(ys, ys.length))));
        return finish(terms, new LinkedHashMap<>(), method.terms(), method.diagnostics());
    }

    /**
     * Pretraining: validate on the source, the data's validation molecules holding source molecules with their
     * source values in original units ({@link Pretraining#data}); the engine then keeps the best source
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
        return checked(epoch, lastBatch, metric(p, data.valY()));
    }

    @Override
    public Map<String, Double> epochExtras(int epoch) {
        if (pretrain || !trainRmse) {
            return Map.of();
        }
        return Map.of(taskType().trainColumn(), trainRmse());
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
        return metric(p, y);
    }

    @Override
    public void restore(long steps) {
        if (!pretrain && method.paired()) {
            cycle = new MoleculeCycle(data.sourceGraphs().size(), seed());
            for (long s = 0; s < steps; s++) {
                cycle.next(sourceBatch);
            }
        }
    }

    @Override
    public String fingerprint() {
        return method.name() + " " + model.options().fingerprintJson(new com.fasterxml.jackson.databind.ObjectMapper()) + " seed "
                + seed() + " source " + data.sourceGraphs().size() + " target " + data.targetGraphs().size() + " val "
                + data.valGraphs().size() + " train_rmse " + trainRmse;
    }
}
