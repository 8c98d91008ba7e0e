package gear.experiment.grid;

import gear.data.BadInputException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The checks that a matched pair cell is comparable with its task set's k-task GEAR cell ({@link TaskSets}; docs/KTASKS.md,
 * "The comparison with the best single source"), with the counts of how each was checked:
 * <ul>
 *   <li><b>target split</b>: the same training, validation and test sizes, and where both cells recorded it (or have a
 *       {@code splits.json}), the same {@link TargetSplit} fingerprint;</li>
 *   <li><b>options</b>: every option both record (both are GEAR cells, so the method's own options count as well:
 *       epochs, patience, pretrain_*, batch size, latent sizes, the loss weights, ...) and the tuned values' file hash
 *       where both ran with tuned values ({@link CellOptions}).</li>
 * </ul>
 * A difference refuses the comparison ({@link BadInputException} naming both cells); an unpaired comparison is never
 * made silently. One instance serves one comparison (it caches the cells' options).
 */
final class PairCellCheck {
    private final CellOptions options = new CellOptions();
    private int fingerprinted;
    private int sizesOnly;
    private int optionsCompared;
    private int optionsUnknown;

    /**
     * Checks the target split and the options of a matched pair cell against the k-task GEAR cell's.
     *
     * @param g the k-task GEAR cell's row
     * @param gDir its directory (null: none known)
     * @param gridDir its grid's directory (null: none known)
     * @param c the matched pair cell
     * @throws BadInputException when the split sizes, the split fingerprints or an option differ
     */
    void check(ResultRow g, Path gDir, Path gridDir, PairCell c) {
        if (split(g, gDir, c)) {
            fingerprinted++;
        } else {
            sizesOnly++;
        }
        if (options(g, options.of(g, gDir, gridDir), c)) {
            optionsCompared++;
        } else {
            optionsUnknown++;
        }
    }

    /** @return matched pair cells whose target split was compared by fingerprint */
    int fingerprinted() {
        return fingerprinted;
    }

    /** @return matched pair cells compared by split sizes only (a side without a recorded fingerprint) */
    int sizesOnly() {
        return sizesOnly;
    }

    /** @return matched pair cells whose options were compared with the k-task cell's */
    int optionsCompared() {
        return optionsCompared;
    }

    /** @return matched pair cells whose options (or the k-task cell's) could not be read, so not compared */
    int optionsUnknown() {
        return optionsUnknown;
    }

    /** @return true when compared by fingerprint, false when by sizes only */
    private static boolean split(ResultRow g, Path gDir, PairCell c) {
        ResultRow r = c.row();
        if (g.nTrain() != r.nTrain() || g.nVal() != r.nVal() || g.nTest() != r.nTest()) {
            throw new BadInputException("the target splits of " + both(g, c) + " differ: train/validation/test sizes "
                    + g.nTrain() + "/" + g.nVal() + "/" + g.nTest() + " against " + r.nTrain() + "/" + r.nVal() + "/"
                    + r.nTest() + "; the pair grid was run with another protocol (test fraction, folds, target subsample "
                    + "or data), or the grid of a pair with these sizes (the same source and target under another target "
                    + "subsample) has no GEAR cell of this split type yet: run it and give it with --pairs-from");
        }
        String a = TargetSplit.of(g, gDir);
        String b = TargetSplit.of(r, c.dir());
        if (a == null || b == null) {
            return false;
        }
        if (!a.equals(b)) {
            throw new BadInputException("the target splits of " + both(g, c) + " differ: target-split fingerprints " + a
                    + " and " + b + " (same sizes, other molecules or another target file); the comparison would not be "
                    + "paired");
        }
        return true;
    }

    /**
     * @param gOptions the k-task cell's options (null: unknown)
     * @return true when compared, false when either side's options are unknown
     */
    private boolean options(ResultRow g, Map<String, String> gOptions, PairCell c) {
        Map<String, String> p = options.of(c.row(), c.dir(), c.grid());
        if (gOptions == null || p == null) {
            return false;
        }
        List<String> differ = CellOptions.differences(gOptions, p);
        if (!differ.isEmpty()) {
            throw new BadInputException(both(g, c) + " ran with other options (task set against pair): "
                    + String.join("; ", differ) + "; the comparison would not be paired: give pair cells run with the "
                    + "task-set grid's protocol and tuned values (--pairs-from)");
        }
        return true;
    }

    /** @return "task set S (cell G) and its pair cell P (source → target, split, seed, fold)" */
    private static String both(ResultRow g, PairCell c) {
        ResultRow r = c.row();
        return "task set " + g.pair() + " (cell " + g.cell() + ") and its pair cell " + c.where() + " (" + r.source() + " → "
                + r.target() + ", " + r.splitType() + " split, seed " + r.seed() + ", fold " + r.fold() + ")";
    }
}
