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
 * <p>Prediction is ŷ = f(G) · σ + μ, with f the network in evaluation mode (no dropout).
 */
public final class TrainedModel {
    /** Default molecules per prediction batch. */
    public static final int PREDICT_BATCH = 50;

    private final Dmpnn network;
    private final StandardScaler scaler;
    private final List<String> targetNames;
    private final Provenance provenance;
    private final TrainOptions options;

    /**
     * @param options the training options (recorded in the model file; may be null)
     */
    public TrainedModel(Dmpnn network, StandardScaler scaler, List<String> targetNames, Provenance provenance,
            TrainOptions options) {
        if (scaler.numTargets() != network.config().numTasks() || targetNames.size() != scaler.numTargets()) {
            throw new IllegalArgumentException("model has " + network.config().numTasks() + " outputs, scaler "
                    + scaler.numTargets() + ", target names " + targetNames.size());
        }
        this.network = network;
        this.scaler = scaler;
        this.targetNames = List.copyOf(targetNames);
        this.provenance = provenance;
        this.options = options;
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
        List<BatchGraph.Arrays> batches = new ArrayList<>();
        for (int i = 0; i < graphs.size(); i += PREDICT_BATCH) {
            batches.add(BatchGraph.arrays(graphs.subList(i, Math.min(graphs.size(), i + PREDICT_BATCH))));
        }
        return predictBatches(batches);
    }

    /** Predictions (original units) for prebuilt batches, concatenated in order. */
    double[][] predictBatches(List<BatchGraph.Arrays> batches) {
        int n = 0;
        for (BatchGraph.Arrays a : batches) {
            n += a.nMols();
        }
        int tasks = scaler.numTargets();
        double[][] out = new double[n][tasks];
        int row = 0;
        for (BatchGraph.Arrays a : batches) {
            try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                double[] z = Tensors.toDoubles(network.forward(BatchGraph.of(a, network.config().dtype()), false));
                for (int i = 0; i < a.nMols(); i++, row++) {
                    for (int t = 0; t < tasks; t++) {
                        out[row][t] = z[i * tasks + t] * scaler.std(t) + scaler.mean(t);
                    }
                }
            }
        }
        return out;
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
