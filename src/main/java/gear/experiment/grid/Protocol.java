package gear.experiment.grid;

import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.data.SplitSizes;
import gear.data.SplitType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The evaluation protocol of design/GEAR.md §6 for one pair, split type and seed.
 *
 * <ol>
 *   <li>Test: the target is split with {@link SplitType#split} and sizes
 *       {@code (1 − t − 0.1, 0.1, t)} ({@code t} = test fraction, default 0.2); the test part is held
 *       out (random: the last {@code n − ⌊(1−t)n⌋} of the seeded permutation; scaffold: chemprop's
 *       balanced scaffold split, where the 0.1 validation share only sets which groups count as
 *       "big"; value: the top {@code t} of the values). Everything else is the non-test part.</li>
 *   <li>Low-data regime (optional): the non-test part is shuffled with
 *       {@code java.util.Random(seed ^ SUBSAMPLE_SALT)} and cut to {@code target_subsample} molecules.</li>
 *   <li>Folds: the (subsampled) non-test pool is divided into k folds by {@link SplitType#folds}
 *       (scaffold groups kept whole for scaffold splits, seeded random folds otherwise); fold f is
 *       validation, the other k − 1 folds train.</li>
 *   <li>Source purge: every source molecule whose canonical SMILES is that of a target-test molecule
 *       is removed from the source.</li>
 * </ol>
 */
public final class Protocol {
    /** Mixed into the seed of the subsample so that it is not the same stream as the split's. */
    public static final long SUBSAMPLE_SALT = 0x5EED_5AB5L;
    /** Validation share used only to classify scaffold groups as big or small in the test split. */
    static final double SCAFFOLD_VAL_SHARE = 0.1;

    private Protocol() {}

    /**
     * The resolved protocol.
     *
     * @param test target test positions (ascending)
     * @param pool target non-test positions used for training and validation (ascending; subsampled if asked)
     * @param nonTest size of the whole non-test part before subsampling
     * @param folds k splits of the pool (fold f: validation = fold f, train = the other folds, test = {@code test})
     * @param sourceKeep source positions kept after the purge (ascending)
     */
    public record Resolved(int[] test, int[] pool, int nonTest, List<Split> folds, int[] sourceKeep) {
        /** @return the number of source molecules removed by the purge, given the source size */
        public int purged(int sourceSize) {
            return sourceSize - sourceKeep.length;
        }
    }

    /**
     * @param target the target data set (its first target is the split value for value splits)
     * @param source the source data set
     * @param type split type
     * @param seed seed of the split, subsample and folds
     * @param k number of folds (at least 2)
     * @param testFraction test share, in (0, 0.9)
     * @param subsample size of the training pool, or null for the whole non-test part
     */
    public static Resolved resolve(MoleculeDataset target, MoleculeDataset source, SplitType type, long seed, int k,
            double testFraction, Integer subsample) {
        if (!(testFraction > 0 && testFraction < 1 - SCAFFOLD_VAL_SHARE)) {
            throw new IllegalArgumentException("test fraction must be in (0, " + (1 - SCAFFOLD_VAL_SHARE) + "), got " + testFraction);
        }
        Split base = type.split(target, new SplitSizes(1 - testFraction - SCAFFOLD_VAL_SHARE, SCAFFOLD_VAL_SHARE, testFraction), seed);
        int[] test = sorted(base.test());
        int[] nonTest = new int[base.train().length + base.val().length];
        System.arraycopy(base.train(), 0, nonTest, 0, base.train().length);
        System.arraycopy(base.val(), 0, nonTest, base.train().length, base.val().length);
        Arrays.sort(nonTest);
        int[] pool = nonTest;
        if (subsample != null && subsample < nonTest.length) {
            int[] shuffled = nonTest.clone();
            Random rnd = new Random(seed ^ SUBSAMPLE_SALT);
            for (int i = shuffled.length; i > 1; i--) {
                int j = rnd.nextInt(i);
                int t = shuffled[i - 1];
                shuffled[i - 1] = shuffled[j];
                shuffled[j] = t;
            }
            pool = sorted(Arrays.copyOf(shuffled, subsample));
        }
        List<Split> folds = type.folds(target, new Split(pool, new int[0], test), k, seed);
        Set<String> testCanon = new HashSet<>();
        for (int i : test) {
            testCanon.add(target.canonicalSmiles(i));
        }
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < source.size(); i++) {
            if (!testCanon.contains(source.canonicalSmiles(i))) {
                keep.add(i);
            }
        }
        return new Resolved(test, pool, nonTest.length, folds, keep.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int[] sorted(int[] a) {
        int[] r = a.clone();
        Arrays.sort(r);
        return r;
    }
}
