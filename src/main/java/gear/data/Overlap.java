package gear.data;

import gear.chem.Chem;
import gear.chem.InvalidSmilesException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a target data set's molecules meet a source data set's: the same molecule (equal canonical SMILES, what the
 * transfer's source purge compares), or a near-duplicate that the purge keeps: a stereoisomer (equal
 * {@link Chem#stereoFreeSmiles}) or another form of one parent (equal {@link Chem#parentSmiles}: a salt, hydrate or
 * mixture of the same largest component). A near-duplicate of a target test molecule leaves the source label of an
 * almost identical input in the source; this class counts them so that a protocol can say how many there are
 * ({@code gear datasets overlap}).
 *
 * <p>Each target molecule counts once, in the first class that applies (same, stereoisomer, same parent); its
 * source twins are listed.
 */
public final class Overlap {
    /** How a target molecule meets the source. */
    public enum Kind {
        /** equal canonical SMILES: the purge removes the source molecule */
        SAME,
        /** equal once stereo is dropped, canonical SMILES differ */
        STEREOISOMER,
        /** equal largest stereo-free fragment, stereo-free SMILES differ */
        SAME_PARENT
    }

    /**
     * A target molecule with a source twin.
     *
     * @param targetRow the target molecule's data row in its file (0-based, as
     *     {@code row} of a run's {@code test_predictions.csv}; a repeated molecule's first row)
     * @param target the target molecule's canonical SMILES
     * @param source the source molecule's canonical SMILES
     * @param kind how they meet
     */
    public record Twin(int targetRow, String target, String source, Kind kind) {}

    /**
     * @param targetMolecules distinct target molecules (canonical SMILES)
     * @param sourceMolecules distinct source molecules
     * @param same target molecules in the source
     * @param stereoisomers target molecules with a stereoisomer in the source and not themselves
     * @param sameParent target molecules with another form of their parent in the source, and neither of the above
     * @param twins every near-duplicate pair (kinds {@link Kind#STEREOISOMER} and {@link Kind#SAME_PARENT}), in target order
     */
    public record Result(int targetMolecules, int sourceMolecules, int same, int stereoisomers, int sameParent,
            List<Twin> twins) {
        /** @return the near-duplicates' share of the target molecules */
        public double nearShare() {
            return targetMolecules == 0 ? 0 : (double) (stereoisomers + sameParent) / targetMolecules;
        }
    }

    private Overlap() {}

    /**
     * @param target the target data set (its molecules, by canonical SMILES)
     * @param source the source data set
     * @return the counts and the near-duplicate twins
     * @throws InvalidSmilesException never for molecules the loader accepted (they were canonicalized already)
     */
    public static Result of(MoleculeDataset target, MoleculeDataset source) throws InvalidSmilesException {
        Set<String> src = new LinkedHashSet<>(source.canonicalSmiles());
        Map<String, List<String>> byFree = new HashMap<>();
        Map<String, List<String>> byParent = new HashMap<>();
        for (String s : src) {
            byFree.computeIfAbsent(Chem.stereoFreeSmiles(s), k -> new ArrayList<>()).add(s);
            byParent.computeIfAbsent(Chem.parentSmiles(s), k -> new ArrayList<>()).add(s);
        }
        Set<String> tgt = new LinkedHashSet<>();
        int same = 0;
        int stereo = 0;
        int parent = 0;
        List<Twin> twins = new ArrayList<>();
        for (int i = 0; i < target.size(); i++) {
            String t = target.canonicalSmiles(i);
            int row = target.rowIndex(i);
            if (!tgt.add(t)) {
                continue; // a repeated molecule counts once, at its first row
            }
            if (src.contains(t)) {
                same++;
                continue;
            }
            List<String> f = byFree.get(Chem.stereoFreeSmiles(t));
            if (f != null) {
                stereo++;
                f.forEach(s -> twins.add(new Twin(row, t, s, Kind.STEREOISOMER)));
                continue;
            }
            List<String> p = byParent.get(Chem.parentSmiles(t));
            if (p != null) {
                parent++;
                p.forEach(s -> twins.add(new Twin(row, t, s, Kind.SAME_PARENT)));
            }
        }
        return new Result(tgt.size(), src.size(), same, stereo, parent, List.copyOf(twins));
    }
}
