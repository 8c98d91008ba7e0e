package gear.chem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** Bemis–Murcko scaffolds with RDKit semantics on hand-written molecules. */
class ScaffoldsTest {
    private static String s(String smi) throws InvalidSmilesException {
        return Chem.scaffold(smi);
    }

    private static int atoms(String smi) throws InvalidSmilesException {
        return Chem.parse(smi).getAtomCount();
    }

    @Test
    void benzeneAndToluene() throws InvalidSmilesException {
        assertEquals("c1ccccc1", s("c1ccccc1"));
        assertEquals("c1ccccc1", s("Cc1ccccc1"));
        assertEquals("c1ccccc1", s("OC(=O)c1ccccc1"));
    }

    /** CDK's own canonical SMILES wrote these symmetric scaffolds two ways, depending on the input spelling. */
    @Test
    void symmetricScaffoldsHaveOneString() throws InvalidSmilesException {
        assertEquals(s("C1CCC(CCCCCC2CCCCC2)CC1"), s("C(CCC1CCCCC1)CCC1CCCCC1"));
        assertEquals(s("C1=CC=CC=CC=C1"), s("C=1C=CC=CC=CC1"));
        assertEquals(s("CC1CC12CCC32CC3"), s("C1CC2(CC2)C13CC3"), "a dispiro hydrocarbon (its own scaffold)");
    }

    @Test
    void acyclicMoleculesHaveEmptyScaffold() throws InvalidSmilesException {
        assertEquals("", s("CCO"));
        assertEquals("", s("CC(=O)OCC"));
        assertEquals("", s("[Na+].[Cl-]"));
    }

    @Test
    void exocyclicDoubleBondsAreKept() throws InvalidSmilesException {
        String ketone = s("O=C1CCCCC1");
        assertEquals(7, atoms(ketone));
        assertEquals(Chem.canonicalSmiles("O=C1CCCCC1"), Chem.canonicalSmiles(ketone));
        assertEquals(ketone, s("CC1CCC(=O)CC1")); // the methyl goes, the =O stays
        // nothing beyond the double-bonded atom is kept
        assertEquals(s("C=C1CCCCC1"), s("CCC=C1CCCCC1"));
    }

    @Test
    void linkersBetweenRingsAreKept() throws InvalidSmilesException {
        String sc = s("CCc1ccc(CCc2ccccc2)cc1");
        assertEquals(14, atoms(sc));
        assertEquals(sc, s("c1ccccc1CCc1ccccc1O"));
        assertNotEquals(sc, s("c1ccccc1Cc1ccccc1"));
    }

    @Test
    void aromaticNitrogenGetsHydrogen() throws InvalidSmilesException {
        assertEquals(s("c1cc[nH]c1"), s("Cn1cccc1"));
    }

    @Test
    void stereoIsIgnored() throws InvalidSmilesException {
        assertEquals(s("C[C@H]1CCCO1"), s("C[C@@H]1CCCO1"));
    }
}
