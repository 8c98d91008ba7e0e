package gear.nn;

import static gear.nn.DmpnnEncoderStep.keep;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * The hand-derived D-MPNN step ({@link DmpnnEncoderStep}) run data-parallel on K {@link Lanes}: the batch is
 * cut into K consecutive parts ({@link BatchParts}), lane k runs the forward and backward pass of part k
 * with its own activation and gradient buffers, and the weight gradients are summed part 0 + part 1 + …
 * in that order. The D-MPNN has no coupling between molecules (messages stay inside a molecule, the
 * readout is a per-molecule mean), so h_mol of the whole batch is the parts' h_mol one after another and
 *
 * <pre>
 * ∂L/∂W = Σ_k ∂L/∂W |_{part k}    (the gradient of part k from G_{h_mol} restricted to its molecules)
 * </pre>
 *
 * equal to the one-lane gradient up to float summation order. Dropout masks are drawn for the whole batch
 * on the calling thread, in the order and with the shapes of the one-lane pass (H_1 … H_D, then h_v), and
 * each lane takes its rows: the masks, and so the results, are those of one lane and never depend on
 * timing. With one part (one lane, or a one-molecule batch) it is exactly {@link DmpnnEncoderStep}.
 *
 * <p>Not thread-safe; one instance per encoder and training loop. Construct it outside any pointer scope.
 */
public final class EncoderLanes {
    private final Lanes lanes;
    private final DmpnnEncoderStep[] steps;
    private final Tensor[] grads;
    private final double p;
    private final Scalar keepScale;
    private BatchParts batch;

    /** Prepares K = {@code lanes.size()} steps of {@code enc} (their buffers and the summed gradients). */
    public EncoderLanes(DmpnnEncoder enc, Lanes lanes) {
        this.lanes = lanes;
        steps = new DmpnnEncoderStep[lanes.size()];
        for (int k = 0; k < steps.length; k++) {
            steps[k] = new DmpnnEncoderStep(enc);
        }
        if (steps.length == 1) {
            grads = steps[0].grads();
        } else {
            Tensor[] w = steps[0].weights();
            grads = new Tensor[w.length];
            for (int i = 0; i < w.length; i++) {
                grads[i] = keep(torch.zeros_like(w[i]));
            }
        }
        p = steps[0].dropout();
        keepScale = keep(new Scalar(1 - p));
    }

    /** @return the lanes */
    public Lanes lanes() {
        return lanes;
    }

    /** @return the weights W_i, W_h, W_o, b_o */
    public Tensor[] weights() {
        return steps[0].weights();
    }

    /** @return the gradient buffers of {@link #weights()}, written by {@link #backward} */
    public Tensor[] grads() {
        return grads.clone();
    }

    /** The forward pass of the whole batch on one lane (the caller's thread): {@link DmpnnEncoderStep#forward}. */
    public Tensor forward(BatchGraph b, PhaseTimer timer) {
        batch = null;
        return steps[0].forward(b, timer);
    }

    /**
     * The forward pass in training mode, part k of the batch on lane k.
     *
     * @param b the batch in parts (at most {@code lanes().size()})
     * @param timer phase timer, or null (the lanes' phases are charged as one)
     * @return h_mol of the whole batch, n_mols × d_h
     */
    public Tensor forward(BatchParts b, PhaseTimer timer) {
        if (b.size() > steps.length) {
            throw new IllegalArgumentException(b.size() + " parts for " + steps.length + " lanes");
        }
        if (b.size() == 1) {
            batch = null;
            return steps[0].forward(b.part(0), timer);
        }
        try (NoGradGuard g = new NoGradGuard()) {
            Tensor[] masks = drawMasks(b);
            Tensor[] out = new Tensor[b.size()];
            lanes.run(k -> {
                if (k < b.size()) {
                    out[k] = steps[k].forward(b.part(k), slices(masks, b, k), null);
                }
            });
            batch = b;
            Tensor mol = torch.cat(new TensorVector(out), 0);
            DmpnnEncoderStep.lap(timer, "forward D-MPNN (lanes)");
            return mol;
        }
    }

    /**
     * The backward pass of the last {@link #forward}: lane k from the rows of {@code gMol} of its molecules,
     * then the weight gradients summed over the parts in part order into {@link #grads()}.
     *
     * @param gMol ∂L/∂h_mol, n_mols × d_h (left unchanged)
     * @param timer phase timer, or null
     */
    public void backward(Tensor gMol, PhaseTimer timer) {
        BatchParts b = batch;
        if (b == null) {
            steps[0].backward(gMol, timer);
            if (steps.length > 1) {
                Tensor[] g0 = steps[0].grads();
                try (NoGradGuard g = new NoGradGuard()) {
                    for (int i = 0; i < grads.length; i++) {
                        grads[i].copy_(g0[i]);
                    }
                }
            }
            return;
        }
        try (NoGradGuard g = new NoGradGuard()) {
            lanes.run(k -> {
                if (k < b.size()) {
                    int m0 = b.molOffset(k);
                    steps[k].backward(gMol.narrow(0, m0, b.molOffset(k + 1) - m0), null);
                }
            });
            for (int i = 0; i < grads.length; i++) {
                torch.add_out(grads[i], steps[0].grads()[i], steps[1].grads()[i]);
                for (int k = 2; k < b.size(); k++) {
                    grads[i].add_(steps[k].grads()[i]);
                }
            }
            batch = null;
            DmpnnEncoderStep.lap(timer, "backward D-MPNN (lanes) + gradient sum");
        }
    }

    /** Whole-batch dropout masks in the one-lane order: H_1 … H_D (n_edges × d_h), then h_v (n_atoms × d_h). */
    private Tensor[] drawMasks(BatchParts b) {
        int count = steps[0].maskCount();
        if (count == 0) {
            return null;
        }
        Tensor w = steps[0].weights()[0];
        Tensor[] m = new Tensor[count];
        for (int i = 0; i < count; i++) {
            long rows = i < count - 1 ? b.edgeOffset(b.size()) : b.atomOffset(b.size());
            m[i] = torch.zeros(new long[] {rows, steps[0].hidden()}, w.options());
            BernoulliMask.draw(m[i], 1 - p, keepScale);
        }
        return m;
    }

    /** @return part k's rows of the masks (null without dropout) */
    private static Tensor[] slices(Tensor[] masks, BatchParts b, int k) {
        if (masks == null) {
            return null;
        }
        Tensor[] s = new Tensor[masks.length];
        for (int i = 0; i < masks.length; i++) {
            boolean edges = i < masks.length - 1;
            long from = edges ? b.edgeOffset(k) : b.atomOffset(k);
            long to = edges ? b.edgeOffset(k + 1) : b.atomOffset(k + 1);
            s[i] = masks[i].narrow(0, from, to - from);
        }
        return s;
    }
}
