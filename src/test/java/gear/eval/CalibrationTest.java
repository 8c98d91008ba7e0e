package gear.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The calibration measures against cases computed by hand. */
class CalibrationTest {
    private static final double[] ZERO1 = {0};

    /**
     * One error of exactly one standard deviation: it lies inside the central interval of probability p once
     * p ≥ erf(1/√2) = 0.6827, i.e. for k = 69 … 100, so A = Σ_{k=0}^{68} 0.01·k/100 + Σ_{k=69}^{100} 0.01·(1 − k/100)
     * = 0.0001·(2346 + 496) = 0.2842.
     */
    @Test
    void miscalibrationAreaOfOneErrorOfOneSigma() {
        double[] obs = Calibration.observedFractions(ZERO1, new double[] {2.0}, new double[] {2.0});
        assertEquals(0, obs[68]);
        assertEquals(1, obs[69]);
        assertEquals(0.2842, Calibration.miscalibrationArea(ZERO1, new double[] {2.0}, new double[] {2.0}), 1e-12);
    }

    /**
     * A perfect prediction is inside every interval (obs = 1 for k ≥ 1): A = Σ_{k=1}^{100} 0.01(1 − k/100) = 0.495;
     * with a second, far-off error obs = ½ for k = 1 … 99: A = 0.01 · 2 · Σ_{j=1}^{49} j / 100 = 0.245.
     */
    @Test
    void miscalibrationAreaOfPerfectAndFarOffPredictions() {
        assertEquals(0.495, Calibration.miscalibrationArea(ZERO1, ZERO1, new double[] {1}), 1e-12);
        assertEquals(0.245, Calibration.miscalibrationArea(new double[] {0, 0}, new double[] {0, 1e9}, new double[] {1, 1}),
                1e-12);
    }

    /** Errors 0.5, 1, 2, 0.1 with σ 1, 2, 4, 0.5 (monotone together: ρ = 1; reversed σ: ρ = −1). */
    @Test
    void spearmanOfErrorAndStd() {
        double[] pred = {0, 0, 0, 0};
        double[] truth = {0.5, -1, 2, 0.1};
        assertEquals(1.0, Calibration.spearman(pred, truth, new double[] {1, 2, 4, 0.5}), 1e-12);
        assertEquals(-1.0, Calibration.spearman(pred, truth, new double[] {1, 0.5, 0.25, 2}), 1e-12);
    }

    /**
     * z-scaling: s = √((1/n) Σ eᵢ²/σᵢ²); errors 0.5, −1, 2, 0.1 with σ = 1: s = √(5.26/4) = 1.146734…; the NLL at s is
     * below the NLL at s ± 0.05 (a minimum) and a missing truth or σ ≤ 0 is left out.
     */
    @Test
    void zScaleMinimizesTheGaussianNll() {
        double[] pred = {0, 0, 0, 0, 0, 0};
        double[] truth = {0.5, -1, 2, 0.1, Double.NaN, 3};
        double[] std = {1, 1, 1, 1, 1, 0};
        double s = Calibration.zScale(pred, truth, std);
        assertEquals(Math.sqrt(5.26 / 4), s, 1e-12);
        double at = Calibration.gaussianNll(pred, truth, Calibration.scale(std, s));
        assertTrue(at < Calibration.gaussianNll(pred, truth, Calibration.scale(std, s + 0.05)));
        assertTrue(at < Calibration.gaussianNll(pred, truth, Calibration.scale(std, s - 0.05)));
        // ½ log 2π + e²/2 for one error of 0 with σ = 1
        assertEquals(0.5 * Math.log(2 * Math.PI), Calibration.gaussianNll(ZERO1, ZERO1, new double[] {1}), 1e-12);
        Calibration.Report r = Calibration.report(pred, truth, std);
        assertEquals(4, r.n());
        assertEquals(s, r.zScale(), 1e-15);
        assertEquals(at, r.recalibratedNll(), 1e-12);
    }
}
