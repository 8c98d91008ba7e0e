package gear.data;

import java.util.Arrays;
import java.util.Random;

/**
 * chemprop v1 "random" split: the positions are shuffled with {@code java.util.Random(seed)}
 * (Fisher–Yates, as {@code Collections.shuffle(list, new Random(seed))}); the first
 * {@code floor(train·n)} go to train, the next up to {@code floor((train+val)·n)} to validation,
 * the rest to test.
 */
public final class RandomSplit {
    private RandomSplit() {}

    /** @return a random split of n molecules */
    public static Split split(int n, SplitSizes sizes, long seed) {
        int[] perm = permutation(n, seed);
        int nTrain = (int) Math.floor(sizes.train() * n + 1e-9);
        int nTrainVal = Math.min(n, (int) Math.floor((sizes.train() + sizes.val()) * n + 1e-9));
        return new Split(Arrays.copyOfRange(perm, 0, nTrain), Arrays.copyOfRange(perm, nTrain, nTrainVal),
                Arrays.copyOfRange(perm, nTrainVal, n));
    }

    /** @return a random split of the data set's molecules */
    public static Split split(MoleculeDataset ds, SplitSizes sizes, long seed) {
        return split(ds.size(), sizes, seed);
    }

    /** @return 0..n-1 shuffled with {@code Collections.shuffle}'s algorithm and {@code new Random(seed)} */
    static int[] permutation(int n, long seed) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        shuffle(a, new Random(seed));
        return a;
    }

    /** In-place shuffle, the same sequence of swaps as {@code Collections.shuffle(list, rnd)}. */
    static void shuffle(int[] a, Random rnd) {
        for (int i = a.length; i > 1; i--) {
            int j = rnd.nextInt(i);
            int t = a[i - 1];
            a[i - 1] = a[j];
            a[j] = t;
        }
    }
}
