package gear.train;

import java.util.Arrays;

/**
 * Per-target standardization z = (y − μ) / σ, as chemprop v1's {@code StandardScaler}: μ and σ are
 * the mean and population standard deviation of the training split over present (non-NaN) values;
 * a target with no values gets μ = 0, and σ = 1 where σ would be 0 or undefined.
 *
 * @param mean μ per target
 * @param std σ per target (positive)
 */
public record TargetScaler(double[] mean, double[] std) {
    /** Validates lengths and values. */
    public TargetScaler {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("scaler: " + mean.length + " means but " + std.length + " deviations");
        }
        for (int t = 0; t < std.length; t++) {
            if (!Double.isFinite(mean[t]) || !(std[t] > 0) || !Double.isFinite(std[t])) {
                throw new IllegalArgumentException("scaler: invalid statistics for target " + t + ": mean " + mean[t]
                        + ", std " + std[t]);
            }
        }
    }

    /** @return the statistics of {@code y} (rows = molecules, NaN = missing) with chemprop's fallbacks */
    public static TargetScaler fit(double[][] y) {
        int tasks = y.length == 0 ? 0 : y[0].length;
        double[] mean = new double[tasks];
        double[] std = new double[tasks];
        for (int t = 0; t < tasks; t++) {
            double sum = 0;
            int n = 0;
            for (double[] row : y) {
                if (!Double.isNaN(row[t])) {
                    sum += row[t];
                    n++;
                }
            }
            double mu = n == 0 ? 0 : sum / n;
            double ss = 0;
            for (double[] row : y) {
                if (!Double.isNaN(row[t])) {
                    ss += (row[t] - mu) * (row[t] - mu);
                }
            }
            double sd = n == 0 ? 1 : Math.sqrt(ss / n);
            mean[t] = mu;
            std[t] = sd > 0 && Double.isFinite(sd) ? sd : 1;
        }
        return new TargetScaler(mean, std);
    }

    /** @return number of targets */
    public int numTasks() {
        return mean.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TargetScaler s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "TargetScaler[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
