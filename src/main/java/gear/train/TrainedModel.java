package gear.train;

import gear.data.StandardScaler;
import gear.chem.MolGraph;
import gear.nn.BatchGraph;
import gear.nn.Dmpnn;
import gear.nn.Tensors;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;

/**
 * A trained D-MPNN with everything needed to predict in original units: the weights, the target
 * scaler, the target names and the provenance. Made by {@link Trainer#fit} or
 * {@link ModelFile#load}; written by {@link ModelFile#save}.
 *
 * <p>Prediction is ŷ = f(G) · σ + μ, with f the network in evaluation mode (no dropout). With a
 * {@link MeanVariance} task type the network has two outputs per target and {@link #predictWithVariance} also
 * gives the predicted variance in original units, softplus(s) σ² (+ the floor).
 */
public final class TrainedModel {
    /** Default molecules per prediction batch. */
    public static final int PREDICT_BATCH = 50;

    private final Dmpnn network;
    private final StandardScaler scaler;
    private final List<String> targetNames;
    private final Provenance provenance;
    private final TrainOptions options;
    private final TaskType taskType;

    /**
     * Predictions in original units.
     *
     * @param mean one row per molecule, one column per target
     * @param variance the predicted (aleatoric) variance, same shape; null for a task type without one
     */
    public record Prediction(double[][] mean, double[][] variance) {}

    /**
     * A regression model ({@link Regression}).
     *
     * @param options the training options (recorded in the model file; may be null)
     */
    public TrainedModel(Dmpnn network, StandardScaler scaler, List<String> targetNames, Provenance provenance,
            TrainOptions options) {
        this(network, scaler, targetNames, provenance, options, Regression.INSTANCE);
    }

    /**
     * @param options the training options (recorded in the model file; may be null)
     * @param taskType the task type (its outputs per target fix the network's outputs)
     */
    public TrainedModel(Dmpnn network, StandardScaler scaler, List<String> targetNames, Provenance provenance,
            TrainOptions options, TaskType taskType) {
        if (scaler.numTargets() * taskType.outputsPerTarget() != network.config().numTasks()
                || targetNames.size() != scaler.numTargets()) {
            throw new IllegalArgumentException("model has " + network.config().numTasks() + " outputs, scaler "
                    + scaler.numTargets() + ", target names " + targetNames.size());
        }
        this.network = network;
        this.scaler = scaler;
        this.targetNames = List.copyOf(targetNames);
        this.provenance = provenance;
        this.options = options;
        this.taskType = taskType;
    }

    /** @return the task type */
    public TaskType taskType() {
        return taskType;
    }

    /** @return whether the model predicts a variance ({@link MeanVariance}) */
    public boolean hasVariance() {
        return taskType.outputsPerTarget() == 2;
    }

    /**
     * Maps raw network outputs to original units.
     *
     * @param z the network output of {@code n} molecules, row-major, {@code outputsPerTarget × T} per row
     * @param mean where the means go, rows {@code row0 … row0 + n − 1}
     * @param variance where the variances go (same rows), or null
     */
    public void toOriginal(double[] z, int n, double[][] mean, double[][] variance, int row0) {
        int tasks = scaler.numTargets();
        int width = tasks * taskType.outputsPerTarget();
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < tasks; t++) {
                double sd = scaler.std(t);
                mean[row0 + i][t] = z[i * width + t] * sd + scaler.mean(t);
                if (variance != null && hasVariance()) {
                    variance[row0 + i][t] = MeanVariance.variance(z[i * width + tasks + t]) * sd * sd;
                }
            }
        }
    }

    /** @return means and (for {@link MeanVariance}) variances in original units */
    public Prediction predictWithVariance(List<MolGraph> graphs) {
        return predictFull(batches(graphs));
    }

    /** @return the network (its encoder can be reused by transfer methods) */
    public Dmpnn network() {
        return network;
    }

    /** @return the target standardization */
    public StandardScaler scaler() {
        return scaler;
    }

    /** @return target names, in output order */
    public List<String> targetNames() {
        return targetNames;
    }

    /** @return where the model came from */
    public Provenance provenance() {
        return provenance;
    }

    /** @return the training options, or null when unknown */
    public TrainOptions options() {
        return options;
    }

    /** @return predictions in original units, one row per molecule, one column per target */
    public double[][] predict(List<MolGraph> graphs) {
        return predictBatches(batches(graphs));
    }

    private static List<BatchGraph.Arrays> batches(List<MolGraph> graphs) {
        List<BatchGraph.Arrays> batches = new ArrayList<>();
        for (int i = 0; i < graphs.size(); i += PREDICT_BATCH) {
            batches.add(BatchGraph.arrays(graphs.subList(i, Math.min(graphs.size(), i + PREDICT_BATCH))));
        }
        return batches;
    }

    /** Predictions (original units) for prebuilt batches, concatenated in order. */
    double[][] predictBatches(List<BatchGraph.Arrays> batches) {
        return predictFull(batches).mean();
    }

    private Prediction predictFull(List<BatchGraph.Arrays> batches) {
        int n = 0;
        for (BatchGraph.Arrays a : batches) {
            n += a.nMols();
        }
        int tasks = scaler.numTargets();
        double[][] out = new double[n][tasks];
        double[][] var = hasVariance() ? new double[n][tasks] : null;
        int row = 0;
        for (BatchGraph.Arrays a : batches) {
            try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                double[] z = Tensors.toDoubles(network.forward(network.batch(a), false));
                toOriginal(z, a.nMols(), out, var, row);
                row += a.nMols();
            }
        }
        return new Prediction(out, var);
    }

    /**
     * Root mean squared error per target over present values (NaN for a target without values).
     *
     * @param pred predictions, original units
     * @param y true values, NaN = missing
     */
    public static double[] rmse(double[][] pred, double[][] y) {
        int tasks = y.length == 0 ? 0 : y[0].length;
        double[] r = new double[tasks];
        for (int t = 0; t < tasks; t++) {
            double ss = 0;
            int n = 0;
            for (int i = 0; i < y.length; i++) {
                if (!Double.isNaN(y[i][t])) {
                    double d = pred[i][t] - y[i][t];
                    ss += d * d;
                    n++;
                }
            }
            r[t] = n == 0 ? Double.NaN : Math.sqrt(ss / n);
        }
        return r;
    }

    /** @return the mean over targets of the finite values of {@code perTask}, NaN if none */
    public static double meanOverTasks(double[] perTask) {
        double s = 0;
        int n = 0;
        for (double v : perTask) {
            if (Double.isFinite(v)) {
                s += v;
                n++;
            } else if (!Double.isNaN(v)) {
                return v;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }
}
