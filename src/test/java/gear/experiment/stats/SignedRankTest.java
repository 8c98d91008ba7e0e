package gear.experiment.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The signed-rank test against cases computed by hand and by enumerating the sign patterns. */
class SignedRankTest {

    /**
     * Differences 1, 2, 3, −4, 5: ranks 1..5, W+ = 1 + 2 + 3 + 5 = 11, W− = 4. Of the 32 sign patterns, 7 have a
     * positive rank sum ≤ 4 ({}, {1}, {2}, {3}, {4}, {1,2}, {1,3}), so by symmetry 7 have W+ ≥ 11: p = 2 · 7/32.
     */
    @Test
    void smallExampleByHand() {
        SignedRank.Result r = SignedRank.test(new double[] {1, 2, 3, -4, 5});
        assertEquals(5, r.n());
        assertEquals(11, r.wPlus(), 0);
        assertEquals(4, r.wMinus(), 0);
        assertTrue(r.exact());
        assertEquals(0.4375, r.p(), 1e-12);
    }

    @Test
    void zerosAreDroppedBeforeRanking() {
        SignedRank.Result r = SignedRank.test(new double[] {0, 1, 2, 0, 3, -4, 5});
        assertEquals(5, r.n());
        assertEquals(2, r.zeros());
        assertEquals(11, r.wPlus(), 0);
        assertEquals(0.4375, r.p(), 1e-12);
    }

    /** Six positive differences: only the all-positive and all-negative patterns are as extreme, p = 2/64. */
    @Test
    void allPositive() {
        SignedRank.Result r = SignedRank.test(new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6});
        assertEquals(21, r.wPlus(), 0);
        assertEquals(0.03125, r.p(), 1e-12);
    }

    /** 1, −2, −3, 4: W+ = W− = 5, the centre; 2 · P(W ≥ 5) = 2 · 9/16 exceeds 1 and is capped. */
    @Test
    void centreIsCappedAtOne() {
        SignedRank.Result r = SignedRank.test(new double[] {1, -2, -3, 4});
        assertEquals(5, r.wPlus(), 0);
        assertEquals(1.0, r.p(), 0);
    }

    /** Exact p-values against an independent enumeration of the 2^n sign patterns, on random data. */
    @Test
    void exactAgreesWithEnumeration() {
        Random rnd = new Random(7);
        for (int rep = 0; rep < 20; rep++) {
            int n = 3 + rnd.nextInt(10);
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = rnd.nextGaussian() + 0.3;
            }
            SignedRank.Result r = SignedRank.test(d);
            double[] abs = d.clone();
            for (int i = 0; i < n; i++) {
                abs[i] = Math.abs(abs[i]);
            }
            double[] sorted = abs.clone();
            java.util.Arrays.sort(sorted);
            int wPlus = 0;
            for (int i = 0; i < n; i++) {
                if (d[i] > 0) {
                    wPlus += java.util.Arrays.binarySearch(sorted, abs[i]) + 1;
                }
            }
            int total = n * (n + 1) / 2;
            int wMax = Math.max(wPlus, total - wPlus);
            int extreme = 0;
            for (int mask = 0; mask < (1 << n); mask++) {
                int s = 0;
                for (int j = 0; j < n; j++) {
                    s += ((mask >> j) & 1) == 1 ? j + 1 : 0;
                }
                extreme += s >= wMax || s <= total - wMax ? 1 : 0;
            }
            assertEquals(wPlus, r.wPlus(), 0);
            assertTrue(r.exact());
            assertEquals(Math.min(1.0, (double) extreme / (1 << n)), r.p(), 1e-12, "n = " + n);
        }
    }

    /**
     * 27 units (the converged grid's nine pairs × three seeds), differences ±1..±27 with W⁻ = W_min: the p-value is
     * the textbook normal approximation with the continuity correction towards the centre, 2Φ((W_min − μ + ½)/σ),
     * and within 0.01 of the exact p of the rank-sum distribution (counted here by dynamic programming). Commons Math
     * 3.6.1's correction (−½) misses the exact p at W_min = 150 by 0.018.
     */
    @Test
    void normalApproximationCorrectsTowardsTheCentre() {
        int n = 27;
        int total = n * (n + 1) / 2;
        double[] count = new double[total + 1];
        count[0] = 1;
        for (int i = 1; i <= n; i++) {
            for (int w = total; w >= i; w--) {
                count[w] += count[w - i];
            }
        }
        double mu = n * (n + 1) / 4.0;
        double sigma = Math.sqrt(n * (n + 1) * (2 * n + 1) / 24.0);
        org.apache.commons.math3.distribution.NormalDistribution phi = new org.apache.commons.math3.distribution.NormalDistribution();
        for (int wMin : new int[] {100, 120, 150}) {
            // the ranks of the negative differences sum to wMin: take them greedily from the largest
            double[] d = new double[n];
            int left = wMin;
            for (int i = n; i >= 1; i--) {
                boolean negative = i <= left;
                left -= negative ? i : 0;
                d[i - 1] = negative ? -i : i;
            }
            SignedRank.Result r = SignedRank.test(d);
            assertFalse(r.exact());
            assertEquals(wMin, r.wMinus(), 0);
            assertEquals(2 * phi.cumulativeProbability((wMin - mu + 0.5) / sigma), r.p(), 1e-12, "W_min = " + wMin);
            double exact = 0;
            for (int w = 0; w <= wMin; w++) {
                exact += 2 * count[w] / Math.pow(2, n);
            }
            assertEquals(exact, r.p(), 0.01, "W_min = " + wMin);
        }
    }

    @Test
    void largeSamplesAndTiesUseTheNormalApproximation() {
        double[] d = new double[25];
        for (int i = 0; i < d.length; i++) {
            d[i] = i + 1;
        }
        SignedRank.Result r = SignedRank.test(d);
        assertFalse(r.exact());
        assertEquals("normal approx.", r.method());
        assertTrue(r.p() < 1e-4, "25 of 25 positive: " + r.p());
        SignedRank.Result ties = SignedRank.test(new double[] {0.1, 0.1, -0.2, 0.3});
        assertFalse(ties.exact());
        assertTrue(ties.p() > 0.2 && ties.p() <= 1);
    }

    @Test
    void noUnitsAndNaN() {
        SignedRank.Result r = SignedRank.test(new double[] {0, 0});
        assertEquals(0, r.n());
        assertTrue(Double.isNaN(r.p()));
        assertEquals("n/a", r.method());
        assertThrows(IllegalArgumentException.class, () -> SignedRank.test(new double[] {1, Double.NaN}));
    }
}
