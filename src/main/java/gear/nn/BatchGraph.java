package gear.nn;

import gear.chem.MolGraph;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * A batch of molecules as one disjoint-union graph, in tensors ready for {@link DmpnnEncoder}.
 *
 * <p>Atoms of molecule i follow those of molecules 0..i−1; directed edges likewise, so molecule-local
 * edge {@code e} of a molecule whose edges start at offset {@code o} becomes {@code o + e} and its
 * reverse stays {@code (o + e) ^ 1} (offsets are even). Tensors:
 * <ul>
 *   <li>{@code atoms}: n_atoms × 133 atom features x_v;</li>
 *   <li>{@code edgeBonds}: n_edges × 14, row uv = e_uv; {@code edgeInput()} = [x_u ‖ e_uv] (n_edges × 147) on demand;</li>
 *   <li>{@code edgeSource}, {@code edgeTarget}, {@code edgeReverse}: int64 per edge (u, v, index of vu);</li>
 *   <li>{@code atomMolecule}: int64 per atom, the molecule it belongs to;</li>
 *   <li>{@code atomCounts}: n_mols × 1, max(1, atoms of the molecule) (divisor of the mean readout);</li>
 *   <li>the non-zero entries of the atom features (about 8 of 133 per atom: one-hot blocks plus the mass),
 *       by atom ({@code atomFeature*}: for atom v, entries {@code offsets[v]} ..) and by feature
 *       ({@code featureAtom*}: for feature j, entries {@code offsets[j]} ..), in the layout of
 *       {@code torch.embedding_bag} (indices, bag offsets, per-sample weights), so that x Wᵀ and
 *       Gᵀ x cost a gather of about 8 rows per atom instead of a 133-wide product; likewise the bond
 *       features by feature ({@code featureEdge*}, about 3 of 14 per edge) for Gᵀ e.</li>
 * </ul>
 * An atom-free molecule has no atom rows; its summed readout is 0 and its divisor 1, so its
 * molecule vector is the zero vector, exactly as chemprop v1's {@code cached_zero_vector}.
 *
 * <p>Building happens in two stages: {@link #arrays(List)} fills plain Java arrays (thread-safe, no
 * native calls, so it can run on a producer thread), then {@link #of(Arrays, ScalarType)} makes one
 * tensor per array (also safe on a producer thread; a batch made outside any
 * {@link PointerScope} is then handed to the consumer's scope with {@link #attach(PointerScope)}).
 */
public final class BatchGraph {
    /** Width of the directed-edge input [x_u ‖ e_uv]. */
    public static final int EDGE_INPUT_DIM = MolGraph.ATOM_FDIM + MolGraph.BOND_FDIM;

    /** The batch in plain arrays (row-major). */
    public record Arrays(int nMols, int nAtoms, int nEdges, float[] atoms, float[] edgeBonds,
            long[] edgeSource, long[] edgeTarget, long[] edgeReverse, long[] atomMolecule, float[] atomCounts) {}

    private final int nMols;
    private final int nAtoms;
    private final int nEdges;
    private final Tensor atoms;
    private final Tensor edgeBonds;
    private Tensor edgeInput;
    private final Tensor edgeSource;
    private final Tensor edgeTarget;
    private final Tensor edgeReverse;
    private final Tensor atomMolecule;
    private final Tensor atomCounts;
    private final Tensor atomFeatureIndex;
    private final Tensor atomFeatureOffsets;
    private final Tensor atomFeatureValues;
    private final Tensor featureAtomIndex;
    private final Tensor featureAtomOffsets;
    private final Tensor featureAtomValues;
    private final Tensor featureEdgeIndex;
    private final Tensor featureEdgeOffsets;
    private final Tensor featureEdgeValues;
    private final Tensor[] bags;

    private BatchGraph(Arrays a, ScalarType type) {
        nMols = a.nMols();
        nAtoms = a.nAtoms();
        nEdges = a.nEdges();
        atoms = cast(Tensors.of(a.atoms(), nAtoms, MolGraph.ATOM_FDIM), type);
        edgeBonds = cast(Tensors.of(a.edgeBonds(), nEdges, MolGraph.BOND_FDIM), type);
        edgeSource = Tensors.of(a.edgeSource(), nEdges);
        edgeTarget = Tensors.of(a.edgeTarget(), nEdges);
        edgeReverse = Tensors.of(a.edgeReverse(), nEdges);
        atomMolecule = Tensors.of(a.atomMolecule(), nAtoms);
        atomCounts = cast(Tensors.of(a.atomCounts(), nMols, 1), type);
        // sparse atom features, by atom (CSR) and by feature (CSC); sparse bond features by feature
        Tensor[] byAtom = nonZeros(a.atoms(), nAtoms, MolGraph.ATOM_FDIM, true, type);
        atomFeatureIndex = byAtom[0];
        atomFeatureOffsets = byAtom[1];
        atomFeatureValues = byAtom[2];
        Tensor[] byFeature = nonZeros(a.atoms(), nAtoms, MolGraph.ATOM_FDIM, false, type);
        featureAtomIndex = byFeature[0];
        featureAtomOffsets = byFeature[1];
        featureAtomValues = byFeature[2];
        Tensor[] byBondFeature = nonZeros(a.edgeBonds(), nEdges, MolGraph.BOND_FDIM, false, type);
        featureEdgeIndex = byBondFeature[0];
        featureEdgeOffsets = byBondFeature[1];
        featureEdgeValues = byBondFeature[2];
        EdgeBags g = EdgeBags.of(nAtoms, a.edgeSource(), a.edgeTarget(), a.edgeReverse());
        long[] atomIndex = new long[nAtoms];
        for (int v = 0; v < nAtoms; v++) {
            atomIndex[v] = v;
        }
        long[] molOffsets = new long[nMols];
        for (long m : a.atomMolecule()) {
            if (m + 1 < nMols) {
                molOffsets[(int) m + 1]++;
            }
        }
        for (int m = 1; m < nMols; m++) {
            molOffsets[m] += molOffsets[m - 1];
        }
        bags = new Tensor[10];
        long[][] arrays = {g.inIndex(), g.inOffsets(), g.outIndex(), g.outOffsets(), g.messageIndex(),
            g.messageOffsets(), g.messageTIndex(), g.messageTOffsets(), atomIndex, molOffsets};
        for (int i = 0; i < arrays.length; i++) {
            bags[i] = Tensors.of(arrays[i], arrays[i].length);
        }
    }

    /**
     * The non-zero entries of a rows × cols row-major matrix in {@code torch.embedding_bag} layout: one
     * bag per row (entries = column indices) or per column (entries = row indices), in increasing order.
     *
     * @return {indices (int64), bag offsets (int64), values (dtype {@code type})}
     */
    private static Tensor[] nonZeros(float[] x, int rows, int cols, boolean byRow, ScalarType type) {
        int bags = byRow ? rows : cols;
        int[] count = new int[bags];
        int nnz = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (x[r * cols + c] != 0) {
                    count[byRow ? r : c]++;
                    nnz++;
                }
            }
        }
        long[] offsets = new long[bags];
        for (int b = 1; b < bags; b++) {
            offsets[b] = offsets[b - 1] + count[b - 1];
        }
        long[] index = new long[nnz];
        float[] values = new float[nnz];
        int[] fill = new int[bags];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                float f = x[r * cols + c];
                if (f != 0) {
                    int bag = byRow ? r : c;
                    int at = (int) offsets[bag] + fill[bag]++;
                    index[at] = byRow ? c : r;
                    values[at] = f;
                }
            }
        }
        return new Tensor[] {Tensors.of(index, nnz), Tensors.of(offsets, bags), cast(Tensors.of(values, nnz), type)};
    }

    private static Tensor cast(Tensor t, ScalarType type) {
        return type == ScalarType.Float ? t : t.to(type);
    }

    /** Builds the batch tensors of {@code mols} in the given floating dtype (Float or Double). */
    public static BatchGraph of(List<MolGraph> mols, ScalarType type) {
        return of(arrays(mols), type);
    }

    /** Makes the tensors from arrays built by {@link #arrays(List)}. */
    public static BatchGraph of(Arrays a, ScalarType type) {
        return new BatchGraph(a, type);
    }

    /**
     * Builds the plain arrays of a batch (no native calls; safe on any thread).
     *
     * @param mols the molecules, in batch order (at least one)
     */
    public static Arrays arrays(List<MolGraph> mols) {
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
        return new Arrays(mols.size(), nA, nE, atoms, edgeB, src, tgt, rev, mol, counts);
    }

    /**
     * Attaches this batch's tensors to {@code scope}, so that they are freed when it closes (for a batch
     * made outside any scope, e.g. on another thread).
     *
     * @return this batch
     */
    public BatchGraph attach(PointerScope scope) {
        for (Tensor t : new Tensor[] {atoms, edgeBonds, edgeSource, edgeTarget, edgeReverse, atomMolecule, atomCounts,
                atomFeatureIndex, atomFeatureOffsets, atomFeatureValues, featureAtomIndex, featureAtomOffsets,
                featureAtomValues, featureEdgeIndex, featureEdgeOffsets, featureEdgeValues}) {
            scope.attach(t);
        }
        for (Tensor t : bags) {
            scope.attach(t);
        }
        return this;
    }

    /** @return number of molecules */
    public int nMols() {
        return nMols;
    }

    /** @return number of atoms over all molecules */
    public int nAtoms() {
        return nAtoms;
    }

    /** @return number of directed edges over all molecules */
    public int nEdges() {
        return nEdges;
    }

    /** @return atom features, n_atoms × 133 */
    public Tensor atoms() {
        return atoms;
    }

    /** @return bond features of each directed edge, e_uv, n_edges × 14 */
    public Tensor edgeBonds() {
        return edgeBonds;
    }

    /**
     * @return the directed-edge input [x_u ‖ e_uv], n_edges × 147 (made on first use; the encoder
     *     does not need it, it multiplies the atom and bond parts separately)
     */
    public Tensor edgeInput() {
        if (edgeInput == null) {
            edgeInput = torch.cat(new org.bytedeco.pytorch.TensorVector(torch.index_select(atoms, 0, edgeSource), edgeBonds), 1);
        }
        return edgeInput;
    }

    /** @return source atom u of each directed edge uv (int64) */
    public Tensor edgeSource() {
        return edgeSource;
    }

    /** @return target atom v of each directed edge uv (int64) */
    public Tensor edgeTarget() {
        return edgeTarget;
    }

    /** @return index of the reverse edge vu of each edge uv (int64) */
    public Tensor edgeReverse() {
        return edgeReverse;
    }

    /** @return molecule index of each atom (int64) */
    public Tensor atomMolecule() {
        return atomMolecule;
    }

    /** @return max(1, atom count) per molecule, n_mols × 1 */
    public Tensor atomCounts() {
        return atomCounts;
    }

    /** @return feature index j of each non-zero atom feature, atom by atom (int64, embedding_bag indices) */
    public Tensor atomFeatureIndex() {
        return atomFeatureIndex;
    }

    /** @return for each atom, the position of its first non-zero feature in {@link #atomFeatureIndex()} (int64) */
    public Tensor atomFeatureOffsets() {
        return atomFeatureOffsets;
    }

    /** @return the value x_v[j] of each entry of {@link #atomFeatureIndex()} (batch dtype) */
    public Tensor atomFeatureValues() {
        return atomFeatureValues;
    }

    /** @return atom index v of each non-zero atom feature, feature by feature (int64, embedding_bag indices) */
    public Tensor featureAtomIndex() {
        return featureAtomIndex;
    }

    /** @return for each of the 133 features, the position of its first atom in {@link #featureAtomIndex()} (int64) */
    public Tensor featureAtomOffsets() {
        return featureAtomOffsets;
    }

    /** @return the value x_v[j] of each entry of {@link #featureAtomIndex()} (batch dtype) */
    public Tensor featureAtomValues() {
        return featureAtomValues;
    }

    /** @return directed-edge index uv of each non-zero bond feature, feature by feature (int64) */
    public Tensor featureEdgeIndex() {
        return featureEdgeIndex;
    }

    /** @return for each of the 14 bond features, the position of its first edge in {@link #featureEdgeIndex()} */
    public Tensor featureEdgeOffsets() {
        return featureEdgeOffsets;
    }

    /** @return the value e_uv[k] of each entry of {@link #featureEdgeIndex()} (batch dtype) */
    public Tensor featureEdgeValues() {
        return featureEdgeValues;
    }

    /** @return the {@code in} bags of {@link EdgeBags} (edges into each atom): {indices, offsets} */
    public Tensor[] inBags() {
        return new Tensor[] {bags[0], bags[1]};
    }

    /** @return the {@code out} bags of {@link EdgeBags} (edges out of each atom): {indices, offsets} */
    public Tensor[] outBags() {
        return new Tensor[] {bags[2], bags[3]};
    }

    /** @return the {@code message} bags of {@link EdgeBags} (in(u) without vu, per edge uv): {indices, offsets} */
    public Tensor[] messageBags() {
        return new Tensor[] {bags[4], bags[5]};
    }

    /** @return the {@code messageT} bags of {@link EdgeBags} (out(u) without uw, per edge wu): {indices, offsets} */
    public Tensor[] messageTBags() {
        return new Tensor[] {bags[6], bags[7]};
    }

    /** @return the atoms of each molecule as bags: {0 … n_atoms − 1, first atom of each molecule} */
    public Tensor[] moleculeBags() {
        return new Tensor[] {bags[8], bags[9]};
    }

    /** @return a zero tensor of n × width in this batch's dtype (for scatter-add targets) */
    Tensor zeros(long n, long width) {
        return torch.zeros(new long[] {n, width}, new org.bytedeco.pytorch.TensorOptions(atoms.scalar_type()));
    }
}
