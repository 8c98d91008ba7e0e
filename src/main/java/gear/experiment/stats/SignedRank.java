package gear.experiment.stats;

import java.util.Arrays;
import org.hipparchus.stat.inference.WilcoxonSignedRankTest;
import org.hipparchus.stat.ranking.NaturalRanking;

/**
 * The two-sided Wilcoxon signed-rank test of paired differences, computed by Hipparchus
 * ({@link WilcoxonSignedRankTest}, the maintained fork of Apache Commons Math).
 *
 * <p>Not Commons Math 3.6.1, whose other statistics the project uses: its normal approximation applies the
 * continuity correction in the wrong direction, z = (W_min − n(n+1)/4 − ½)/σ, which makes every p-value too small
 * (MATH-1233, fixed in Hipparchus: z = (W_max − n(n+1)/4 − ½)/σ). With n = 27 units and W_min = 150 the exact p is
 * 0.361, Hipparchus gives 0.355 and Commons Math 0.343.
 *
 * <p>Two conventions are fixed here:
 *
 * <ul>
 *   <li>Zero differences are dropped before ranking (Wilcoxon's original treatment; Hipparchus does the same, and
 *       they are dropped here first so that they can be counted).</li>
 *   <li>The p-value is exact (enumeration of the 2<sup>n</sup> sign assignments) when there are at most
 *       {@link #EXACT_MAX} non-zero differences and no ties among their absolute values; otherwise the normal
 *       approximation of the rank sum with the continuity correction (no tie correction of the variance). The exact
 *       p-value is {@code 2·P(W ≥ W_max)}, which reaches slightly above 1 when {@code W_max} is the centre of the
 *       distribution; it is capped at 1.</li>
 * </ul>
 */
public final class SignedRank {
    /** The most non-zero differences for which the exact p-value is computed (2^20 sign patterns). */
    public static final int EXACT_MAX = 20;

    private SignedRank() {}

    /**
     * The test's outcome.
     *
     * @param n non-zero differences (the units the test ranks)
     * @param zeros differences equal to 0, left out
     * @param wPlus sum of the ranks of the positive differences
     * @param wMinus sum of the ranks of the negative differences
     * @param p two-sided p-value (NaN when n = 0)
     * @param exact whether {@code p} is exact (else the normal approximation)
     */
    public record Result(int n, int zeros, double wPlus, double wMinus, double p, boolean exact) {
        /** @return how the p-value was computed, for tables ({@code exact}, {@code normal approx.}, {@code n/a}) */
        public String method() {
            return n == 0 ? "n/a" : exact ? "exact" : "normal approx.";
        }
    }

    /**
     * Tests whether the paired differences are symmetric about 0.
     *
     * @param differences one difference per unit (e.g. the relative RMSE change of one (pair, seed, fold)); NaN
     *     entries are not allowed
     * @throws IllegalArgumentException on a NaN difference
     */
    public static Result test(double[] differences) {
        int zeros = 0;
        for (double d : differences) {
            if (Double.isNaN(d)) {
                throw new IllegalArgumentException("NaN difference");
            }
            zeros += d == 0 ? 1 : 0;
        }
        double[] x = Arrays.stream(differences).filter(d -> d != 0).toArray();
        int n = x.length;
        if (n == 0) {
            return new Result(0, zeros, 0, 0, Double.NaN, false);
        }
        double[] y = new double[n];
        WilcoxonSignedRankTest w = new WilcoxonSignedRankTest();
        double wMax = w.wilcoxonSignedRank(x, y);
        double total = n * (n + 1) / 2.0;
        double wPlus = positiveRankSum(x, wMax, total);
        boolean exact = n <= EXACT_MAX && !hasTies(x);
        double p = Math.min(1.0, w.wilcoxonSignedRankTest(x, y, exact));
        return new Result(n, zeros, wPlus, total - wPlus, p, exact);
    }

    /** W+ from the ranks of |x| (average ranks for ties), to say which of W_max and W_min it is. */
    private static double positiveRankSum(double[] x, double wMax, double total) {
        double[] abs = Arrays.stream(x).map(Math::abs).toArray();
        double[] ranks = new NaturalRanking().rank(abs);
        double wPlus = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] > 0) {
                wPlus += ranks[i];
            }
        }
        if (Math.abs(Math.max(wPlus, total - wPlus) - wMax) > 1e-9) {
            throw new IllegalStateException("rank sums disagree with Hipparchus: " + wPlus + " vs " + wMax);
        }
        return wPlus;
    }

    private static boolean hasTies(double[] x) {
        double[] a = Arrays.stream(x).map(Math::abs).sorted().toArray();
        for (int i = 1; i < a.length; i++) {
            if (a[i] == a[i - 1]) {
                return true;
            }
        }
        return false;
    }
}
