package gear.nn;

import gear.chem.MolGraph;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * The index structures of a {@link BatchGraph} that only the hand-derived step ({@link DmpnnEncoderStep}) reads, made
 * from the batch's plain arrays ({@link BatchGraph.Arrays}) on the CPU; {@link BatchGraph} makes them on first request,
 * moves them to its device and gives them to its owning scope.
 *
 * <p>The 19 tensors, in this order:
 * <ul>
 *   <li>0–5: the non-zero entries of the atom features (about 8 of 133 per atom: one-hot blocks plus the mass), by atom
 *       (for atom v, entries {@code offsets[v]} ..) and by feature (for feature j, entries {@code offsets[j]} ..), each
 *       as {indices, bag offsets, values} in the layout of {@code torch.embedding_bag} (indices, bag offsets,
 *       per-sample weights), so that x Wᵀ and Gᵀ x cost a gather of about 8 rows per atom instead of a 133-wide
 *       product ({@link #atomNonZeros});</li>
 *   <li>6–8: the bond features by feature (about 3 of 14 per edge), for Gᵀ e ({@link #nonZeros});</li>
 *   <li>9–16: the neighbour lists of {@link EdgeBags} as {indices, offsets}: in, out, message, messageT;</li>
 *   <li>17–18: the atoms of each molecule as bags: {0 … n_atoms − 1, first atom of each molecule}.</li>
 * </ul>
 */
final class StepIndex {
    /** Number of tensors. */
    static final int SIZE = 19;

    private StepIndex() {}

    /**
     * @param a the batch's arrays
     * @param type the batch's floating dtype (of the feature values)
     * @return the {@value #SIZE} tensors listed above, on the CPU
     */
    static Tensor[] of(BatchGraph.Arrays a, ScalarType type) {
        int nAtoms = a.nAtoms();
        int nMols = a.nMols();
        Tensor[] t = new Tensor[SIZE];
        // sparse atom features, by atom (CSR) and by feature (CSC); sparse bond features by feature
        System.arraycopy(atomNonZeros(a.atoms(), nAtoms, MolGraph.ATOM_FDIM, type), 0, t, 0, 6);
        System.arraycopy(nonZeros(a.edgeBonds(), a.nEdges(), MolGraph.BOND_FDIM, false, type), 0, t, 6, 3);
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
        long[][] lists = {g.inIndex(), g.inOffsets(), g.outIndex(), g.outOffsets(), g.messageIndex(),
            g.messageOffsets(), g.messageTIndex(), g.messageTOffsets(), atomIndex, molOffsets};
        for (int i = 0; i < lists.length; i++) {
            t[9 + i] = Tensors.of(lists[i], lists[i].length);
        }
        return t;
    }

    /**
     * The non-zero entries of a rows × cols row-major matrix in {@code torch.embedding_bag} layout: one
     * bag per row (entries = column indices) or per column (entries = row indices), in increasing order.
     *
     * @return {indices (int64), bag offsets (int64), values (dtype {@code type})}
     */
    static Tensor[] nonZeros(float[] x, int rows, int cols, boolean byRow, ScalarType type) {
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
        return new Tensor[] {Tensors.of(index, nnz), Tensors.of(offsets, bags), BatchGraph.cast(Tensors.of(values, nnz), type)};
    }

    /**
     * The non-zero entries of a rows × cols row-major matrix by row and by column ({@link #nonZeros} with
     * {@code byRow} true, then false: the same six tensors) from one pass over the dense matrix: the
     * column bags are the row bags' entries regrouped by column (a counting sort over the non-zeros),
     * visited in row order, so each column bag lists its rows in increasing order as {@link #nonZeros} does.
     *
     * @return {row indices, row offsets, row values, column indices, column offsets, column values}
     */
    static Tensor[] atomNonZeros(float[] x, int rows, int cols, ScalarType type) {
        int nnz = 0;
        for (float f : x) {
            if (f != 0) {
                nnz++;
            }
        }
        long[] rowIndex = new long[nnz];
        long[] rowOffsets = new long[rows];
        float[] rowValues = new float[nnz];
        int[] colCount = new int[cols];
        int at = 0;
        for (int r = 0; r < rows; r++) {
            rowOffsets[r] = at;
            int base = r * cols;
            for (int c = 0; c < cols; c++) {
                float f = x[base + c];
                if (f != 0) {
                    rowIndex[at] = c;
                    rowValues[at++] = f;
                    colCount[c]++;
                }
            }
        }
        long[] colOffsets = new long[cols];
        for (int c = 1; c < cols; c++) {
            colOffsets[c] = colOffsets[c - 1] + colCount[c - 1];
        }
        long[] colIndex = new long[nnz];
        float[] colValues = new float[nnz];
        int[] fill = new int[cols];
        for (int r = 0; r < rows; r++) {
            int end = r + 1 < rows ? (int) rowOffsets[r + 1] : nnz;
            for (int k = (int) rowOffsets[r]; k < end; k++) {
                int c = (int) rowIndex[k];
                int to = (int) colOffsets[c] + fill[c]++;
                colIndex[to] = r;
                colValues[to] = rowValues[k];
            }
        }
        return new Tensor[] {Tensors.of(rowIndex, nnz), Tensors.of(rowOffsets, rows), BatchGraph.cast(Tensors.of(rowValues, nnz), type),
            Tensors.of(colIndex, nnz), Tensors.of(colOffsets, cols), BatchGraph.cast(Tensors.of(colValues, nnz), type)};
    }
}
