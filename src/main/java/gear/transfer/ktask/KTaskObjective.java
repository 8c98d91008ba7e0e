package gear.transfer.ktask;

import gear.chem.MolGraph;
import gear.nn.BatchGraph;
import gear.nn.BatchParts;
import gear.nn.DmpnnEncoder;
import gear.nn.EncoderLanes;
import gear.nn.Lanes;
import gear.nn.Tensors;
import gear.train.Engine;
import gear.train.Objective;
import gear.train.TaskType;
import gear.transfer.MoleculeCycle;
import gear.transfer.PhaseObjective;
import gear.transfer.TransferOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * The k-task GEAR phase as an {@link Objective} of the training {@link Engine}, with the schedule of the
 * two-task target phase ({@code gear.transfer.TransferObjective}): an epoch is one shuffled pass over the
 * primary task's training set in batches of {@code batch_size}; each batch adds {@code source_batches ·
 * batch_size} molecules of every other task, each from its own shuffled order cycled across epochs (the
 * first other task's order is the two-task source order; the others' are seeded with their rank). The
 * selection score after each epoch is the primary task's validation score; with further evaluated tasks
 * ({@link KTaskData#alsoEvaluated}) it is the mean over the evaluated tasks of the validation RMSE in standardized
 * units, RMSE_τ/σ_τ (σ_τ the std of τ's training labels, the model's scaler), and each task's RMSE in its own units
 * is logged as {@code val_rmse_<task>}. All k networks are trained. The step is the two-task runs' one
 * ({@link PhaseObjective}: seeding, weighting, the hand-derived D-MPNN backward, data-parallel on the {@code --threads}
 * lanes).
 *
 * <p>A method that pretrains ({@link KMethod#pretrains}) trains in this target phase on the evaluated tasks only
 * (the other tasks get no molecules). Its pretraining phase is a <em>pooled</em> objective ({@link #pooled}): an
 * epoch is one shuffled pass over the union of the tasks' training molecules (the evaluated tasks have none
 * there), with no cycles.
 */
final class KTaskObjective extends PhaseObjective {
    private final KTaskModel model;
    private final KTaskData data;
    private final int otherBatch;
    private final boolean pooled;
    private final int[] offsets;
    private final Map<String, Double> valExtras = new LinkedHashMap<>();
    private MoleculeCycle[] cycles;
    private boolean trainRmse;

    /**
     * @param encoderSteps the hand-derived D-MPNN steps of the model's embeddings ({@link #encoderSteps}) on
     *     {@code lanes}
     * @param pooled the pretraining phase of a pretraining method: epochs over the union of every task's training
     *     molecules
     */
    KTaskObjective(KTaskModel model, KTaskData data, long seed, TaskType taskType,
            Map<DmpnnEncoder, EncoderLanes> encoderSteps, Lanes lanes, boolean pooled) {
        super(model.params(), seed, model.options().batchSize(), taskType, encoderSteps, lanes, true);
        if (data.tasks() != model.tasks() || (!pooled && data.primary() != model.primary())) {
            throw new IllegalArgumentException("the data's tasks do not match the model's");
        }
        this.model = model;
        this.data = data;
        this.otherBatch = model.options().sourceBatches() * batchSize();
        this.pooled = pooled;
        this.offsets = new int[data.tasks() + 1];
        for (int t = 0; t < data.tasks(); t++) {
            offsets[t + 1] = offsets[t] + data.graphs().get(t).size();
            if (!pooled && data.graphs().get(t).isEmpty() && cycled(t)) {
                throw new IllegalArgumentException("the training set of task " + data.names().get(t) + " is empty");
            }
        }
        if (trainSize() == 0) {
            throw new IllegalArgumentException("the training set of the " + (pooled ? "pretraining" : "train") + " phase is empty");
        }
        this.cycles = cycles();
    }

    /** @return the hand-derived steps, on {@code lanes}, of every task's embedding (a shared one has one) */
    static Map<DmpnnEncoder, EncoderLanes> encoderSteps(KTaskModel model, Lanes lanes) {
        List<DmpnnEncoder> embeddings = new ArrayList<>();
        for (int t = 0; t < model.tasks(); t++) {
            embeddings.add(model.network(t).embedding());
        }
        return encoderSteps(embeddings, lanes);
    }

    private MoleculeCycle[] cycles() {
        MoleculeCycle[] c = new MoleculeCycle[data.tasks()];
        int rank = 0;
        for (int t = 0; t < c.length; t++) {
            if (t != data.primary()) {
                c[t] = pooled || !cycled(t) ? null : new MoleculeCycle(data.graphs().get(t).size(), rank == 0 ? seed()
                        : Engine.mix(seed() ^ 0x6B7A5C3DL, rank));
                rank++;
            }
        }
        return c;
    }

    /** @return whether task τ contributes molecules to the batches of the (non-pooled) phase */
    private boolean cycled(int t) {
        return t == data.primary() || !model.method().pretrains() || data.evaluated().contains(t);
    }

    /** @return the tasks whose supervised terms this phase trains: those with molecules in the batches */
    List<Integer> supervised() {
        List<Integer> s = new ArrayList<>();
        for (int t = 0; t < data.tasks(); t++) {
            if (pooled ? !data.graphs().get(t).isEmpty() : cycled(t)) {
                s.add(t);
            }
        }
        return s;
    }

    KTaskModel model() {
        return model;
    }

    @Override
    protected gear.transfer.PhaseModel phaseModel() {
        return model;
    }

    @Override
    protected Map<String, Double> termWeights(int epoch) {
        return weighted(model.method().terms(), t -> model.method().weight(t, model.options(), epoch));
    }

    @Override
    public int trainSize() {
        return pooled ? offsets[data.tasks()] : data.graphs().get(data.primary()).size();
    }

    @Override
    public List<int[]> batches(int epoch) {
        return Engine.shuffledBatches(trainSize(), batchSize(), pooled ? Engine.mix(seed(), POOLED_SALT) : seed(), epoch);
    }

    /** Salt of the pooled phase's shuffles (distinct from the target phase's). */
    private static final long POOLED_SALT = 0x9E7A1B0CL;

    @Override
    public Map<String, Double> forward(int epoch, int b, int[] idx, long step, PointerScope scope) {
        int[][] rows = new int[data.tasks()][];
        if (pooled) {
            int[] count = new int[rows.length];
            for (int i : idx) {
                count[task(i)]++;
            }
            for (int t = 0; t < rows.length; t++) {
                rows[t] = new int[count[t]];
                count[t] = 0;
            }
            for (int i : idx) {
                int t = task(i);
                rows[t][count[t]++] = i - offsets[t];
            }
            return forward(rows, step, epoch);
        }
        for (int t = 0; t < rows.length; t++) {
            rows[t] = t == data.primary() ? idx : cycles[t] == null ? new int[0] : cycles[t].next(otherBatch);
        }
        return forward(rows, step, epoch);
    }

    /** @return the task of position i of the pooled training set */
    private int task(int i) {
        int t = 0;
        while (i >= offsets[t + 1]) {
            t++;
        }
        return t;
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
        BatchParts batch = begin(mols, step, true);
        List<Tensor> labels = new ArrayList<>(k);
        for (int s = 0; s < k; s++) {
            labels.add(model.onDevice(Tensors.of(y[s], n)));
        }
        lap("batch");
        Map<String, Double> diagnostics = new LinkedHashMap<>();
        Map<String, Tensor> terms = model.method().terms(new KStep(this, batch, labels, n, step, epoch, diagnostics));
        Map<String, Double> out = finish(terms, diagnostics, List.of(), List.of());
        lap("total + values");
        return out;
    }

    @Override
    public double validate(int epoch, int lastBatch) {
        valExtras.clear();
        double score;
        if (data.alsoEvaluated().isEmpty()) {
            if (data.valGraphs().isEmpty()) {
                return Double.NaN;
            }
            score = rmse(data.primary(), data.valGraphs(), data.valY());
        } else {
            List<KTaskData.Evaluated> all = new ArrayList<>();
            all.add(new KTaskData.Evaluated(data.primary(), data.valGraphs(), data.valY()));
            all.addAll(data.alsoEvaluated());
            double sum = 0;
            int n = 0;
            for (KTaskData.Evaluated e : all) {
                if (e.valGraphs().isEmpty()) {
                    continue;
                }
                double r = rmse(e.task(), e.valGraphs(), e.valY());
                valExtras.put("val_rmse_" + data.names().get(e.task()), r);
                sum += r / model.scaler(e.task()).std(0);
                n++;
            }
            score = n == 0 ? Double.NaN : sum / n;
        }
        return checked(epoch, lastBatch, score);
    }

    /** @return the validation RMSE of task τ in its own units */
    private double rmse(int task, List<MolGraph> graphs, double[] y) {
        return metric(model.predict(task, graphs), y);
    }

    /**
     * Also logs, after every epoch, the primary task's metric over its training molecules ({@code train_rmse}, original
     * units, against the labels trained on), as the two-task target phase does ({@code TransferObjective}); prediction
     * draws no random numbers, so training is unchanged.
     */
    KTaskObjective trainRmse(boolean on) {
        this.trainRmse = on;
        return this;
    }

    @Override
    public Map<String, Double> epochExtras(int epoch) {
        Map<String, Double> m = new LinkedHashMap<>(valExtras);
        if (trainRmse) {
            int p = data.primary();
            float[] y = data.labels().get(p)[p];
            double[] truth = new double[y.length];
            for (int i = 0; i < y.length; i++) {
                truth[i] = Float.isNaN(y[i]) ? Double.NaN : y[i] * model.scaler(p).std(0) + model.scaler(p).mean(0);
            }
            m.put(taskType().trainColumn(), metric(model.predict(p, data.graphs().get(p)), truth));
        }
        return m;
    }

    @Override
    public void restore(long steps) {
        cycles = cycles();
        for (long s = 0; s < steps; s++) {
            for (MoleculeCycle c : cycles) { // null: the primary task, or a task not cycled
                if (c != null) {
                    c.next(otherBatch);
                }
            }
        }
    }

    @Override
    public String fingerprint() {
        return model.method().name() + "-k " + model.options().fingerprintJson(new com.fasterxml.jackson.databind.ObjectMapper())
                + " seed " + seed() + " tasks " + data.names() + " primary " + data.primary() + " sizes "
                + data.graphs().stream().map(g -> String.valueOf(g.size())).toList() + " val " + data.valGraphs().size()
                + (pooled ? " pooled" : "") + (data.alsoEvaluated().isEmpty() ? "" : " evaluated " + data.evaluated() + " "
                        + data.alsoEvaluated().stream().map(e -> String.valueOf(e.valGraphs().size())).toList())
                + (trainRmse ? " train_rmse" : "");
    }
}
