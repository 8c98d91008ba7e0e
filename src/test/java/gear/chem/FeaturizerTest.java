package gear.chem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.openscience.cdk.silent.SilentChemObjectBuilder;

/**
 * Featurization of hand-written SMILES with hand-derived expected values (chemprop v1 layout, RDKit
 * semantics). Slots: atomic number Z-1; degree 101+d; charge 108+[-1,-2,+1,+2,0]; chiral 114+tag;
 * H 119+h; hybridization 125+[SP,SP2,SP3,SP3D,SP3D2,other]; aromatic 131; mass 132. Bond: type 1..4,
 * conjugated 5, ring 6, stereo 7+[NONE,ANY,Z,E,CIS,TRANS,other].
 */
class FeaturizerTest {
    private static MolGraph f(String s) throws InvalidSmilesException {
        return Chem.featurize(s);
    }

    /** @return the index of the set slot of an atom's one-hot block, or -1 */
    private static int slot(MolGraph g, int atom, int start, int len) {
        int hit = -1;
        for (int i = 0; i < len; i++) {
            float v = g.atomFeatures()[atom * MolGraph.ATOM_FDIM + start + i];
            if (v == 1f) {
                assertEquals(-1, hit, "two slots set in one block");
                hit = i;
            } else {
                assertEquals(0f, v);
            }
        }
        return hit;
    }

    private static int z(MolGraph g, int a) {
        return slot(g, a, 0, 101) + 1;
    }

    private static int degree(MolGraph g, int a) {
        return slot(g, a, 101, 7);
    }

    private static int charge(MolGraph g, int a) {
        return slot(g, a, 108, 6);
    }

    private static int chiral(MolGraph g, int a) {
        return slot(g, a, 114, 5);
    }

    private static int hs(MolGraph g, int a) {
        return slot(g, a, 119, 6);
    }

    private static int hyb(MolGraph g, int a) {
        return slot(g, a, 125, 6);
    }

    private static float aromatic(MolGraph g, int a) {
        return g.atomFeatures()[a * MolGraph.ATOM_FDIM + 131];
    }

    private static float mass(MolGraph g, int a) {
        return g.atomFeatures()[a * MolGraph.ATOM_FDIM + 132];
    }

    private static float[] bond(MolGraph g, int k) {
        float[] b = new float[MolGraph.BOND_FDIM];
        System.arraycopy(g.bondFeatures(), k * MolGraph.BOND_FDIM, b, 0, MolGraph.BOND_FDIM);
        return b;
    }

    /** Bond vector from type slot (1..4), conjugated, ring, stereo slot (0..6). */
    private static float[] bondVec(int type, boolean conj, boolean ring, int stereo) {
        float[] b = new float[MolGraph.BOND_FDIM];
        b[type] = 1;
        b[5] = conj ? 1 : 0;
        b[6] = ring ? 1 : 0;
        b[7 + stereo] = 1;
        return b;
    }

    @Test
    void graphLayoutAndReverseIndex() throws InvalidSmilesException {
        MolGraph g = f("CCO");
        assertEquals(3, g.nAtoms());
        assertEquals(2, g.nBonds());
        assertEquals(4, g.nEdges());
        assertArrayEquals(new int[] {0, 1}, g.bondBegin());
        assertArrayEquals(new int[] {1, 2}, g.bondEnd());
        int[][] edges = {{0, 1}, {1, 0}, {1, 2}, {2, 1}};
        for (int e = 0; e < 4; e++) {
            assertEquals(edges[e][0], g.edgeSource(e), "source of edge " + e);
            assertEquals(edges[e][1], g.edgeTarget(e), "target of edge " + e);
            assertEquals(e ^ 1, MolGraph.reverse(e));
            assertEquals(g.edgeSource(e), g.edgeTarget(MolGraph.reverse(e)));
        }
        assertEquals(8, z(g, 2));
        assertEquals(1, hs(g, 2));
        assertEquals(3, hs(g, 0));
        assertEquals(4, degree(g, 1));
        assertEquals(2, hyb(g, 1)); // SP3
    }

    @Test
    void bondsFollowChempropPairOrderNotSmilesOrder() throws InvalidSmilesException {
        // ring closure 0-5 is written last but comes first among pairs (0,1),(0,5),(1,2)...
        MolGraph g = f("C1CCCCC1");
        assertArrayEquals(new int[] {0, 0, 1, 2, 3, 4}, g.bondBegin());
        assertArrayEquals(new int[] {1, 5, 2, 3, 4, 5}, g.bondEnd());
    }

    @Test
    void benzene() throws InvalidSmilesException {
        MolGraph g = f("c1ccccc1");
        assertEquals(6, g.nAtoms());
        for (int a = 0; a < 6; a++) {
            assertEquals(6, z(g, a));
            assertEquals(3, degree(g, a));
            assertEquals(4, charge(g, a)); // neutral
            assertEquals(0, chiral(g, a));
            assertEquals(1, hs(g, a));
            assertEquals(1, hyb(g, a)); // SP2
            assertEquals(1f, aromatic(g, a));
            assertEquals(0.12011f, mass(g, a), 2e-5f);
        }
        for (int k = 0; k < 6; k++) {
            assertArrayEquals(bondVec(4, true, true, 0), bond(g, k));
        }
        // Kekulé input gives the same graph
        MolGraph k = f("C1=CC=CC=C1");
        assertArrayEquals(g.atomFeatures(), k.atomFeatures());
        assertArrayEquals(g.bondFeatures(), k.bondFeatures());
    }

    @Test
    void pyridineAndPyrrole() throws InvalidSmilesException {
        MolGraph py = f("c1ccncc1");
        assertEquals(7, z(py, 3));
        assertEquals(2, degree(py, 3));
        assertEquals(0, hs(py, 3));
        assertEquals(1, hyb(py, 3));
        assertEquals(1f, aromatic(py, 3));
        MolGraph pr = f("c1cc[nH]c1");
        assertEquals(7, z(pr, 3));
        assertEquals(3, degree(pr, 3));
        assertEquals(1, hs(pr, 3));
        assertEquals(1, hyb(pr, 3)); // lone pair in the pi system: SP2
        assertEquals(1f, aromatic(pr, 3));
        for (int k = 0; k < pr.nBonds(); k++) {
            assertArrayEquals(bondVec(4, true, true, 0), bond(pr, k));
        }
    }

    @Test
    void chargedAtoms() throws InvalidSmilesException {
        MolGraph nh4 = f("[NH4+]");
        assertEquals(1, nh4.nAtoms());
        assertEquals(2, charge(nh4, 0)); // +1
        assertEquals(4, hs(nh4, 0));
        assertEquals(4, degree(nh4, 0));
        assertEquals(2, hyb(nh4, 0)); // SP3
        MolGraph formate = f("C(=O)[O-]");
        assertEquals(4, charge(formate, 0));
        assertEquals(0, charge(formate, 2)); // -1
        assertEquals(1, hyb(formate, 2)); // O- next to C=O: SP2
        assertArrayEquals(bondVec(2, true, false, 0), bond(formate, 0));
        assertArrayEquals(bondVec(1, true, false, 0), bond(formate, 1));
        // nitro written with pentavalent N is charge-separated as RDKit's sanitization does
        MolGraph nitro = f("CN(=O)=O");
        assertEquals(2, charge(nitro, 1));
        assertEquals(0, charge(nitro, 2)); // the first =O becomes O-
        assertEquals(4, charge(nitro, 3));
        assertArrayEquals(bondVec(1, true, false, 0), bond(nitro, 1));
        assertArrayEquals(bondVec(2, true, false, 0), bond(nitro, 2));
        // so is an azide written with a pentavalent N
        assertArrayEquals(f("CN=[N+]=[N-]").atomFeatures(), f("CN=N#N").atomFeatures());
        assertArrayEquals(f("CN=[N+]=[N-]").bondFeatures(), f("CN=N#N").bondFeatures());
    }

    @Test
    void conjugationAndHybridizationRules() throws InvalidSmilesException {
        // methyl acetate: C(=O)-O conjugated, O-CH3 not; ester O is SP2
        MolGraph ester = f("CC(=O)OC");
        assertArrayEquals(bondVec(1, false, false, 0), bond(ester, 0)); // C-C
        assertArrayEquals(bondVec(2, true, false, 0), bond(ester, 1)); // C=O
        assertArrayEquals(bondVec(1, true, false, 0), bond(ester, 2)); // C-O
        assertArrayEquals(bondVec(1, false, false, 0), bond(ester, 3)); // O-C
        assertEquals(1, hyb(ester, 3));
        assertEquals(2, hyb(ester, 4));
        // acetamide N is SP2, ethylamine N is SP3
        assertEquals(1, hyb(f("CC(N)=O"), 2));
        assertEquals(2, hyb(f("CCN"), 2));
        // vinyl chloride: Cl cannot conjugate
        MolGraph vc = f("C=CCl");
        assertArrayEquals(bondVec(2, false, false, 0), bond(vc, 0));
        assertArrayEquals(bondVec(1, false, false, 0), bond(vc, 1));
        // butadiene: all conjugated; acetylene SP
        MolGraph bd = f("C=CC=C");
        for (int k = 0; k < 3; k++) {
            assertEquals(1f, bond(bd, k)[5]);
        }
        assertEquals(0, hyb(f("C#C"), 0));
        assertArrayEquals(bondVec(3, false, false, 0), bond(f("C#C"), 0));
    }

    @Test
    void tetrahedralChirality() throws InvalidSmilesException {
        MolGraph a = f("C[C@H](N)O");
        MolGraph b = f("C[C@@H](N)O");
        assertEquals(2, chiral(a, 1)); // CCW
        assertEquals(1, chiral(b, 1)); // CW
        // the tag is relative to RDKit's bond order: the H written first flips it
        assertEquals(1, chiral(f("[C@H](C)(N)O"), 0));
        // ring-closure bonds count after chain bonds: SMILES order (C0, H, O5, C2) clockwise; RDKit's bond
        // order (C0, C2, O5) with H last is an odd permutation of it, so the tag becomes CCW
        assertEquals(2, chiral(f("C[C@@H]1CCCO1"), 1));
        assertEquals(1, chiral(f("C[C@@H](CCC1)O1"), 1)); // the ring closure is not on the centre
        // not a stereocentre: two identical substituents, the tag is dropped
        assertEquals(0, chiral(f("C[C@H](C)O"), 1));
        assertEquals(0, chiral(f("CCO"), 1));
        // ring stereo: symmetric ring neighbours are fine when another centre is in the ring (cis-1,4-
        // dimethylcyclohexane), not in methylcyclohexane
        assertEquals(0, chiral(f("C[C@H]1CCCCC1"), 1));
        MolGraph cis = f("C[C@H]1CC[C@@H](C)CC1");
        assertEquals(true, chiral(cis, 1) != 0 && chiral(cis, 4) != 0);
    }

    @Test
    void doubleBondStereo() throws InvalidSmilesException {
        MolGraph e = f("F/C=C/F");
        MolGraph z = f("F/C=C\\F");
        assertArrayEquals(bondVec(2, false, false, 3), bond(e, 1)); // STEREOE
        assertArrayEquals(bondVec(2, false, false, 2), bond(z, 1)); // STEREOZ
        // E/Z follows CIP priority (Cl > CH3), not the atoms the marks are written on
        assertEquals(1f, bond(f("C/C(Cl)=C/C"), 2)[7 + 2]); // CH3 trans to CH3 = Cl cis to CH3: Z
        // no stereo on a double bond with two identical substituents at one end
        assertEquals(1f, bond(f("C/C(C)=C/C"), 2)[7]);
        assertEquals(1f, bond(f("CC=CC"), 1)[7]);
    }

    @Test
    void explicitHydrogensAreFolded() throws InvalidSmilesException {
        MolGraph g = f("[H]C([H])([H])[H]");
        assertEquals(1, g.nAtoms());
        assertEquals(0, g.nBonds());
        assertEquals(4, hs(g, 0));
        assertEquals(4, degree(g, 0));
        MolGraph m = f("[H]OC");
        assertEquals(2, m.nAtoms());
        assertEquals(8, z(m, 0));
        assertEquals(1, hs(m, 0));
        assertArrayEquals(f("OC").atomFeatures(), m.atomFeatures());
        // H2, a bare proton and deuterium stay atoms (RemoveHs keeps them)
        assertEquals(2, f("[H][H]").nAtoms());
        MolGraph proton = f("[H+]");
        assertEquals(1, proton.nAtoms());
        assertEquals(1, z(proton, 0));
        assertEquals(2, charge(proton, 0));
        assertEquals(5, hyb(proton, 0)); // S -> other
    }

    @Test
    void saltIsOneGraph() throws InvalidSmilesException {
        MolGraph g = f("[Na+].[Cl-]");
        assertEquals(2, g.nAtoms());
        assertEquals(0, g.nBonds());
        assertEquals(11, z(g, 0));
        assertEquals(17, z(g, 1));
        assertEquals(2, charge(g, 0));
        assertEquals(0, charge(g, 1));
        assertEquals(0, degree(g, 0));
        assertEquals(5, hyb(g, 0)); // S -> other
    }

    @Test
    void isotopes() throws InvalidSmilesException {
        MolGraph c13 = f("[13CH4]");
        assertEquals(1, c13.nAtoms());
        assertEquals(4, hs(c13, 0));
        assertEquals(0.1300335f, mass(c13, 0), 1e-6f);
        MolGraph d2o = f("[2H]O[2H]");
        assertEquals(3, d2o.nAtoms());
        assertEquals(2, d2o.nBonds());
        assertEquals(1, z(d2o, 0));
        assertEquals(0, hs(d2o, 1));
        assertEquals(2, degree(d2o, 1));
        assertEquals(0.02014f, mass(d2o, 0), 1e-5f);
        assertEquals(0.15999f, mass(d2o, 1), 2e-5f);
    }

    @Test
    void unknownElementsUseTheOtherSlot() throws InvalidSmilesException {
        assertEquals(100, slot(f("[Og]"), 0, 0, 101));
        assertEquals(100, slot(f("[Lr]"), 0, 0, 101)); // Z = 103
        assertEquals(99, slot(f("[Fm]"), 0, 0, 101)); // Z = 100 is still known
        // a dummy atom (Z = 0) is not an element: refused (RDKit accepts it; docs/CHEMISTRY.md)
        org.junit.jupiter.api.Assertions.assertThrows(InvalidSmilesException.class, () -> f("*C"));
    }

    @Test
    void highDegreeUsesTheLastSlots() throws InvalidSmilesException {
        MolGraph pf6 = f("F[P-](F)(F)(F)(F)F");
        assertEquals(6, degree(pf6, 1)); // degree 6 -> other
        assertEquals(4, hyb(pf6, 1)); // SP3D2
        assertEquals(3, hyb(f("ClP(Cl)(Cl)(Cl)Cl"), 1)); // SP3D
    }

    @Test
    void atomFreeMoleculeGivesEmptyGraph() {
        MolGraph g = Featurizer.build("", SilentChemObjectBuilder.getInstance().newAtomContainer());
        assertEquals(0, g.nAtoms());
        assertEquals(0, g.nBonds());
        assertEquals(0, g.atomFeatures().length);
    }

    @Test
    void invalidSmilesIsRejected() {
        assertThrows(InvalidSmilesException.class, () -> f("C1CC"));
        assertThrows(InvalidSmilesException.class, () -> f("not a smiles"));
        assertThrows(InvalidSmilesException.class, () -> f(" "));
    }
}
