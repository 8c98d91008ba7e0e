package gear.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.TestData;
import gear.chem.Chem;
import gear.chem.InvalidSmilesException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Overlap} on a public pair (sim-tc: simulated alkane Tc → NIST Tc), against an independent oracle: the
 * stereo-free key written as text (the stereo marks {@code @ / \} deleted from the canonical SMILES, then
 * canonicalized again) instead of CDK's stereo elements dropped from the molecule.
 */
class OverlapDataTest {
    /** A shared data file as the grid loads it (bad rows skipped, the first of repeated molecules kept). */
    private static MoleculeDataset load(String file, String column) {
        return CsvLoader.of(TestData.data(file)).targetColumns(List.of(column)).policy(InvalidPolicy.SKIP)
                .duplicates(DuplicatePolicy.FIRST).featurize(false).load().dataset();
    }

    private static String textualStereoFree(String canonical) throws InvalidSmilesException {
        return Chem.canonicalSmiles(canonical.replace("@", "").replace("/", "").replace("\\", ""));
    }

    @Test
    void stereoisomersAgreeWithTheTextualOracle() throws InvalidSmilesException {
        MoleculeDataset src = load("thermosim_alkanes_critical.csv", "Tc_sim_K");
        MoleculeDataset tgt = load("nist_tde_critical_temperature.csv", "Tc_K");
        Overlap.Result r = Overlap.of(tgt, src);

        Set<String> srcCanon = new HashSet<>(src.canonicalSmiles());
        Set<String> srcFree = new HashSet<>();
        for (String s : srcCanon) {
            srcFree.add(textualStereoFree(s));
        }
        Set<String> tgtCanon = new HashSet<>(tgt.canonicalSmiles());
        int same = 0;
        int stereo = 0;
        for (String t : tgtCanon) {
            if (srcCanon.contains(t)) {
                same++;
            } else if (srcFree.contains(textualStereoFree(t))) {
                stereo++;
            }
        }
        assertEquals(tgtCanon.size(), r.targetMolecules());
        assertEquals(srcCanon.size(), r.sourceMolecules());
        assertEquals(same, r.same());
        assertEquals(stereo, r.stereoisomers());
        assertTrue(stereo > 0, "the pair has stereoisomers across its files");
        for (Overlap.Twin w : r.twins()) {
            assertNotEquals(w.target(), w.source());
            assertEquals(w.target(), tgt.canonicalSmiles().get(indexOfRow(tgt, w.targetRow())), "target_row names the molecule");
            if (w.kind() == Overlap.Kind.STEREOISOMER) {
                assertEquals(textualStereoFree(w.target()), textualStereoFree(w.source()));
            }
        }
    }

    /**
     * Pairs against the data manifest's overlap (molecules in both sets by RDKit's canonical SMILES). aqsol-esol: RDKit's
     * sanitization writes every nitro group charge-separated; ESOL writes 47 of its nitro compounds {@code N(=O)=O},
     * AqSolDB {@code [N+](=O)[O-]}; with the featurizer's cleanUp rules in the canonical SMILES both count as one.
     * tb-flash: 1,5-dicyclohexylpentane, written two ways, got two strings from CDK's labelling. mp-logs: AqSolDB gives
     * amitriptyline and nortriptyline a double-bond configuration that means nothing (the two aryl arms are
     * equivalent), which RDKit drops.
     */
    @ParameterizedTest
    @ValueSource(strings = {"aqsol-esol", "tb-flash", "mp-logs"})
    void overlapEqualsTheManifests(String id) throws InvalidSmilesException {
        DatasetPair p = DatasetRegistry.load().pair(id).orElseThrow();
        MoleculeDataset src = load(p.source() + ".csv", p.sourceColumn());
        MoleculeDataset tgt = load(p.target() + ".csv", p.targetColumn());
        assertEquals(p.overlap(), Overlap.of(tgt, src).same());
    }

    private static int indexOfRow(MoleculeDataset d, int row) {
        for (int i = 0; i < d.size(); i++) {
            if (d.rowIndex(i) == row) {
                return i;
            }
        }
        throw new AssertionError("no molecule at data row " + row);
    }
}
