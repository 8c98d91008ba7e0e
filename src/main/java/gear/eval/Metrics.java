package gear.eval;

/**
 * Regression metrics over paired arrays, skipping pairs where the truth is missing (NaN):
 * RMSE = √(Σ(ŷ−y)²/n), MAE = Σ|ŷ−y|/n, R² = 1 − Σ(ŷ−y)²/Σ(y−ȳ)².
 */
public final class Metrics {
    /** RMSE, MAE, R² and the count of non-missing pairs. */
    public record Regression(double rmse, double mae, double r2, int n) {}

    private Metrics() {}

    /**
     * @param predicted predictions (same length as truth)
     * @param truth true values, NaN = missing
     * @return the metrics over the non-missing pairs (NaNs when there are none; R² NaN when the truth is constant)
     */
    public static Regression regression(double[] predicted, double[] truth) {
        if (predicted.length != truth.length) {
            throw new IllegalArgumentException("predictions (" + predicted.length + ") and truth (" + truth.length + ") differ in length");
        }
        int n = 0;
        double sum = 0;
        for (int i = 0; i < truth.length; i++) {
            if (!Double.isNaN(truth[i])) {
                n++;
                sum += truth[i];
            }
        }
        if (n == 0) {
            return new Regression(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double mean = sum / n;
        double sse = 0;
        double sae = 0;
        double sst = 0;
        for (int i = 0; i < truth.length; i++) {
            if (!Double.isNaN(truth[i])) {
                double d = predicted[i] - truth[i];
                sse += d * d;
                sae += Math.abs(d);
                sst += (truth[i] - mean) * (truth[i] - mean);
            }
        }
        double r2 = sst > 0 ? 1 - sse / sst : Double.NaN;
        return new Regression(Math.sqrt(sse / n), sae / n, r2, n);
    }

    /** @return mean and sample standard deviation (n−1; 0 for one value) of the non-NaN values */
    public static double[] meanStd(double[] values) {
        double s = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                s += v;
                n++;
            }
        }
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mean = s / n;
        double ss = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        return new double[] {mean, n > 1 ? Math.sqrt(ss / (n - 1)) : 0};
    }
}
