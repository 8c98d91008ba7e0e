package gear.nn;

import static gear.nn.DmpnnEncoderStep.buffer;
import static gear.nn.DmpnnEncoderStep.drop;
import static gear.nn.DmpnnEncoderStep.keep;
import static gear.nn.DmpnnEncoderStep.lap;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * One training step of a {@link Dmpnn} under the masked MSE loss ({@link Losses#maskedMse}) with a
 * hand-derived backward pass: the encoder's forward and backward by {@link DmpnnEncoderStep} (its Javadoc
 * has the equations), the {@link FfnHead} and the loss here, and every weight's gradient written into
 * the parameter's {@code grad()} so that {@link Adam} and gradient clipping work unchanged.
 *
 * <p>Head backward (z_0 = h_mol, z_{k+1} = W_k z_k + b_k with ReLU between layers, ŷ the last): G_ŷ from
 * the loss ({@link HeadLoss}; for the masked MSE with mask M of present targets 2 M ⊙ (ŷ − y) / max(1, Σ M)), ∂W_k = G_{z_{k+1}}ᵀ z_k, ∂b_k = Σ G_{z_{k+1}},
 * G_{z_k} = G_{z_{k+1}} W_k ⊙ [z_k > 0] (no mask for k = 0), then G_{h_mol} = G_{z_0} into the encoder.
 * With dropout, each dropped activation is multiplied by its mask (the draws of {@code torch.dropout}),
 * and its gradient by the same mask. The loss equals {@link Dmpnn#forward} + {@link Losses#maskedMse},
 * and the gradients autograd's, up to floating-point summation order.
 *
 * <p>Not thread-safe; one instance per training loop. Buffers are allocated outside any
 * {@link org.bytedeco.javacpp.PointerScope} (construct it before opening a step's scope).
 */
public final class DmpnnTrainStep {
    private final EncoderLanes encoder;
    private final double pHead;
    private final List<Tensor> headW;
    private final List<Tensor> headB;
    private final Tensor[] params;
    private final Tensor[] grads;
    private final Tensor[] gHeadW;
    private final Tensor[] gHeadB;
    private final Scalar zero;
    private final Scalar keepHead;
    private final Tensor[] noiseZ;
    private final Tensor[] zs;
    private boolean pending;
    private Tensor gradOut;

    /** Prepares the step for {@code net} on one lane (allocates its gradient and activation buffers). */
    public DmpnnTrainStep(Dmpnn net) {
        this(net, new Lanes(1));
    }

    /**
     * Prepares the step for {@code net} with the D-MPNN data-parallel on {@code lanes} ({@link EncoderLanes};
     * the FFN head, the loss and the gradient sum run on the calling thread).
     */
    public DmpnnTrainStep(Dmpnn net, Lanes lanes) {
        Torch.ensure();
        encoder = new EncoderLanes(net.encoder(), lanes);
        pHead = net.head().dropout();
        headW = net.head().weights();
        headB = net.head().biases();
        Map<String, Tensor> named = net.params().asMap();
        params = named.values().toArray(new Tensor[0]);
        grads = new Tensor[params.length];
        Map<String, Tensor> byName = new HashMap<>();
        Tensor[] encGrads = encoder.grads();
        String[] encNames = {"encoder.W_i.weight", "encoder.W_h.weight", "encoder.W_o.weight", "encoder.W_o.bias"};
        for (int k = 0; k < encNames.length; k++) {
            byName.put(encNames[k], encGrads[k]);
        }
        int i = 0;
        for (String name : named.keySet()) {
            grads[i] = byName.computeIfAbsent(name, n -> keep(torch.zeros_like(named.get(n))));
            i++;
        }
        gHeadW = new Tensor[headW.size()];
        gHeadB = new Tensor[headW.size()];
        for (int k = 0; k < headW.size(); k++) {
            gHeadW[k] = byName.get("head." + k + ".weight");
            gHeadB[k] = byName.get("head." + k + ".bias");
        }
        zero = keep(new Scalar(0.0));
        keepHead = keep(new Scalar(1 - pHead));
        int layers = headW.size();
        noiseZ = new Tensor[layers];
        zs = new Tensor[layers];
        for (int k = 0; k < layers; k++) {
            noiseZ[k] = pHead > 0 ? buffer(headW.get(k).size(1), net.encoder().weights()[0].options()) : null;
        }
    }

    /**
     * Runs the forward pass in training mode (dropout active) under the masked MSE and keeps what the
     * backward needs.
     *
     * @param b the batch (its tensors must stay alive until {@link #backward(PhaseTimer)})
     * @param target standardized targets, n_mols × tasks (missing cells any finite value)
     * @param mask 1 where a target is present, else 0; same shape
     * @param timer phase timer, or null
     * @return the masked MSE loss, {@code Losses.maskedMse(net.forward(b, true), target, mask)} up to rounding
     */
    public double forward(BatchGraph b, Tensor target, Tensor mask, PhaseTimer timer) {
        return forward(b, HeadLoss.maskedMse(target, mask), timer);
    }

    /**
     * Runs the forward pass in training mode (dropout active), evaluates {@code loss} at the output
     * and keeps what the backward needs: the backward starts from the loss's gradient at the output.
     *
     * @param b the batch (its tensors must stay alive until {@link #backward(PhaseTimer)})
     * @param loss the task type's loss at the head output
     * @param timer phase timer, or null
     * @return the loss value
     */
    public double forward(BatchGraph b, HeadLoss loss, PhaseTimer timer) {
        return head(encoder.forward(b, timer), loss, timer);
    }

    /**
     * {@link #forward(BatchGraph, HeadLoss, PhaseTimer)} with the D-MPNN of part k on lane k; the same loss and,
     * after {@link #backward}, the same gradients up to float summation order (the same dropout masks).
     *
     * @param b the batch in parts (its tensors must stay alive until {@link #backward(PhaseTimer)})
     */
    public double forward(BatchParts b, HeadLoss loss, PhaseTimer timer) {
        return head(encoder.forward(b, timer), loss, timer);
    }

    private double head(Tensor z, HeadLoss loss, PhaseTimer timer) {
        try (NoGradGuard g = new NoGradGuard()) {
            for (int k = 0; k < headW.size(); k++) {
                if (noiseZ[k] != null) {
                    drop(z, noiseZ[k], pHead, keepHead);
                }
                zs[k] = z;
                z = torch.addmm(headB.get(k), z, headW.get(k).t());
                if (k < headW.size() - 1) {
                    z.relu_();
                }
            }
            HeadLoss.Value v = loss.apply(z);
            gradOut = v.gradient();
            pending = true;
            lap(timer, "forward FFN + loss");
            return v.loss();
        }
    }

    /**
     * Computes the gradients of the loss of the last {@link #forward} and stores them as the
     * parameters' {@code grad()} (replacing what was there).
     *
     * @param timer phase timer, or null
     */
    public void backward(PhaseTimer timer) {
        if (!pending) {
            throw new IllegalStateException("backward() without forward()");
        }
        Tensor g;
        try (NoGradGuard guard = new NoGradGuard()) {
            // d loss / d output, from the loss (masked MSE: 2 mask (ŷ − z) / max(1, Σ mask))
            g = gradOut;
            for (int k = headW.size() - 1; k >= 0; k--) {
                torch.mm_out(gHeadW[k], g.t(), zs[k]);
                torch.sum_out(gHeadB[k], g, 0);
                Tensor gz = g.mm(headW.get(k));
                if (noiseZ[k] != null) {
                    gz.mul_(noiseZ[k]);
                }
                if (k > 0) {
                    torch.threshold_backward_out(gz, gz, zs[k], zero);
                }
                g = gz;
            }
            lap(timer, "backward FFN");
        }
        encoder.backward(g, timer);
        for (int i = 0; i < params.length; i++) {
            params[i].mutable_grad().put(grads[i]);
        }
        pending = false;
    }
}
