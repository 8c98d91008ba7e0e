package gear.experiment.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The two-stage bootstrap: determinism, a case computed by hand, containment. */
class BootstrapTest {

    /** Mean over the draws of the mean of each draw's units, for groups of values. */
    static ToDoubleFunction<Bootstrap.Resample> meanOfMeans(double[][] groups) {
        return r -> {
            double s = 0;
            for (int i = 0; i < r.groups().length; i++) {
                double[] g = groups[r.groups()[i]];
                double m = 0;
                for (int u : r.units()[i]) {
                    m += g[u];
                }
                s += m / r.units()[i].length;
            }
            return s / r.groups().length;
        };
    }

    @Test
    void sameSeedSameResamplesOtherSeedOthers() {
        List<Bootstrap.Resample> a = new Bootstrap(200, 5).draw(new int[] {2, 3, 1});
        List<Bootstrap.Resample> b = new Bootstrap(200, 5).draw(new int[] {2, 3, 1});
        List<Bootstrap.Resample> c = new Bootstrap(200, 6).draw(new int[] {2, 3, 1});
        assertEquals(200, a.size());
        boolean differ = false;
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).groups(), b.get(i).groups());
            for (int k = 0; k < a.get(i).units().length; k++) {
                assertArrayEquals(a.get(i).units()[k], b.get(i).units()[k]);
                assertEquals(new int[] {2, 3, 1}[a.get(i).groups()[k]], a.get(i).units()[k].length);
            }
            differ |= !java.util.Arrays.equals(a.get(i).groups(), c.get(i).groups());
        }
        assertTrue(differ, "another seed draws other groups");
    }

    /**
     * Three groups of one unit each (0.1, 0.2, 0.3): a resample mean is 0.1 only when all three draws take the
     * first group, with probability 1/27 ≈ 3.7 %, more than the 2.5 % tail; so the 95 % interval is exactly
     * [0.1, 0.3], and the 50 % interval lies strictly inside it around 0.2.
     */
    @Test
    void handComputedInterval() {
        double[][] g = {{0.1}, {0.2}, {0.3}};
        List<Bootstrap.Resample> draws = Bootstrap.defaults().draw(new int[] {1, 1, 1});
        Bootstrap.Interval ci = Bootstrap.interval(draws, meanOfMeans(g), 0.95);
        assertEquals(0.1, ci.lo(), 1e-12);
        assertEquals(0.3, ci.hi(), 1e-12);
        assertEquals(10_000, ci.valid());
        Bootstrap.Interval half = Bootstrap.interval(draws, meanOfMeans(g), 0.5);
        assertTrue(half.lo() > 0.1 + 1e-9 && half.hi() < 0.3 - 1e-9 && half.contains(0.2), half.toString());
    }

    @Test
    void equalUnitsGiveAPointAndNoisyUnitsContainTheMean() {
        double[][] same = {{0.05, 0.05}, {0.05}, {0.05, 0.05, 0.05}};
        Bootstrap.Interval p = Bootstrap.interval(Bootstrap.defaults().draw(new int[] {2, 1, 3}), meanOfMeans(same), 0.95);
        assertEquals(0.05, p.lo(), 1e-15);
        assertEquals(0.05, p.hi(), 1e-15);
        Random rnd = new Random(3);
        double[][] noisy = new double[30][5];
        for (double[] row : noisy) {
            for (int k = 0; k < row.length; k++) {
                row[k] = 0.05 + 0.02 * rnd.nextGaussian();
            }
        }
        int[] sizes = new int[30];
        java.util.Arrays.fill(sizes, 5);
        Bootstrap.Interval ci = Bootstrap.interval(new Bootstrap(2000, 9).draw(sizes), meanOfMeans(noisy), 0.95);
        assertTrue(ci.contains(0.05), ci.toString());
        assertTrue(ci.hi() - ci.lo() < 0.02, "the interval narrows with 150 units: " + ci);
        assertNotEquals(ci.lo(), ci.hi());
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new Bootstrap(0, 1));
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.defaults().draw(new int[] {2, 0}));
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.percentiles(new double[] {1}, 1.0));
        assertTrue(Double.isNaN(Bootstrap.percentiles(new double[0], 0.95).lo()));
    }
}
