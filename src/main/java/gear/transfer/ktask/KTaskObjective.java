package gear.transfer.ktask;

import gear.chem.MolGraph;
import gear.nn.BatchGraph;
import gear.nn.DmpnnEncoder;
import gear.nn.DmpnnEncoderStep;
import gear.nn.Params;
import gear.nn.Tensors;
import gear.train.Engine;
import gear.train.Objective;
import gear.train.TaskType;
import gear.train.TrainingDivergedException;
import gear.transfer.Losses;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The k-task GEAR phase as an {@link Objective} of the training {@link Engine}, with the schedule of the
 * two-task target phase ({@code gear.transfer.TransferObjective}): an epoch is one shuffled pass over the
 * primary task's training set in batches of {@code batch_size}; each batch adds {@code source_batches ·
 * batch_size} molecules of every other task, each from its own shuffled order cycled across epochs (the
 * first other task's order is the two-task source order; the others' are seeded with their rank). The
 * selection score after each epoch is the primary task's validation score. All k networks are trained. The
 * D-MPNN embeddings are differentiated by the hand-derived {@link DmpnnEncoderStep} (as the two-task runs).
 */
final class KTaskObjective implements Objective {
    private final KTaskModel model;
    private final KTaskData data;
    private final long seed;
    private final int batchSize;
    private final int otherBatch;
    private final TaskType taskType;
    private final Params params;
    private final Map<String, Double> weights = new LinkedHashMap<>();
    private final Map<DmpnnEncoder, DmpnnEncoderStep> encoderSteps;
    private final List<Map.Entry<DmpnnEncoderStep, Tensor>> pending = new ArrayList<>();
    private gear.transfer.MoleculeCycle[] cycles;
    private Tensor loss;

    KTaskObjective(KTaskModel model, KTaskData data, long seed, TaskType taskType,
            Map<DmpnnEncoder, DmpnnEncoderStep> encoderSteps) {
        if (data.tasks() != model.tasks() || data.primary() != model.primary()) {
            throw new IllegalArgumentException("the data's tasks do not match the model's");
        }
        this.model = model;
        this.data = data;
        this.seed = seed;
        this.batchSize = model.options().batchSize();
        this.otherBatch = model.options().sourceBatches() * batchSize;
        this.taskType = taskType;
        this.encoderSteps = encoderSteps;
        this.params = model.params();
        for (int t = 0; t < data.tasks(); t++) {
            if (data.graphs().get(t).isEmpty()) {
                throw new IllegalArgumentException("the training set of task " + data.names().get(t) + " is empty");
            }
        }
        this.cycles = cycles();
    }

    static Map<DmpnnEncoder, DmpnnEncoderStep> encoderSteps(KTaskModel model) {
        Map<DmpnnEncoder, DmpnnEncoderStep> steps = new IdentityHashMap<>();
        for (int t = 0; t < model.tasks(); t++) {
            steps.computeIfAbsent(model.network(t).embedding(), DmpnnEncoderStep::new);
        }
        return steps;
    }

    private gear.transfer.MoleculeCycle[] cycles() {
        gear.transfer.MoleculeCycle[] c = new gear.transfer.MoleculeCycle[data.tasks()];
        int rank = 0;
        for (int t = 0; t < c.length; t++) {
            if (t != data.primary()) {
                c[t] = new gear.transfer.MoleculeCycle(data.graphs().get(t).size(), rank == 0 ? seed : Engine.mix(seed ^ 0x6B7A5C3DL, rank));
                rank++;
            }
        }
        return c;
    }

    KTaskModel model() {
        return model;
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
        return data.graphs().get(data.primary()).size();
    }

    @Override
    public List<int[]> batches(int epoch) {
        return Engine.shuffledBatches(trainSize(), batchSize, seed, epoch);
    }

    @Override
    public void beginEpoch(int epoch, List<int[]> batches) {
        weights.clear();
        for (String t : model.method().terms()) {
            weights.put(t, model.method().weight(t, model.options(), epoch));
        }
    }

    @Override
    public Map<String, Double> forward(int epoch, int b, int[] idx, long step, PointerScope scope) {
        int[][] rows = new int[data.tasks()][];
        for (int t = 0; t < rows.length; t++) {
            rows[t] = t == data.primary() ? idx : cycles[t].next(otherBatch);
        }
        return forward(rows, step, epoch);
    }

    /** The forward pass on the molecules {@code rows[τ]} of each task τ (the primary task's first in the batch). */
    Map<String, Double> forward(int[][] rows, long step, int epoch) {
        int k = data.tasks();
        List<Integer> order = new ArrayList<>(k);
        order.add(data.primary());
        for (int t = 0; t < k; t++) {
            if (t != data.primary()) {
                order.add(t);
            }
        }
        int n = 0;
        for (int[] r : rows) {
            n += r.length;
        }
        List<MolGraph> mols = new ArrayList<>(n);
        float[][] y = new float[k][n];
        int pos = 0;
        for (int t : order) {
            float[][] lab = data.labels().get(t);
            for (int i : rows[t]) {
                mols.add(data.graphs().get(t).get(i));
                for (int s = 0; s < k; s++) {
                    y[s][pos] = lab[s][i];
                }
                pos++;
            }
        }
        torch.manual_seed(Engine.mix(seed, step));
        BatchGraph batch = BatchGraph.of(mols, ScalarType.Float);
        List<Tensor> labels = new ArrayList<>(k);
        for (int s = 0; s < k; s++) {
            labels.add(Tensors.of(y[s], n));
        }
        params.zeroGrad();
        pending.clear();
        Map<String, Double> diagnostics = new LinkedHashMap<>();
        Map<String, Tensor> terms = model.method().terms(new KStep(this, batch, labels, n, step, epoch, diagnostics));
        loss = Losses.total(terms, weights);
        Map<String, Double> out = new LinkedHashMap<>();
        terms.forEach((key, v) -> out.put(key, v.item_double()));
        out.put(TOTAL, loss.item_double());
        diagnostics.forEach(out::putIfAbsent);
        return out;
    }

    @Override
    public void backward() {
        loss.backward();
        for (Map.Entry<DmpnnEncoderStep, Tensor> p : pending) {
            DmpnnEncoderStep st = p.getKey();
            Tensor g = p.getValue().grad();
            st.backward(g != null && g.defined() ? g : torch.zeros_like(p.getValue()), null);
            Tensor[] w = st.weights();
            Tensor[] gw = st.grads();
            for (int i = 0; i < w.length; i++) {
                w[i].mutable_grad().put(gw[i]);
            }
        }
        pending.clear();
        loss = null;
    }

    /** h_mol = Embedding(G) without an autograd graph, a leaf whose gradient {@link #backward} carries through. */
    Tensor embed(DmpnnEncoder e, BatchGraph batch) {
        DmpnnEncoderStep st = encoderSteps.get(e);
        for (Map.Entry<DmpnnEncoderStep, Tensor> p : pending) {
            if (p.getKey() == st) {
                throw new IllegalStateException("an embedding runs twice in one step");
            }
        }
        Tensor h = st.forward(batch, null).requires_grad_(true);
        pending.add(Map.entry(st, h));
        return h;
    }

    @Override
    public double validate(int epoch, int lastBatch) {
        if (data.valGraphs().isEmpty()) {
            return Double.NaN;
        }
        double[] p = model.predict(data.primary(), data.valGraphs());
        double score = taskType.metric(column(p), column(data.valY()))[0];
        if (!Double.isNaN(score) && !Double.isFinite(score)) {
            throw new TrainingDivergedException(epoch, lastBatch, score);
        }
        return score;
    }

    @Override
    public void restore(long steps) {
        cycles = cycles();
        for (long s = 0; s < steps; s++) {
            for (gear.transfer.MoleculeCycle c : cycles) {
                if (c != null) {
                    c.next(otherBatch);
                }
            }
        }
    }

    @Override
    public String fingerprint() {
        return model.method().name() + "-k " + model.options().toJson(new com.fasterxml.jackson.databind.ObjectMapper()) + " seed " + seed
                + " tasks " + data.names() + " primary " + data.primary() + " sizes "
                + data.graphs().stream().map(g -> String.valueOf(g.size())).toList() + " val " + data.valGraphs().size();
    }

    private static double[][] column(double[] v) {
        double[][] c = new double[v.length][1];
        for (int i = 0; i < v.length; i++) {
            c[i][0] = v[i];
        }
        return c;
    }
}
