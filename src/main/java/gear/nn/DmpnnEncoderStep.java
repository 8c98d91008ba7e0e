package gear.nn;

import gear.chem.MolGraph;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.pytorch.Dispatcher;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.OperatorHandle;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * The forward pass of a {@link DmpnnEncoder} in training mode and its hand-derived backward pass from the
 * gradient of the molecule vectors: {@link #forward} gives h_mol (the encoder's output, up to rounding),
 * {@link #backward} takes G_{h_mol} = ∂L/∂h_mol and writes ∂L/∂W_i, ∂L/∂W_h, ∂L/∂W_o, ∂L/∂b_o into
 * {@link #grads()}. Used by {@link DmpnnTrainStep} (with its FFN head) and by the transfer methods, whose
 * losses past the molecule vectors go through autograd.
 *
 * <p>Why not autograd: on one CPU thread, the D-MPNN step is dominated by the d_h × d_h GEMMs plus
 * many passes over the n_edges × d_h message tensors. Autograd allocates a fresh tensor for every
 * intermediate and gradient, accumulates gradients of shared inputs by extra additions, and zero-fills a
 * full-size gradient for each column block of W_i and W_o. Here every activation and gradient buffer
 * lives across steps (resized to the batch), GEMMs write into them ({@code mm_out}/{@code addmm_out}),
 * ReLU derivatives are applied in place ({@code threshold_backward}), and the weight gradients are
 * written by the GEMMs directly. The products with the 133 atom features (x W_i,xᵀ, x W_o,xᵀ and their
 * weight gradients Gᵀ x) use the sparsity of x (about 8 non-zero features per atom): a weighted sum of
 * rows ({@code embedding_bag}) instead of a dense GEMM; so does the weight gradient of the 14 bond
 * features. Every sum over neighbours (the edge messages M_t[uv] = Σ_{w→u, w≠v} H_{t−1}[wu], the atom
 * messages, the molecule readout and their transposes in the backward pass) is one {@code embedding_bag}
 * over precomputed neighbour lists ({@link EdgeBags}) instead of a zero-filled scatter-add, a gather and
 * a subtraction of the reverse edge.
 *
 * <p>Backward (notation of {@link DmpnnEncoder}; Z_t = H0 + M_t W_hᵀ the pre-activation of step t,
 * G_X = ∂L/∂X, ⊙ elementwise, [Z > 0] the ReLU mask taken from the ReLU's output):
 * <pre>
 * G_{h_v}  = (G_{h_mol}/n_atoms)[mol(v)] ⊙ [h_v > 0]
 * ∂W_o     = G_hᵀ [x ‖ m],  ∂b_o = Σ_v G_{h_v},  G_{m_v} = G_{h_v} W_o,m
 * G_{H_D}[uv] = G_m[v]
 * for t = D−1 … 1:  G_Z = G_{H_{t+1}} ⊙ [H_{t+1} > 0];  ∂W_h += G_Zᵀ M_t;  G_M = G_Z W_h;  G_{H0} += G_Z
 *                   G_{H_t}[wu] = Σ_{u→v, v≠w} G_M[uv]      (the transposed message bags, {@link EdgeBags})
 * G_{H0}  += G_{H_1} ⊙ [H_1 > 0];  ∂W_i,e = G_{H0}ᵀ e;  ∂W_i,x = (Σ_{u→v} G_{H0}[uv])ᵀ x
 * </pre>
 * With dropout, each dropped activation is multiplied by its mask (Bernoulli(1 − p)/(1 − p), the draws
 * {@code torch.dropout} would make, in the same order: {@link BernoulliMask}), and its gradient by the same mask.
 *
 * <p>Not thread-safe; one instance per encoder and training loop, one forward per backward. Buffers are
 * allocated outside any {@link org.bytedeco.javacpp.PointerScope} (construct it before opening a step's
 * scope); the tensors a forward returns and the batch belong to the step's scope.
 */
public final class DmpnnEncoderStep {
    private final int hidden;
    private final int depth;
    private final double p;
    private final Tensor wI;
    private final Tensor wH;
    private final Tensor wO;
    private final Tensor bO;
    private final Tensor[] grads;
    private final TensorOptions options;
    private final Scalar zero;
    private final Scalar one;
    private final OperatorHandle addRelu;
    private final Scalar keep;
    // W_i,xᵀ and W_o,xᵀ, contiguous (the tables of the sparse atom-feature products)
    private final Tensor wIxT;
    private final Tensor wOxT;
    // activations kept for the backward pass (rows resized to the batch)
    private final Tensor h0;
    private final Tensor[] hs;
    private final Tensor[] ms;
    private final Tensor[] noiseH;
    private Tensor mv;
    private final Tensor hv;
    private final Tensor noiseHv;
    // gradient buffers
    private final Tensor gA;
    private final Tensor gm;
    private final Tensor gHv;
    private final Tensor gMv;
    private BatchGraph batch;

    /** Prepares the step for {@code enc} (allocates its gradient and activation buffers). */
    public DmpnnEncoderStep(DmpnnEncoder enc) {
        Torch.ensure();
        hidden = enc.outputSize();
        depth = enc.depth();
        Tensor[] w = enc.weights();
        wI = w[0];
        wH = w[1];
        wO = w[2];
        bO = w[3];
        p = enc.dropout();
        options = wI.options(); // dtype and device of the weights
        grads = new Tensor[w.length];
        for (int i = 0; i < w.length; i++) {
            grads[i] = keep(torch.zeros_like(w[i]));
        }
        zero = keep(new Scalar(0.0));
        one = keep(new Scalar(1.0));
        addRelu = keep(Dispatcher.singleton().findSchemaOrThrow("aten::_add_relu_", "Tensor"));
        keep = keep(new Scalar(1 - p));
        wIxT = keep(torch.zeros(new long[] {MolGraph.ATOM_FDIM, hidden}, options));
        wOxT = keep(torch.zeros(new long[] {MolGraph.ATOM_FDIM, hidden}, options));
        h0 = buffer(hidden, options);
        hs = new Tensor[depth];
        noiseH = new Tensor[depth];
        ms = new Tensor[depth - 1];
        for (int t = 0; t < depth; t++) {
            hs[t] = buffer(hidden, options);
            noiseH[t] = p > 0 ? buffer(hidden, options) : null;
        }
        hv = buffer(hidden, options);
        noiseHv = p > 0 ? buffer(hidden, options) : null;
        gA = buffer(hidden, options);
        gm = buffer(hidden, options);
        gHv = buffer(hidden, options);
        gMv = buffer(hidden, options);
    }

    /** @return the number of dropout masks of a forward pass: depth + 1 with dropout, else 0 */
    public int maskCount() {
        return p > 0 ? depth + 1 : 0;
    }

    /** @return the dropout probability */
    double dropout() {
        return p;
    }

    /** @return the hidden size d_h */
    int hidden() {
        return hidden;
    }

    /** @return the weights W_i, W_h, W_o, b_o */
    public Tensor[] weights() {
        return new Tensor[] {wI, wH, wO, bO};
    }

    /** @return the gradient buffers of {@link #weights()}, in the same order, written by {@link #backward} */
    public Tensor[] grads() {
        return grads.clone();
    }

    /**
     * Runs the forward pass in training mode (dropout active) and keeps what the backward needs.
     *
     * @param b the batch (its tensors must stay alive until {@link #backward})
     * @param timer phase timer, or null
     * @return the molecule vectors h_mol, n_mols × d_h ({@code enc.forward(b, true)} up to rounding; no
     *     autograd history)
     */
    public Tensor forward(BatchGraph b, PhaseTimer timer) {
        return forward(b, null, timer);
    }

    /**
     * {@link #forward(BatchGraph, PhaseTimer)} with the dropout masks given instead of drawn (the rows of
     * this batch in masks drawn for a larger batch, {@link EncoderLanes}).
     *
     * @param masks null (draw them), or the {@link #maskCount()} masks Bernoulli(1 − p)/(1 − p) in the order drawn:
     *     H_1 … H_D (n_edges × d_h each), then h_v (n_atoms × d_h); ignored without dropout
     */
    public Tensor forward(BatchGraph b, Tensor[] masks, PhaseTimer timer) {
        try (NoGradGuard g = new NoGradGuard()) {
            batch = b;
            long a = b.nAtoms();
            long e = b.nEdges();
            // H0 = W_i [x_u ‖ e_uv] = (x W_i,xᵀ)[u] + e_uv W_i,eᵀ; H_1 = τ(H0)
            Tensor xi = atomProduct(b, wI, wIxT);
            torch.index_select_out(rows(h0, e), xi, 0, b.edgeSource());
            h0.addmm_(b.edgeBonds(), wI.narrow(1, MolGraph.ATOM_FDIM, MolGraph.BOND_FDIM).t());
            torch.clamp_min_out(rows(hs[0], e), h0, zero);
            mask(hs[0], noiseH[0], masks, 0);
            lap(timer, "forward W_i");
            for (int t = 1; t < depth; t++) {
                Tensor m = bagSum(hs[t - 1], b.messageBags(), e);
                ms[t - 1] = m;
                torch.mm_out(rows(hs[t], e), m, wH.t());
                addRelu(hs[t], h0);
                mask(hs[t], noiseH[t], masks, t);
            }
            lap(timer, "forward messages");
            mv = bagSum(hs[depth - 1], b.inBags(), a);
            torch.add_out(rows(hv, a), atomProduct(b, wO, wOxT), bO);
            hv.addmm_(mv, wO.narrow(1, MolGraph.ATOM_FDIM, hidden).t());
            hv.relu_();
            mask(hv, noiseHv, masks, depth);
            Tensor mol = bagSum(hv, b.moleculeBags(), b.nMols());
            mol.div_(b.atomCounts());
            lap(timer, "forward W_o + readout");
            return mol;
        }
    }

    /**
     * Computes the gradients of the encoder's weights from the gradient of the molecule vectors of the
     * last {@link #forward} and writes them into {@link #grads()} (replacing what was there).
     *
     * @param gMol ∂L/∂h_mol, n_mols × d_h (left unchanged)
     * @param timer phase timer, or null
     */
    public void backward(Tensor gMol, PhaseTimer timer) {
        if (batch == null) {
            throw new IllegalStateException("backward() without forward()");
        }
        try (NoGradGuard guard = new NoGradGuard()) {
            BatchGraph b = batch;
            int af = MolGraph.ATOM_FDIM;
            long a = b.nAtoms();
            long e = b.nEdges();
            Tensor gWI = grads[0];
            Tensor gWH = grads[1];
            Tensor gWO = grads[2];
            Tensor gBO = grads[3];
            Tensor g = gMol.div(b.atomCounts());
            torch.index_select_out(rows(gHv, a), g, 0, b.atomMolecule());
            if (noiseHv != null) {
                gHv.mul_(noiseHv);
            }
            torch.threshold_backward_out(gHv, gHv, hv, zero);
            torch.sum_out(gBO, gHv, 0);
            featureProduct(b, gHv, gWO);
            torch.mm_out(gWO.narrow(1, af, hidden), gHv.t(), mv);
            torch.mm_out(rows(gMv, a), gHv, wO.narrow(1, af, hidden));
            Tensor gh = rows(gA, e);
            torch.index_select_out(gh, gMv, 0, b.edgeTarget());
            lap(timer, "backward W_o + readout");
            Tensor gh0 = null;
            for (int t = depth - 1; t >= 1; t--) {
                if (noiseH[t] != null) {
                    gh.mul_(noiseH[t]);
                }
                torch.threshold_backward_out(gh, gh, hs[t], zero);
                if (t == depth - 1) {
                    torch.mm_out(gWH, gh.t(), ms[t - 1]);
                } else {
                    gWH.addmm_(gh.t(), ms[t - 1]);
                }
                torch.mm_out(rows(gm, e), gh, wH);
                if (gh0 == null) {
                    gh0 = gh;
                } else {
                    gh0.add_(gh);
                }
                gh = bagSum(gm, b.messageTBags(), e);
            }
            if (noiseH[0] != null) {
                gh.mul_(noiseH[0]);
            }
            torch.threshold_backward_out(gh, gh, hs[0], zero);
            if (gh0 == null) {
                gh0 = gh;
            } else {
                gh0.add_(gh);
            }
            if (depth == 1) {
                gWH.zero_();
            }
            lap(timer, "backward messages");
            Tensor gWIe = gWI.narrow(1, af, MolGraph.BOND_FDIM);
            if (e == 0) {
                gWIe.zero_();
            } else {
                gWIe.copy_(bagSum(gh0, b.featureEdgeIndex(), b.featureEdgeOffsets(), b.featureEdgeValues()).t());
            }
            featureProduct(b, bagSum(gh0, b.outBags(), a), gWI);
            batch = null;
            lap(timer, "backward W_i");
        }
    }

    /**
     * x W_xᵀ (n_atoms × d_h) for the atom-feature columns W_x of {@code w}: a sum of about 8 rows of
     * W_xᵀ per atom (embedding_bag over the non-zero features, weighted by their values) instead of a
     * 133-wide GEMM; {@code table} receives W_xᵀ.
     */
    private static Tensor atomProduct(BatchGraph b, Tensor w, Tensor table) {
        Tensor wx = w.narrow(1, 0, MolGraph.ATOM_FDIM);
        if (b.nAtoms() == 0) {
            return b.atoms().mm(wx.t());
        }
        table.copy_(wx.t());
        return bagSum(table, b.atomFeatureIndex(), b.atomFeatureOffsets(), b.atomFeatureValues());
    }

    /** Writes Gᵀ x (d_h × 133) into the atom-feature columns of {@code grad}, as a sum over the atoms of each feature. */
    private static void featureProduct(BatchGraph b, Tensor g, Tensor grad) {
        Tensor gx = grad.narrow(1, 0, MolGraph.ATOM_FDIM);
        if (b.nAtoms() == 0) {
            gx.zero_();
            return;
        }
        gx.copy_(bagSum(g, b.featureAtomIndex(), b.featureAtomOffsets(), b.featureAtomValues()).t());
    }

    /** Row i of the result = Σ_k values[k] table[index[k]] over k in bag i (torch.embedding_bag, mode sum). */
    private static Tensor bagSum(Tensor table, Tensor index, Tensor offsets, Tensor values) {
        return torch.embedding_bag(table, index, offsets, false, 0, false, new TensorOptional(values), false).get0();
    }

    /**
     * Row i of the result = Σ of the rows of {@code table} listed in bag i of {@code bags} ({indices, offsets},
     * see {@link EdgeBags}); {@code n} rows (the bag count), zeros where the table is empty.
     */
    private Tensor bagSum(Tensor table, Tensor[] bags, long n) {
        if (table.size(0) == 0) {
            return torch.zeros(new long[] {n, table.size(1)}, options);
        }
        return torch.embedding_bag(table, bags[0], bags[1], false, 0, false, new TensorOptional(), false).get0();
    }

    /**
     * x ← τ(x + y): on the CPU in one pass (libtorch's fused {@code aten::_add_relu_}, not mapped by the presets, and
     * implemented for the CPU only); elsewhere (CUDA) as an add and a ReLU in place, the same values.
     */
    private void addRelu(Tensor x, Tensor y) {
        if (!x.is_cpu()) {
            x.add_(y).relu_();
            return;
        }
        Dispatcher.singleton().callBoxed(addRelu, new IValueVector(new IValue(x), new IValue(y), new IValue(one)));
    }

    private void mask(Tensor x, Tensor noise, Tensor[] masks, int i) {
        if (masks == null) {
            drop(x, noise, p, keep);
        } else if (noise != null) {
            rows(noise, x.size(0)).copy_(masks[i]);
            x.mul_(noise);
        }
    }

    static <T extends Pointer> T keep(T ptr) {
        ptr.retainReference();
        return ptr;
    }

    /** @return an empty 0 × cols buffer kept across steps */
    static Tensor buffer(long cols, TensorOptions options) {
        return keep(torch.zeros(new long[] {0, cols}, options));
    }

    /** @return {@code buf} resized to {@code rows} rows (its storage grows only when needed) */
    static Tensor rows(Tensor buf, long rows) {
        buf.resize_(rows, buf.size(1));
        return buf;
    }

    /**
     * In-place dropout with torch.dropout's draws ({@link BernoulliMask}): x ⊙ Bernoulli(1 − p)/(1 − p), mask kept in
     * {@code noise}.
     */
    static void drop(Tensor x, Tensor noise, double p, Scalar keep) {
        if (noise == null) {
            return;
        }
        BernoulliMask.draw(rows(noise, x.size(0)), 1 - p, keep);
        x.mul_(noise);
    }

    static void lap(PhaseTimer timer, String phase) {
        if (timer != null) {
            timer.lap(phase);
        }
    }
}
