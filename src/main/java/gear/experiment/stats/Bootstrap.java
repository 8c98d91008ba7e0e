package gear.experiment.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;

/**
 * Seeded two-stage (hierarchical) percentile bootstrap for data in groups: each resample draws the
 * groups with replacement, then within each drawn group its units with replacement (units of a grid:
 * the (seed, fold) cells of a pair; groups: the pairs). The statistic is recomputed on every resample
 * and the interval is given by the {@code (1 − level)/2} and {@code (1 + level)/2} percentiles of those
 * values (Commons Math {@link Percentile}, estimation type R-7, the default of R and NumPy).
 *
 * <p>The random stream is Commons Math's {@link Well19937c} seeded with {@link #seed}: the same data,
 * seed and number of resamples give the same interval on every machine.
 */
public final class Bootstrap {
    /** The default number of resamples. */
    public static final int DEFAULT_RESAMPLES = 10_000;
    /** The default seed. */
    public static final long DEFAULT_SEED = 1L;

    private final int resamples;
    private final long seed;

    /**
     * @param resamples number of resamples (at least 1)
     * @param seed seed of the random stream
     */
    public Bootstrap(int resamples, long seed) {
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be at least 1, got " + resamples);
        }
        this.resamples = resamples;
        this.seed = seed;
    }

    /** @return a bootstrap with {@link #DEFAULT_RESAMPLES} and {@link #DEFAULT_SEED} */
    public static Bootstrap defaults() {
        return new Bootstrap(DEFAULT_RESAMPLES, DEFAULT_SEED);
    }

    /** @return the number of resamples */
    public int resamples() {
        return resamples;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /**
     * One resample: which group each draw took, and which of that group's units.
     *
     * @param groups the drawn group indices, one per draw (as many draws as there are groups)
     * @param units for each draw, the drawn unit indices within its group (as many as the group has units)
     */
    public record Resample(int[] groups, int[][] units) {}

    /**
     * An interval.
     *
     * @param lo lower end
     * @param hi upper end
     * @param valid resamples whose statistic was finite (the others are left out)
     */
    public record Interval(double lo, double hi, int valid) {
        /** @return whether {@code x} lies in [lo, hi] */
        public boolean contains(double x) {
            return x >= lo && x <= hi;
        }
    }

    /**
     * The resamples of data with {@code sizes[g]} units in group g, drawn from the seeded stream.
     *
     * @throws IllegalArgumentException when there is no group or a group has no unit
     */
    public List<Resample> draw(int[] sizes) {
        if (sizes.length == 0 || Arrays.stream(sizes).anyMatch(s -> s < 1)) {
            throw new IllegalArgumentException("every group needs a unit: " + Arrays.toString(sizes));
        }
        RandomGenerator rng = new Well19937c(seed);
        List<Resample> out = new ArrayList<>(resamples);
        for (int b = 0; b < resamples; b++) {
            int[] g = new int[sizes.length];
            int[][] u = new int[sizes.length][];
            for (int i = 0; i < g.length; i++) {
                g[i] = rng.nextInt(sizes.length);
                u[i] = new int[sizes[g[i]]];
                for (int k = 0; k < u[i].length; k++) {
                    u[i][k] = rng.nextInt(sizes[g[i]]);
                }
            }
            out.add(new Resample(g, u));
        }
        return out;
    }

    /**
     * The percentile interval of a statistic over the given resamples.
     *
     * @param draws resamples from {@link #draw}
     * @param statistic the statistic of one resample (non-finite values are left out)
     * @param level coverage, e.g. 0.95
     * @return the interval (NaN ends when no resample gave a finite value)
     */
    public static Interval interval(List<Resample> draws, ToDoubleFunction<Resample> statistic, double level) {
        double[] v = draws.stream().mapToDouble(statistic).filter(Double::isFinite).toArray();
        return percentiles(v, level);
    }

    /** The percentile interval of already computed bootstrap values (all finite). */
    public static Interval percentiles(double[] values, double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        }
        if (values.length == 0) {
            return new Interval(Double.NaN, Double.NaN, 0);
        }
        Percentile p = new Percentile().withEstimationType(Percentile.EstimationType.R_7);
        p.setData(values);
        return new Interval(p.evaluate(100 * (1 - level) / 2), p.evaluate(100 * (1 + level) / 2), values.length);
    }
}
