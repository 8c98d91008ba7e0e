package gear.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A partition of (part of) a {@link MoleculeDataset} into train, validation and test molecules.
 * Indices are <em>positions in the data set</em> (0..size-1), not file rows; {@link SplitsFile}
 * converts to and from the 0-based data-row indices of split files. Molecules may be left out of
 * every part (for example rows with a missing value in a value split); {@link #notes()} says why.
 *
 * @param train training positions
 * @param val validation positions
 * @param test test positions
 * @param notes informational messages (may be empty)
 */
public record Split(int[] train, int[] val, int[] test, List<String> notes) {
    public Split {
        train = train.clone();
        val = val.clone();
        test = test.clone();
        notes = List.copyOf(notes);
    }

    /** A split without notes. */
    public Split(int[] train, int[] val, int[] test) {
        this(train, val, test, List.of());
    }

    /** @return number of molecules in the three parts */
    public int size() {
        return train.length + val.length + test.length;
    }

    /**
     * Checks that every position is in 0..n-1 and appears at most once over the three parts.
     *
     * @throws IllegalArgumentException naming the first offending position
     */
    public Split validate(int n) {
        String[] where = new String[n];
        String[] names = {"train", "val", "test"};
        int[][] parts = {train, val, test};
        for (int p = 0; p < 3; p++) {
            for (int i : parts[p]) {
                if (i < 0 || i >= n) {
                    throw new IllegalArgumentException(names[p] + " position " + i + " outside 0.." + (n - 1));
                }
                if (where[i] != null) {
                    throw new IllegalArgumentException("position " + i + " is in both " + where[i] + " and " + names[p]);
                }
                where[i] = names[p];
            }
        }
        return this;
    }

    /** Fewest training molecules with a value that a target needs. */
    public static final int MIN_TRAIN = 3;

    /**
     * Refuses a split that cannot train a model on {@code ds}: a target column with fewer than
     * {@link #MIN_TRAIN} training molecules that have a value, or an empty validation set (model
     * selection and early stopping need one; a test RMSE from such a run means nothing).
     *
     * @return this split
     * @throws BadInputException naming the file, the column and the counts
     */
    public Split requireTrainable(MoleculeDataset ds) {
        String file = ds.sourceFile().map(Object::toString).orElse(ds.name());
        for (int c = 0; c < ds.numTargets(); c++) {
            int have = 0;
            for (int i : train) {
                if (!Double.isNaN(ds.target(i, c))) {
                    have++;
                }
            }
            if (have < MIN_TRAIN) {
                throw new BadInputException(file + ": column '" + ds.targetNames().get(c) + "' has " + have
                        + " training molecule" + (have == 1 ? "" : "s") + " with a value (" + ds.size()
                        + " molecules in all, split " + this + "); at least " + MIN_TRAIN + " are needed to train");
            }
        }
        if (val.length == 0) {
            throw new BadInputException(file + ": the validation set is empty (" + ds.size() + " molecules, split "
                    + this + "); give more molecules or a larger validation fraction (--split-sizes)");
        }
        return this;
    }

    /** @return the training molecules (shares graphs with {@code ds}) */
    public MoleculeDataset trainSet(MoleculeDataset ds) {
        return ds.subset(train);
    }

    /** @return the validation molecules */
    public MoleculeDataset valSet(MoleculeDataset ds) {
        return ds.subset(val);
    }

    /** @return the test molecules */
    public MoleculeDataset testSet(MoleculeDataset ds) {
        return ds.subset(test);
    }

    /** @return this split with one more note */
    public Split withNote(String note) {
        List<String> n = new ArrayList<>(notes);
        n.add(note);
        return new Split(train, val, test, n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Split s && Arrays.equals(train, s.train) && Arrays.equals(val, s.val)
                && Arrays.equals(test, s.test);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(train) + Arrays.hashCode(val)) + Arrays.hashCode(test);
    }

    @Override
    public String toString() {
        return "Split[train=" + train.length + ", val=" + val.length + ", test=" + test.length + "]";
    }
}
