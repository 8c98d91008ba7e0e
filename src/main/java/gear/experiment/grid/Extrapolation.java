package gear.experiment.grid;

import gear.eval.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The extrapolation view of a cell's test predictions (design/GEAR.md §6, "Extrapolation"): a test
 * molecule is <em>in range</em> when its true value lies inside {@code [min, max]} of the cell's
 * (clean) target training values, and <em>out of range</em> otherwise. For a value split (train on the
 * lowest 80% of values, test on the top 20%) nearly every test molecule is out of range; for a random
 * split nearly none; a scaffold split is the structural counterpart, whose test values mostly stay in
 * range.
 *
 * <p>The predictions come from the optional file {@value #PREDICTIONS} that a runner writes into its
 * cell directory (header with columns {@code true} and {@code predicted}; other columns ignored; an
 * empty cell is a missing value): {@link TransferCellRunner} writes it through the transfer run
 * directory.
 */
public final class Extrapolation {
    /** The file of a cell's test predictions, written by the runner. */
    public static final String PREDICTIONS = "test_predictions.csv";

    private Extrapolation() {}

    /**
     * In-range and out-of-range test metrics of one cell.
     *
     * @param trainMin smallest target training value
     * @param trainMax largest target training value
     * @param nIn test molecules with a true value in [trainMin, trainMax]
     * @param nOut test molecules outside it
     * @param rmseIn test RMSE over the in-range molecules (NaN without any)
     * @param rmseOut test RMSE over the out-of-range molecules (NaN without any)
     */
    public record Stats(double trainMin, double trainMax, int nIn, int nOut, double rmseIn, double rmseOut) {
        /** No predictions: every value NaN, counts −1. */
        public static final Stats NONE = new Stats(Double.NaN, Double.NaN, -1, -1, Double.NaN, Double.NaN);

        /** @return whether the true value {@code y} is in the training range */
        public boolean inRange(double y) {
            return y >= trainMin && y <= trainMax;
        }
    }

    /** Test truths and predictions of a cell, aligned. */
    public record Predictions(double[] truth, double[] predicted) {}

    /** @return the range of the finite values, as {min, max} (NaN, NaN when there is none) */
    public static double[] range(double[] values) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return lo <= hi ? new double[] {lo, hi} : new double[] {Double.NaN, Double.NaN};
    }

    /**
     * @param trainValues the cell's clean target training values
     * @param p the test predictions (pairs with a missing truth or prediction are left out)
     */
    public static Stats stats(double[] trainValues, Predictions p) {
        double[] r = range(trainValues);
        List<Double> ti = new ArrayList<>();
        List<Double> pi = new ArrayList<>();
        List<Double> to = new ArrayList<>();
        List<Double> po = new ArrayList<>();
        for (int i = 0; i < p.truth().length; i++) {
            double t = p.truth()[i];
            double y = p.predicted()[i];
            if (Double.isNaN(t) || Double.isNaN(y)) {
                continue;
            }
            boolean in = t >= r[0] && t <= r[1];
            (in ? ti : to).add(t);
            (in ? pi : po).add(y);
        }
        return new Stats(r[0], r[1], ti.size(), to.size(), rmse(pi, ti), rmse(po, to));
    }

    private static double rmse(List<Double> pred, List<Double> truth) {
        return Metrics.regression(pred.stream().mapToDouble(Double::doubleValue).toArray(),
                truth.stream().mapToDouble(Double::doubleValue).toArray()).rmse();
    }

    /**
     * Reads {@value #PREDICTIONS} of a cell directory.
     *
     * @return the predictions, or null when the file is absent
     * @throws IOException when it cannot be read or lacks the {@code true} or {@code predicted} column
     */
    public static Predictions read(Path cellDir) throws IOException {
        Path f = cellDir.resolve(PREDICTIONS);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        Map<String, List<String>> cols = CellCsv.read(f);
        if (!cols.containsKey("true") || !cols.containsKey("predicted")) {
            throw new IOException(f + ": expected columns 'true' and 'predicted', got " + cols.keySet());
        }
        return new Predictions(CellCsv.numbers(f, "true", cols.get("true")), CellCsv.numbers(f, "predicted", cols.get("predicted")));
    }
}
