package gear.data;

import java.util.Arrays;
import java.util.Random;

/**
 * Seeded label corruption for the robustness study (GEAR.md §6): a fraction {@code f} of the
 * <em>training</em> labels of one target is shifted by {@code k} standard deviations.
 *
 * <p>Definition. Let {@code L} be the training rows whose label of target {@code t} is present (not
 * NaN), {@code σ} the population standard deviation (divisor {@code |L|}, as in
 * {@link StandardScaler#fit}) of those labels <em>before</em> corruption, and {@code m = round(f·|L|)}
 * ({@link Math#round}, so halves round up). Exactly {@code m} rows of {@code L}, drawn uniformly
 * without replacement with {@code new Random(seed)}, get {@code y ← y + s·k·σ} with a sign
 * {@code s ∈ {−1, +1}} drawn independently per row from the same generator (so the corruption does
 * not shift the training mean on average). Validation and test rows, rows not listed as training
 * rows, other targets and missing labels are never touched; the input is never modified.
 */
public final class LabelNoise {
    private LabelNoise() {}

    /**
     * The corrupted labels and what was done.
     *
     * @param targets a corrupted copy of the n × t target matrix (the input is untouched)
     * @param task the target column that was corrupted
     * @param corruptedRows the corrupted row indices into the target matrix, ascending
     * @param signs the sign (−1 or +1) applied to each corrupted row, aligned with {@code corruptedRows}
     * @param labelledTrainRows {@code |L|}, the number of training rows with a label
     * @param std {@code σ}, the training labels' standard deviation before corruption
     * @param shift {@code k·σ}, the absolute size of every shift
     */
    public record Result(double[][] targets, int task, int[] corruptedRows, int[] signs, int labelledTrainRows,
            double std, double shift) {
        /** @return the number of corrupted labels */
        public int count() {
            return corruptedRows.length;
        }
    }

    /**
     * Corrupts target column {@code task}.
     *
     * @param targets n × t values, NaN for missing (not modified)
     * @param trainIdx the training row indices (distinct, within 0..n-1); only these can be corrupted
     * @param task the target column
     * @param fraction {@code f} in [0, 1]
     * @param sigmaMultiplier {@code k} ≥ 0, finite
     * @param seed seed of the row choice and the signs
     * @throws IllegalArgumentException on a fraction outside [0, 1], a negative or non-finite {@code k},
     *     a bad task, or a training index that is out of range or repeated
     */
    public static Result corrupt(double[][] targets, int[] trainIdx, int task, double fraction, double sigmaMultiplier,
            long seed) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("noise fraction must be in [0, 1], got " + fraction);
        }
        if (!(sigmaMultiplier >= 0) || !Double.isFinite(sigmaMultiplier)) {
            throw new IllegalArgumentException("noise size k (standard deviations) must be finite and >= 0, got "
                    + sigmaMultiplier);
        }
        int n = targets.length;
        int t = n == 0 ? 0 : targets[0].length;
        if (n > 0 && (task < 0 || task >= t)) {
            throw new IllegalArgumentException("target column " + task + " outside 0.." + (t - 1));
        }
        boolean[] seen = new boolean[n];
        int[] labelled = new int[trainIdx.length];
        int nl = 0;
        for (int i : trainIdx) {
            if (i < 0 || i >= n) {
                throw new IllegalArgumentException("training index " + i + " outside 0.." + (n - 1));
            }
            if (seen[i]) {
                throw new IllegalArgumentException("training index " + i + " is listed twice");
            }
            seen[i] = true;
            if (!Double.isNaN(targets[i][task])) {
                labelled[nl++] = i;
            }
        }
        labelled = Arrays.copyOf(labelled, nl);
        Arrays.sort(labelled); // the draw depends on the set of rows, not on the order they were listed in
        double std = std(targets, labelled, task);
        double shift = sigmaMultiplier * std;
        int m = (int) Math.round(fraction * nl);
        Random rnd = new Random(seed);
        int[] pool = labelled.clone();
        for (int k = 0; k < m; k++) { // partial Fisher–Yates: pool[0..m) is a uniform sample
            int j = k + rnd.nextInt(nl - k);
            int tmp = pool[k];
            pool[k] = pool[j];
            pool[j] = tmp;
        }
        int[] rows = Arrays.copyOf(pool, m);
        Arrays.sort(rows);
        int[] signs = new int[m];
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = targets[i].clone();
        }
        for (int k = 0; k < m; k++) {
            signs[k] = rnd.nextBoolean() ? 1 : -1;
            out[rows[k]][task] += signs[k] * shift;
        }
        return new Result(out, task, rows, signs, nl, std, shift);
    }

    /**
     * Corrupts the only target of a single-target matrix.
     *
     * @throws IllegalArgumentException as {@link #corrupt(double[][], int[], int, double, double, long)},
     *     or if the matrix has more than one target column
     */
    public static Result corrupt(double[][] targets, int[] trainIdx, double fraction, double sigmaMultiplier, long seed) {
        if (targets.length > 0 && targets[0].length != 1) {
            throw new IllegalArgumentException("data has " + targets[0].length
                    + " targets; name the target column to corrupt");
        }
        return corrupt(targets, trainIdx, 0, fraction, sigmaMultiplier, seed);
    }

    /**
     * Corrupts target column {@code task} of a data set; {@code trainIdx} are positions in the data set.
     *
     * @return the corrupted data set (same molecules, row indices and graph cache) and the result
     */
    public static Corrupted corrupt(MoleculeDataset data, int[] trainIdx, int task, double fraction,
            double sigmaMultiplier, long seed) {
        Result r = corrupt(data.targets(), trainIdx, task, fraction, sigmaMultiplier, seed);
        return new Corrupted(data.withTargets(r.targets()), r);
    }

    /**
     * A corrupted data set with the description of the corruption.
     *
     * @param data the data set with corrupted training labels
     * @param result what was corrupted
     */
    public record Corrupted(MoleculeDataset data, Result result) {}

    private static double std(double[][] targets, int[] rows, int task) {
        if (rows.length == 0) {
            return 0;
        }
        double sum = 0;
        for (int i : rows) {
            sum += targets[i][task];
        }
        double mu = sum / rows.length;
        double ss = 0;
        for (int i : rows) {
            double d = targets[i][task] - mu;
            ss += d * d;
        }
        return Math.sqrt(ss / rows.length);
    }
}
