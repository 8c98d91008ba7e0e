package gear.train;

import gear.chem.MolGraph;
import java.util.List;

/**
 * Featurized molecules with their targets: one split (train, validation or test).
 *
 * @param graphs the molecules
 * @param targets one row per molecule, one column per target, NaN where the value is missing
 */
public record GraphSet(List<MolGraph> graphs, double[][] targets) {
    /** Checks that rows and molecules match and all rows have the same width. */
    public GraphSet {
        if (graphs.size() != targets.length) {
            throw new IllegalArgumentException(graphs.size() + " molecules but " + targets.length + " target rows");
        }
        for (int i = 1; i < targets.length; i++) {
            if (targets[i].length != targets[0].length) {
                throw new IllegalArgumentException("target row " + i + " has " + targets[i].length
                        + " values, row 0 has " + targets[0].length);
            }
        }
    }

    /** @return number of molecules */
    public int size() {
        return graphs.size();
    }

    /** @return number of targets (0 for an empty set) */
    public int numTasks() {
        return targets.length == 0 ? 0 : targets[0].length;
    }
}
