package gear.nn;

import gear.chem.MolGraph;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The directed message passing encoder (D-MPNN) of chemprop v1: molecule graph → molecule vector
 * (Yang et al., "Analyzing Learned Molecular Representations for Property Prediction", J. Chem.
 * Inf. Model. 59:3370, 2019). With x_u atom features, e_uv bond features, τ = ReLU:
 *
 * <pre>
 * H0[uv] = W_i [x_u ‖ e_uv]                     W_i: 147 → d_h, no bias
 * H      = τ(H0)
 * repeat D − 1 times:
 *   M[uv] = Σ_{w→u} H[wu] − H[vu]
 *   H[uv] = τ(H0[uv] + W_h M[uv])               W_h: d_h → d_h, no bias
 * m_v    = Σ_{u→v} H[uv]
 * h_v    = τ(W_o [x_v ‖ m_v] + b_o)             W_o: 133 + d_h → d_h
 * h_mol  = mean over the atoms of the molecule of h_v
 * </pre>
 *
 * Dropout (when the probability is positive and training) follows every τ, as in chemprop v1's
 * {@code MPNEncoder}. Sums over incoming edges are {@code index_add} scatter-adds over edge targets,
 * gathers are {@code index_select}. The products with W_i and W_o are split into their atom and
 * bond/message column blocks (same values; the atom block is applied once per atom), and the
 * reverse edge vu of uv = 2k (+1) is its pair partner, so H[rev] is a row swap within pairs.
 * Parameters (names relative to the prefix):
 * {@code W_i.weight}, {@code W_h.weight}, {@code W_o.weight}, {@code W_o.bias}.
 */
public final class DmpnnEncoder {
    private final int hidden;
    private final int depth;
    private final double dropout;
    private final Tensor wI;
    private final Tensor wH;
    private final Tensor wO;
    private final Tensor bO;

    /**
     * Creates the encoder's weights (chemprop v1 initialization, see {@link Init}) and registers
     * them in {@code params} under {@code prefix + "."}.
     */
    public DmpnnEncoder(Params params, String prefix, DmpnnConfig cfg, Random rnd) {
        Torch.ensure();
        this.hidden = cfg.hiddenSize();
        this.depth = cfg.depth();
        this.dropout = cfg.dropout();
        var type = cfg.dtype();
        wI = params.add(prefix + ".W_i.weight", Init.xavierNormal(rnd, hidden, BatchGraph.EDGE_INPUT_DIM, type));
        wH = params.add(prefix + ".W_h.weight", Init.xavierNormal(rnd, hidden, hidden, type));
        wO = params.add(prefix + ".W_o.weight", Init.xavierNormal(rnd, hidden, MolGraph.ATOM_FDIM + hidden, type));
        bO = params.add(prefix + ".W_o.bias", Init.zeros(hidden, type));
    }

    /** @return the width of the molecule vector, d_h */
    public int outputSize() {
        return hidden;
    }

    /**
     * Encodes a batch.
     *
     * @param training whether dropout is active
     * @return molecule vectors, n_mols × d_h
     */
    public Tensor forward(BatchGraph b, boolean training) {
        Tensor atomHidden = atomHiddens(b, training);
        Tensor sums = b.zeros(b.nMols(), hidden).index_add_(0, b.atomMolecule(), atomHidden);
        return sums.div_(b.atomCounts());
    }

    /**
     * Hidden states of the atoms, h_v (n_atoms × d_h), before the readout.
     *
     * @param training whether dropout is active
     */
    public Tensor atomHiddens(BatchGraph b, boolean training) {
        // W_i [x_u ‖ e_uv] = (x W_i,xᵀ)[u] + e_uv W_i,eᵀ: the 133-wide atom features are multiplied
        // once per atom, not once per edge. W_o [x_v ‖ m_v] = x_v W_o,xᵀ + m_v W_o,mᵀ: no concatenation
        // and no gradient for the constant atom part. H[vu] is H[uv ^ 1]: swap the rows of each pair.
        int af = MolGraph.ATOM_FDIM;
        Tensor xi = b.atoms().mm(wI.narrow(1, 0, af).t());
        Tensor h0 = torch.addmm(torch.index_select(xi, 0, b.edgeSource()), b.edgeBonds(),
                wI.narrow(1, af, MolGraph.BOND_FDIM).t());
        Tensor h = drop(torch.relu(h0), training);
        Tensor wHt = wH.t();
        long e = b.nEdges();
        for (int step = 1; step < depth; step++) {
            Tensor incoming = b.zeros(b.nAtoms(), hidden).index_add_(0, b.edgeTarget(), h);
            Tensor reverse = h.view(e / 2, 2, hidden).flip(1).view(e, hidden);
            Tensor m = torch.index_select(incoming, 0, b.edgeSource()).sub_(reverse);
            h = drop(torch.addmm(h0, m, wHt).relu_(), training);
        }
        Tensor mv = b.zeros(b.nAtoms(), hidden).index_add_(0, b.edgeTarget(), h);
        Tensor xo = torch.addmm(bO, b.atoms(), wO.narrow(1, 0, af).t());
        return drop(torch.addmm(xo, mv, wO.narrow(1, af, hidden).t()).relu_(), training);
    }

    /** @return the weights W_i, W_h, W_o, b_o (for {@link DmpnnTrainStep}) */
    Tensor[] weights() {
        return new Tensor[] {wI, wH, wO, bO};
    }

    /** @return D, the message passing depth */
    int depth() {
        return depth;
    }

    /** @return the device of the weights (where {@link #forward} expects its batches) */
    public org.bytedeco.pytorch.Device device() {
        return wI.device();
    }

    /** @return the dropout probability */
    public double dropout() {
        return dropout;
    }

    private Tensor drop(Tensor x, boolean training) {
        return training && dropout > 0 ? torch.dropout(x, dropout, true) : x;
    }
}
