package gear.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * @return a random split of the data set's molecules that keeps the rows of a repeated molecule
     *     (same canonical SMILES) in one part: the molecules, in order of first appearance, are
     *     shuffled as above and each fills the current part with all its rows. Without repeated
     *     molecules this is exactly {@link #split(int, SplitSizes, long)}.
     */
    public static Split split(MoleculeDataset ds, SplitSizes sizes, long seed) {
        int n = ds.size();
        Map<String, Integer> groupOf = new HashMap<>();
        List<List<Integer>> groups = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int g = groupOf.computeIfAbsent(ds.canonicalSmiles(i), k -> {
                groups.add(new ArrayList<>());
                return groups.size() - 1;
            });
            groups.get(g).add(i);
        }
        if (groups.size() == n) {
            return split(n, sizes, seed);
        }
        int[] perm = permutation(groups.size(), seed);
        int nTrain = (int) Math.floor(sizes.train() * n + 1e-9);
        int nTrainVal = Math.min(n, (int) Math.floor((sizes.train() + sizes.val()) * n + 1e-9));
        List<Integer> train = new ArrayList<>();
        List<Integer> val = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        int placed = 0;
        for (int g : perm) {
            List<Integer> part = placed < nTrain ? train : placed < nTrainVal ? val : test;
            part.addAll(groups.get(g));
            placed += groups.get(g).size();
        }
        return new Split(ints(train), ints(val), ints(test),
                List.of((n - groups.size()) + " repeated rows kept with their molecule's first row in one part"));
    }

    private static int[] ints(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
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
