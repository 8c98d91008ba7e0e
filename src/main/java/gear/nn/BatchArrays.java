package gear.nn;

import gear.chem.MolGraph;
import java.util.List;

/**
 * The first stage of building a {@link BatchGraph}: its plain Java arrays ({@link BatchGraph.Arrays}, row-major), with
 * no native calls, so that it is safe on any thread (e.g. a producer thread of the training pipeline).
 *
 * <p>The batch is one disjoint-union graph: the atoms of molecule i follow those of molecules 0..i−1, and its directed
 * edges likewise, bond k of a molecule giving edges 2k (begin → end) and 2k + 1 (end → begin). So molecule-local edge
 * {@code e} of a molecule whose edges start at offset {@code o} becomes {@code o + e} and its reverse stays
 * {@code (o + e) ^ 1} (offsets are even). An atom-free molecule has no atom rows and an atom count of 1 (the divisor of
 * the mean readout), so its molecule vector is the zero vector, exactly as chemprop v1's {@code cached_zero_vector}.
 */
final class BatchArrays {
    private BatchArrays() {}

    /**
     * @param mols the molecules, in batch order (at least one)
     * @return their batch arrays
     */
    static BatchGraph.Arrays of(List<MolGraph> mols) {
        int nA = 0;
        int nE = 0;
        for (MolGraph g : mols) {
            nA += g.nAtoms();
            nE += g.nEdges();
        }
        final int af = MolGraph.ATOM_FDIM;
        final int bf = MolGraph.BOND_FDIM;
        float[] atoms = new float[nA * af];
        float[] edgeB = new float[nE * bf];
        long[] src = new long[nE];
        long[] tgt = new long[nE];
        long[] rev = new long[nE];
        long[] mol = new long[nA];
        float[] counts = new float[mols.size()];
        int aOff = 0;
        int eOff = 0;
        for (int m = 0; m < mols.size(); m++) {
            MolGraph g = mols.get(m);
            float[] x = g.atomFeatures();
            float[] b = g.bondFeatures();
            System.arraycopy(x, 0, atoms, aOff * af, g.nAtoms() * af);
            for (int a = 0; a < g.nAtoms(); a++) {
                mol[aOff + a] = m;
            }
            counts[m] = Math.max(1, g.nAtoms());
            int[] begin = g.bondBegin();
            int[] end = g.bondEnd();
            for (int k = 0; k < begin.length; k++) {
                for (int dir = 0; dir < 2; dir++) {
                    int e = eOff + 2 * k + dir;
                    int u = dir == 0 ? begin[k] : end[k];
                    int v = dir == 0 ? end[k] : begin[k];
                    src[e] = aOff + u;
                    tgt[e] = aOff + v;
                    rev[e] = e ^ 1;
                    System.arraycopy(b, k * bf, edgeB, e * bf, bf);
                }
            }
            aOff += g.nAtoms();
            eOff += g.nEdges();
        }
        return new BatchGraph.Arrays(mols.size(), nA, nE, atoms, edgeB, src, tgt, rev, mol, counts);
    }
}
