package gear.nn;

import gear.chem.MolGraph;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * A batch of molecules as one disjoint-union graph (layout and offsets: {@link BatchArrays}), in tensors ready for
 * {@link DmpnnEncoder}. Tensors:
 * <ul>
 *   <li>{@code atoms}: n_atoms × 133 atom features x_v;</li>
 *   <li>{@code edgeBonds}: n_edges × 14, row uv = e_uv; {@code edgeInput()} = [x_u ‖ e_uv] (n_edges × 147) on demand;</li>
 *   <li>{@code edgeSource}, {@code edgeTarget}, {@code edgeReverse}: int64 per edge (u, v, index of vu);</li>
 *   <li>{@code atomMolecule}: int64 per atom, the molecule it belongs to;</li>
 *   <li>{@code atomCounts}: n_mols × 1, max(1, atoms of the molecule) (divisor of the mean readout);</li>
 *   <li>the index structures of {@link StepIndex}: the non-zero entries of the atom features by atom
 *       ({@code atomFeature*}) and by feature ({@code featureAtom*}) and of the bond features by feature
 *       ({@code featureEdge*}), in {@code torch.embedding_bag} layout, and the neighbour lists of {@link EdgeBags}
 *       ({@code inBags()} ..).</li>
 * </ul>
 * The last item is read only by the hand-derived step ({@link DmpnnEncoderStep}). A batch made
 * inside a {@link PointerScope} (prediction, validation, the transfer steps) makes it on its first
 * request (or at {@link #withStepIndex()}), so batches that only go through {@link Dmpnn#forward} never
 * build it; a batch made outside any scope is taken to be prepared ahead on a builder thread (the
 * training pipeline) and is made complete there, so the training thread does not pay for it.
 *
 * <p>Building happens in two stages: {@link #arrays(List)} fills plain Java arrays ({@link BatchArrays}: thread-safe,
 * no native calls, so it can run on a producer thread), then {@link #of(Arrays, ScalarType)} makes one
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
    private final Arrays arrays;
    /** Where the tensors live; null for the CPU. */
    private final Device device;
    private final ScalarType type;
    /** The scope that owns this batch's tensors (where it was made, or the one given to attach); may be null. */
    private PointerScope owner;
    /** The sparse features and neighbour bags of {@link DmpnnEncoderStep}, made on first use; null before. */
    private Tensor[] stepIndex;

    private BatchGraph(Arrays a, ScalarType type, Device device) {
        this.device = device;
        nMols = a.nMols();
        nAtoms = a.nAtoms();
        nEdges = a.nEdges();
        atoms = dev(cast(Tensors.of(a.atoms(), nAtoms, MolGraph.ATOM_FDIM), type));
        edgeBonds = dev(cast(Tensors.of(a.edgeBonds(), nEdges, MolGraph.BOND_FDIM), type));
        edgeSource = dev(Tensors.of(a.edgeSource(), nEdges));
        edgeTarget = dev(Tensors.of(a.edgeTarget(), nEdges));
        edgeReverse = dev(Tensors.of(a.edgeReverse(), nEdges));
        atomMolecule = dev(Tensors.of(a.atomMolecule(), nAtoms));
        atomCounts = dev(cast(Tensors.of(a.atomCounts(), nMols, 1), type));
        arrays = a;
        this.type = type;
        owner = PointerScope.getInnerScope();
        if (owner == null) {
            stepIndex(); // made ahead (a builder thread): complete it there, off the training thread
        }
    }

    /**
     * The sparse features (9 tensors) and neighbour bags (10 tensors) of {@link StepIndex} that only the hand-derived step
     * ({@link DmpnnEncoderStep}) reads, made on its first request: prediction and validation batches
     * through {@link Dmpnn#forward} never build them. The tensors go to the batch's owning scope (the
     * one current when the batch was made, or the one given to {@link #attach}), not to whatever scope is
     * current at the first request, so they live exactly as long as the batch's other tensors.
     */
    private synchronized Tensor[] stepIndex() {
        if (stepIndex != null) {
            return stepIndex;
        }
        Tensor[] t = StepIndex.of(arrays, type);
        for (int i = 0; i < t.length; i++) {
            t[i] = dev(t[i]);
        }
        PointerScope current = PointerScope.getInnerScope();
        if (current != owner) {
            for (Tensor x : t) {
                if (owner != null) {
                    owner.attach(x);
                } else {
                    x.retainReference(); // unscoped like a batch made outside any scope
                }
                if (current != null) {
                    current.detach(x);
                }
            }
        }
        stepIndex = t;
        return t;
    }

    /** @return whether the sparse features and neighbour bags have been made (for tests) */
    synchronized boolean hasStepIndex() {
        return stepIndex != null;
    }

    /**
     * Makes the sparse features and neighbour bags now (e.g. on a batch-building thread) instead of at
     * the step's first request.
     *
     * @return this batch
     */
    public BatchGraph withStepIndex() {
        stepIndex();
        return this;
    }

    /** @return t on this batch's device (itself on the CPU) */
    private Tensor dev(Tensor t) {
        return device == null ? t : t.to(device, t.scalar_type());
    }

    /** @return t in {@code type} (itself when that is Float, the dtype of {@link Tensors#of(float[], long...)}) */
    static Tensor cast(Tensor t, ScalarType type) {
        return type == ScalarType.Float ? t : t.to(type);
    }

    /** Builds the batch tensors of {@code mols} in the given floating dtype (Float or Double). */
    public static BatchGraph of(List<MolGraph> mols, ScalarType type) {
        return of(arrays(mols), type);
    }

    /**
     * Builds the batch tensors of {@code mols} in the given floating dtype on {@code device} (null or the CPU:
     * {@link #of(List, ScalarType)}).
     */
    public static BatchGraph of(List<MolGraph> mols, ScalarType type, Device device) {
        return of(arrays(mols), type, device);
    }

    /** Makes the tensors from arrays built by {@link #arrays(List)}. */
    public static BatchGraph of(Arrays a, ScalarType type) {
        return new BatchGraph(a, type, null);
    }

    /** Makes the tensors from arrays built by {@link #arrays(List)} on {@code device} (e.g. CUDA). */
    public static BatchGraph of(Arrays a, ScalarType type, Device device) {
        return new BatchGraph(a, type, device == null || device.is_cpu() ? null : device);
    }

    /**
     * Builds the plain arrays of a batch (no native calls; safe on any thread).
     *
     * @param mols the molecules, in batch order (at least one)
     */
    public static Arrays arrays(List<MolGraph> mols) {
        return BatchArrays.of(mols);
    }

    /**
     * Attaches this batch's tensors to {@code scope}, so that they are freed when it closes (for a batch
     * made outside any scope, e.g. on another thread).
     *
     * @return this batch
     */
    public BatchGraph attach(PointerScope scope) {
        synchronized (this) {
            for (Tensor t : new Tensor[] {atoms, edgeBonds, edgeSource, edgeTarget, edgeReverse, atomMolecule, atomCounts}) {
                scope.attach(t);
            }
            if (stepIndex != null) {
                for (Tensor t : stepIndex) {
                    scope.attach(t);
                }
            }
            owner = scope;
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
        return stepIndex()[0];
    }

    /** @return for each atom, the position of its first non-zero feature in {@link #atomFeatureIndex()} (int64) */
    public Tensor atomFeatureOffsets() {
        return stepIndex()[1];
    }

    /** @return the value x_v[j] of each entry of {@link #atomFeatureIndex()} (batch dtype) */
    public Tensor atomFeatureValues() {
        return stepIndex()[2];
    }

    /** @return atom index v of each non-zero atom feature, feature by feature (int64, embedding_bag indices) */
    public Tensor featureAtomIndex() {
        return stepIndex()[3];
    }

    /** @return for each of the 133 features, the position of its first atom in {@link #featureAtomIndex()} (int64) */
    public Tensor featureAtomOffsets() {
        return stepIndex()[4];
    }

    /** @return the value x_v[j] of each entry of {@link #featureAtomIndex()} (batch dtype) */
    public Tensor featureAtomValues() {
        return stepIndex()[5];
    }

    /** @return directed-edge index uv of each non-zero bond feature, feature by feature (int64) */
    public Tensor featureEdgeIndex() {
        return stepIndex()[6];
    }

    /** @return for each of the 14 bond features, the position of its first edge in {@link #featureEdgeIndex()} */
    public Tensor featureEdgeOffsets() {
        return stepIndex()[7];
    }

    /** @return the value e_uv[k] of each entry of {@link #featureEdgeIndex()} (batch dtype) */
    public Tensor featureEdgeValues() {
        return stepIndex()[8];
    }

    /** @return the {@code in} bags of {@link EdgeBags} (edges into each atom): {indices, offsets} */
    public Tensor[] inBags() {
        Tensor[] t = stepIndex();
        return new Tensor[] {t[9], t[10]};
    }

    /** @return the {@code out} bags of {@link EdgeBags} (edges out of each atom): {indices, offsets} */
    public Tensor[] outBags() {
        Tensor[] t = stepIndex();
        return new Tensor[] {t[11], t[12]};
    }

    /** @return the {@code message} bags of {@link EdgeBags} (in(u) without vu, per edge uv): {indices, offsets} */
    public Tensor[] messageBags() {
        Tensor[] t = stepIndex();
        return new Tensor[] {t[13], t[14]};
    }

    /** @return the {@code messageT} bags of {@link EdgeBags} (out(u) without uw, per edge wu): {indices, offsets} */
    public Tensor[] messageTBags() {
        Tensor[] t = stepIndex();
        return new Tensor[] {t[15], t[16]};
    }

    /** @return the atoms of each molecule as bags: {0 … n_atoms − 1, first atom of each molecule} */
    public Tensor[] moleculeBags() {
        Tensor[] t = stepIndex();
        return new Tensor[] {t[17], t[18]};
    }

    /** @return a zero tensor of n × width in this batch's dtype (for scatter-add targets) */
    Tensor zeros(long n, long width) {
        return torch.zeros(new long[] {n, width}, atoms.options());
    }
}
