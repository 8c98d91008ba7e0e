package gear.train;

import gear.chem.MolGraph;
import gear.data.StandardScaler;
import gear.nn.BatchGraph;
import gear.nn.BatchParts;
import gear.nn.Dmpnn;
import gear.nn.DmpnnConfig;
import gear.nn.DmpnnTrainStep;
import gear.nn.Lanes;
import gear.nn.Params;
import gear.nn.PhaseTimer;
import gear.nn.Tensors;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The single-task (or multi-target) objective of a {@link Dmpnn} (chemprop v1): the task type's loss on
 * scaled targets (masked MSE for {@link Regression}), one term ({@value Objective#TOTAL}), differentiated
 * by the hand-derived {@link DmpnnTrainStep} from the loss gradient at the head; batches built ahead on a
 * background thread ({@link BatchPipeline}), or with several lanes on the last lane after its part of the
 * backward pass, while the training thread runs the gradient sum, the optimizer step and the next batch's
 * targets (so that the build does not take a core from the lanes' forward and backward passes); validation
 * score the task type's metric in original units,
 * averaged over targets. With dropout, libtorch's generator is re-seeded from (seed, step) before each batch.
 * With K {@link Lanes}, each batch is built in K parts and the D-MPNN runs data-parallel
 * ({@link gear.nn.EncoderLanes}): the same loss and gradients up to float summation order.
 * Batches and targets are made on the device of the network's weights ({@link Dmpnn#to}); the loss and the
 * validation predictions come back to the CPU as numbers.
 */
final class DmpnnObjective implements Objective {
    private final Dmpnn net;
    private final DmpnnConfig config;
    private final TrainedModel model;
    private final TaskType taskType;
    private final GraphSet train;
    private final GraphSet val;
    private final float[][] z;
    private final long seed;
    private final String fingerprint;
    private final DmpnnTrainStep stepper;
    private final BatchPipeline pipeline;
    private final List<BatchGraph.Arrays> valBatches = new ArrayList<>();
    private final PhaseTimer timer;
    private final int batchSize;
    private final Lanes lanes;
    private Iterator<BatchParts> it;
    /** Several lanes: this epoch's batches, the one in progress, and the next one being built on the last lane. */
    private List<int[]> epochBatches;
    private int current;
    private int aheadIndex = -1;
    private Future<BatchParts> ahead;
    private java.util.Set<String> frozen = java.util.Set.of();

    DmpnnObjective(TrainedModel model, TaskType taskType, GraphSet train, GraphSet val, int batchSize, long seed,
            String fingerprint, int lookahead, PhaseTimer timer, int lanes) {
        this.model = model;
        this.net = model.network();
        this.config = net.config();
        this.taskType = taskType;
        this.train = train;
        this.val = val;
        this.batchSize = batchSize;
        this.seed = seed;
        this.fingerprint = fingerprint;
        this.timer = timer;
        this.z = scaled(train.targets(), model.scaler());
        this.lanes = new Lanes(lanes);
        this.stepper = new DmpnnTrainStep(net, this.lanes);
        for (int i = 0; i < val.size(); i += TrainedModel.PREDICT_BATCH) {
            valBatches.add(BatchGraph.arrays(val.graphs().subList(i, Math.min(val.size(), i + TrainedModel.PREDICT_BATCH))));
        }
        this.pipeline = new BatchPipeline(lookahead);
    }

    @Override
    public Params params() {
        return net.params();
    }

    /** Leaves the named parameters unchanged ({@link Objective#frozen}). */
    void freeze(java.util.Set<String> names) {
        for (String n : names) {
            if (!net.params().asMap().containsKey(n)) {
                throw new IllegalArgumentException("cannot freeze '" + n + "': the network has no such parameter");
            }
        }
        frozen = java.util.Set.copyOf(names);
    }

    @Override
    public java.util.Set<String> frozen() {
        return frozen;
    }

    @Override
    public int trainSize() {
        return train.size();
    }

    @Override
    public List<int[]> batches(int epoch) {
        return Engine.shuffledBatches(train.size(), batchSize, seed, epoch);
    }

    @Override
    public void beginEpoch(int epoch, List<int[]> batches) {
        if (lanes.size() > 1) {
            dropAhead();
            epochBatches = batches;
            return;
        }
        // one lane: the whole batch on the device of the weights, built ahead on the background thread
        it = pipeline.stream(train.graphs(), batches, mols -> BatchParts.whole(net.batch(BatchGraph.arrays(mols)), mols));
    }

    @Override
    public Map<String, Double> forward(int epoch, int b, int[] idx, long step, PointerScope scope) {
        BatchParts batch = lanes.size() == 1 ? it.next() : parts(b, idx);
        lap("batch wait");
        int tasks = model.scaler().numTargets();
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
        if (config.dropout() > 0) {
            torch.manual_seed(Engine.mix(seed, step));
        }
        batch.attach(scope);
        Tensor tt = Tensors.of(target, idx.length, tasks);
        Tensor mt = Tensors.of(mask, idx.length, tasks);
        if (config.float64()) {
            tt = tt.to(config.dtype());
            mt = mt.to(config.dtype());
        }
        tt = net.onDevice(tt);
        mt = net.onDevice(mt);
        lap("batch tensors");
        double lv = stepper.forward(batch, taskType.headLoss(tt, mt), timer);
        Map<String, Double> terms = new LinkedHashMap<>();
        terms.put(TOTAL, lv);
        return terms;
    }

    @Override
    public void backward() {
        stepper.backward(timer);
        lanes.release();
        if (lanes.size() > 1 && current + 1 < epochBatches.size()) {
            // the next batch's parts, built on the last lane while this thread runs the optimizer step
            List<MolGraph> next = mols(epochBatches.get(current + 1));
            aheadIndex = current + 1;
            ahead = lanes.background(() -> BatchParts.built(next, lanes.size(), config.dtype()));
        }
    }

    @Override
    public double validate(int epoch, int lastBatch) {
        if (val.size() == 0) {
            return Double.NaN;
        }
        double[][] pred = model.predictBatches(valBatches);
        for (double[] row : pred) {
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw new TrainingDivergedException(epoch, lastBatch, v);
                }
            }
        }
        return TrainedModel.meanOverTasks(taskType.metric(pred, val.targets()));
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public void close() {
        dropAhead();
        pipeline.close();
        lanes.close();
    }

    private void lap(String phase) {
        if (timer != null) {
            timer.lap(phase);
        }
    }

    /**
     * Batch b in parts for the lanes: the one built ahead on the last lane, or (the first batch of an epoch, or after a
     * resume) parts that each lane makes on request.
     */
    private BatchParts parts(int b, int[] idx) {
        current = b;
        Future<BatchParts> f = ahead;
        boolean built = f != null && aheadIndex == b;
        if (!built) {
            dropAhead();
            return BatchParts.of(mols(idx), lanes.size(), config.dtype());
        }
        ahead = null;
        return BatchPipeline.await(f);
    }

    /** Frees a batch built ahead and not used (its tensors were made outside any scope). */
    private void dropAhead() {
        Future<BatchParts> f = ahead;
        ahead = null;
        aheadIndex = -1;
        if (f == null) {
            return;
        }
        try (PointerScope s = new PointerScope()) {
            f.get().attach(s);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // the build failed and left nothing to free
        }
    }

    private List<MolGraph> mols(int[] idx) {
        List<MolGraph> m = new ArrayList<>(idx.length);
        for (int i : idx) {
            m.add(train.graphs().get(i));
        }
        return m;
    }

    private static float[][] scaled(double[][] y, StandardScaler s) {
        float[][] z = new float[y.length][];
        for (int i = 0; i < y.length; i++) {
            z[i] = new float[y[i].length];
            for (int t = 0; t < y[i].length; t++) {
                z[i][t] = Double.isNaN(y[i][t]) ? Float.NaN : (float) ((y[i][t] - s.mean(t)) / s.std(t));
            }
        }
        return z;
    }
}
