package gear.chem;

/**
 * A featurized molecular graph in the chemprop v1 layout (Yang et al., JCIM 59:3370, 2019).
 *
 * <p>Atoms are in SMILES order; atom {@code a} has features
 * {@code atomFeatures[a*ATOM_FDIM .. (a+1)*ATOM_FDIM)}. Bonds are in chemprop's MolGraph order (for
 * atom pairs a1 &lt; a2 in atom order, if bonded); bond {@code k} joins {@code bondBegin[k]} &lt;
 * {@code bondEnd[k]} and has features {@code bondFeatures[k*BOND_FDIM .. (k+1)*BOND_FDIM)}. It gives
 * two directed edges: {@code 2k} = begin→end and {@code 2k+1} = end→begin, so the reverse of edge
 * {@code e} is {@code e ^ 1}.
 *
 * <p>Instances are immutable by convention (arrays are not copied; do not modify them).
 */
public final class MolGraph {
    /** Atom feature width: 101 + 7 + 6 + 5 + 6 + 6 + 1 + 1. */
    public static final int ATOM_FDIM = 133;
    /** Bond feature width: 1 + 4 + 1 + 1 + 7. */
    public static final int BOND_FDIM = 14;

    private final String smiles;
    private final int nAtoms;
    private final float[] atomFeatures;
    private final int[] bondBegin;
    private final int[] bondEnd;
    private final float[] bondFeatures;

    /**
     * @param smiles the input SMILES (as given)
     * @param nAtoms number of heavy atoms (hydrogens folded into H counts)
     * @param atomFeatures nAtoms × ATOM_FDIM, row-major
     * @param bondBegin lower atom index of each bond
     * @param bondEnd higher atom index of each bond
     * @param bondFeatures nBonds × BOND_FDIM, row-major
     */
    public MolGraph(String smiles, int nAtoms, float[] atomFeatures, int[] bondBegin, int[] bondEnd, float[] bondFeatures) {
        if (atomFeatures.length != nAtoms * ATOM_FDIM) {
            throw new IllegalArgumentException("atom features: " + atomFeatures.length + " != " + nAtoms + "×" + ATOM_FDIM);
        }
        if (bondBegin.length != bondEnd.length || bondFeatures.length != bondBegin.length * BOND_FDIM) {
            throw new IllegalArgumentException("inconsistent bond arrays");
        }
        this.smiles = smiles;
        this.nAtoms = nAtoms;
        this.atomFeatures = atomFeatures;
        this.bondBegin = bondBegin;
        this.bondEnd = bondEnd;
        this.bondFeatures = bondFeatures;
    }

    /** @return the SMILES this graph was made from */
    public String smiles() {
        return smiles;
    }

    /** @return number of atoms (0 for an atom-free molecule) */
    public int nAtoms() {
        return nAtoms;
    }

    /** @return number of (undirected) bonds */
    public int nBonds() {
        return bondBegin.length;
    }

    /** @return number of directed edges, 2 × nBonds */
    public int nEdges() {
        return 2 * bondBegin.length;
    }

    /** @return atom features, nAtoms × ATOM_FDIM row-major (do not modify) */
    public float[] atomFeatures() {
        return atomFeatures;
    }

    /** @return bond features, nBonds × BOND_FDIM row-major (do not modify) */
    public float[] bondFeatures() {
        return bondFeatures;
    }

    /** @return begin atom of each bond (do not modify) */
    public int[] bondBegin() {
        return bondBegin;
    }

    /** @return end atom of each bond (do not modify) */
    public int[] bondEnd() {
        return bondEnd;
    }

    /** @return source atom of directed edge e */
    public int edgeSource(int e) {
        return (e & 1) == 0 ? bondBegin[e >> 1] : bondEnd[e >> 1];
    }

    /** @return target atom of directed edge e */
    public int edgeTarget(int e) {
        return (e & 1) == 0 ? bondEnd[e >> 1] : bondBegin[e >> 1];
    }

    /** @return the reverse edge of e (e ^ 1) */
    public static int reverse(int e) {
        return e ^ 1;
    }
}
