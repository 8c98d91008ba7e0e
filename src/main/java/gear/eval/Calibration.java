package gear.eval;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.special.Erf;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * Calibration of predicted standard deviations σᵢ against errors eᵢ = ŷᵢ − yᵢ of a regression model, measured
 * on the validation set (pairs with a missing truth, a non-finite value or σ ≤ 0 are left out):
 *
 * <ul>
 *   <li><b>observed fractions</b>: for p = k/100, k = 0 … 100, the fraction of |eᵢ| ≤ σᵢ · √2 erf⁻¹(p), the
 *       central Gaussian interval holding probability p (k = 0 is 0 and k = 100 is 1 by definition), as
 *       chemprop's {@code miscalibration_area} evaluator computes them;</li>
 *   <li><b>miscalibration area</b> (chemprop; Tran et al., Mach. Learn.: Sci. Technol. 1:025006, 2020): the area
 *       between observed and expected fractions, A = Σₖ 0.01 |obs(k/100) − k/100| (0 = perfect, at most about
 *       0.5);</li>
 *   <li><b>Spearman's ρ</b> of |eᵢ| and σᵢ (Apache Commons Math): whether larger predicted uncertainties go with
 *       larger errors;</li>
 *   <li><b>z-scaling</b> (Levi et al., Sensors 22:5540, 2022): one factor s per target that minimizes the Gaussian
 *       negative log-likelihood of the errors under the scaled standard deviations,
 *       NLL(s) = (1/n) Σ [½ log(2π s² σᵢ²) + eᵢ² / (2 s² σᵢ²)], whose minimizer is s = √((1/n) Σ eᵢ²/σᵢ²).</li>
 * </ul>
 */
public final class Calibration {
    /** Number of steps of the expected-fraction grid (101 points, 0 … 1). */
    public static final int STEPS = 100;

    private Calibration() {}

    /**
     * The calibration of one target.
     *
     * @param n pairs used
     * @param miscalibrationArea area before recalibration
     * @param spearman Spearman's ρ of |error| and σ (NaN with fewer than 2 pairs or constant values)
     * @param zScale the fitted scale factor s (NaN without pairs)
     * @param nll mean Gaussian NLL before recalibration
     * @param recalibratedArea area with s σ
     * @param recalibratedNll mean Gaussian NLL with s σ
     */
    public record Report(int n, double miscalibrationArea, double spearman, double zScale, double nll,
            double recalibratedArea, double recalibratedNll) {}

    /** @return the expected fractions k/100, k = 0 … 100 */
    public static double[] expectedFractions() {
        double[] p = new double[STEPS + 1];
        for (int k = 0; k <= STEPS; k++) {
            p[k] = k / (double) STEPS;
        }
        return p;
    }

    /**
     * @param pred predictions
     * @param truth true values (NaN = missing)
     * @param std predicted standard deviations
     * @return the observed fraction of errors inside the central interval of each expected fraction
     */
    public static double[] observedFractions(double[] pred, double[] truth, double[] std) {
        double[][] es = pairs(pred, truth, std);
        double[] obs = new double[STEPS + 1];
        obs[STEPS] = 1;
        int n = es[0].length;
        if (n == 0) {
            return obs;
        }
        for (int k = 1; k < STEPS; k++) {
            double scale = Math.sqrt(2) * Erf.erfInv(k / (double) STEPS);
            int in = 0;
            for (int i = 0; i < n; i++) {
                if (Math.abs(es[0][i]) <= es[1][i] * scale) {
                    in++;
                }
            }
            obs[k] = in / (double) n;
        }
        return obs;
    }

    /** @return the miscalibration area Σₖ 0.01 |obs − expected| (NaN without pairs) */
    public static double miscalibrationArea(double[] pred, double[] truth, double[] std) {
        if (pairs(pred, truth, std)[0].length == 0) {
            return Double.NaN;
        }
        double[] obs = observedFractions(pred, truth, std);
        double a = 0;
        for (int k = 0; k <= STEPS; k++) {
            a += Math.abs(obs[k] - k / (double) STEPS) / STEPS;
        }
        return a;
    }

    /** @return Spearman's ρ of |error| and σ (NaN with fewer than 2 pairs or when either side is constant) */
    public static double spearman(double[] pred, double[] truth, double[] std) {
        double[][] es = pairs(pred, truth, std);
        if (es[0].length < 2) {
            return Double.NaN;
        }
        double[] abs = new double[es[0].length];
        for (int i = 0; i < abs.length; i++) {
            abs[i] = Math.abs(es[0][i]);
        }
        double r = new SpearmansCorrelation().correlation(abs, es[1]);
        return Double.isFinite(r) ? r : Double.NaN;
    }

    /** @return the z-scaling factor s = √((1/n) Σ eᵢ²/σᵢ²) minimizing the Gaussian NLL (NaN without pairs) */
    public static double zScale(double[] pred, double[] truth, double[] std) {
        double[][] es = pairs(pred, truth, std);
        int n = es[0].length;
        if (n == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            double z = es[0][i] / es[1][i];
            s += z * z;
        }
        return Math.sqrt(s / n);
    }

    /** @return the mean Gaussian negative log-likelihood (1/n) Σ [½ log(2π σᵢ²) + eᵢ²/(2σᵢ²)] (NaN without pairs) */
    public static double gaussianNll(double[] pred, double[] truth, double[] std) {
        double[][] es = pairs(pred, truth, std);
        int n = es[0].length;
        if (n == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            double v = es[1][i] * es[1][i];
            s += 0.5 * Math.log(2 * Math.PI * v) + es[0][i] * es[0][i] / (2 * v);
        }
        return s / n;
    }

    /** @return every measure of one target, and the same after z-scaling */
    public static Report report(double[] pred, double[] truth, double[] std) {
        int n = pairs(pred, truth, std)[0].length;
        double s = zScale(pred, truth, std);
        double[] scaled = scale(std, Double.isFinite(s) && s > 0 ? s : 1);
        return new Report(n, miscalibrationArea(pred, truth, std), spearman(pred, truth, std), s,
                gaussianNll(pred, truth, std), miscalibrationArea(pred, truth, scaled), gaussianNll(pred, truth, scaled));
    }

    /** @return {@code std} times {@code s} */
    public static double[] scale(double[] std, double s) {
        double[] o = new double[std.length];
        for (int i = 0; i < o.length; i++) {
            o[i] = std[i] * s;
        }
        return o;
    }

    /** @return the usable pairs: row 0 the errors ŷ − y, row 1 the standard deviations */
    private static double[][] pairs(double[] pred, double[] truth, double[] std) {
        if (pred.length != truth.length || std.length != truth.length) {
            throw new IllegalArgumentException("lengths differ: " + pred.length + " predictions, " + truth.length
                    + " truths, " + std.length + " standard deviations");
        }
        List<double[]> ok = new ArrayList<>();
        for (int i = 0; i < truth.length; i++) {
            double e = pred[i] - truth[i];
            if (Double.isFinite(e) && Double.isFinite(std[i]) && std[i] > 0) {
                ok.add(new double[] {e, std[i]});
            }
        }
        double[][] out = new double[2][ok.size()];
        for (int i = 0; i < ok.size(); i++) {
            out[0][i] = ok.get(i)[0];
            out[1][i] = ok.get(i)[1];
        }
        return out;
    }
}
