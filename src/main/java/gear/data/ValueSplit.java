package gear.data;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Extrapolation split by target value: molecules are sorted by one target (ascending; ties by data
 * row index); the lowest {@code floor((train+val)·m)} of the {@code m} molecules with a value go
 * to train and validation, the highest rest to test. The low part is shuffled with
 * {@code java.util.Random(seed)} and its first {@code round(val/(train+val) · size)} molecules
 * become validation. Molecules with a missing value of that target are left out (with a note).
 */
public final class ValueSplit {
    private ValueSplit() {}

    /**
     * @param ds the data set
     * @param target index of the target to sort by
     * @param sizes fractions (the test fraction is the top of the value range)
     * @param seed shuffle seed for the train/validation division
     */
    public static Split split(MoleculeDataset ds, int target, SplitSizes sizes, long seed) {
        Integer[] idx = new Integer[ds.size()];
        int m = 0;
        for (int i = 0; i < ds.size(); i++) {
            if (!Double.isNaN(ds.target(i, target))) {
                idx[m++] = i;
            }
        }
        Integer[] valued = Arrays.copyOf(idx, m);
        Arrays.sort(valued, Comparator.<Integer>comparingDouble(i -> ds.target(i, target)).thenComparingInt(ds::rowIndex));
        int nLow = (int) Math.floor((sizes.train() + sizes.val()) * m + 1e-9);
        int[] low = new int[nLow];
        for (int k = 0; k < nLow; k++) {
            low[k] = valued[k];
        }
        int[] test = new int[m - nLow];
        for (int k = nLow; k < m; k++) {
            test[k - nLow] = valued[k];
        }
        RandomSplit.shuffle(low, new Random(seed));
        double tv = sizes.train() + sizes.val();
        int nVal = tv == 0 ? 0 : (int) Math.round(sizes.val() / tv * nLow);
        Split s = new Split(Arrays.copyOfRange(low, nVal, nLow), Arrays.copyOfRange(low, 0, nVal), test,
                List.of("value split on '" + ds.targetNames().get(target) + "': test = the highest " + test.length
                        + " values" + (m > 0 && test.length > 0 ? " (>= " + ds.target(test[0], target) + ")" : "")));
        if (m < ds.size()) {
            s = s.withNote((ds.size() - m) + " molecules without a value of '" + ds.targetNames().get(target)
                    + "' left out of the value split");
        }
        return s;
    }
}
