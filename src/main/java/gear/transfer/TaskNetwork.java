package gear.transfer;

import gear.geometry.SiluMlp;
import gear.nn.BatchGraph;
import gear.nn.DmpnnEncoder;
import gear.nn.FfnHead;
import org.bytedeco.pytorch.Tensor;

/**
 * The network of one task τ (design/GEAR.md §2):
 *
 * <pre>
 * graph → Embedding_τ (D-MPNN, d_h) → h_τ → Encoder_τ (ReLU MLP d_h → d_h → d_z) → z_τ
 *       → Transfer_τ φ_τ (SiLU MLP d_z → h → d_M) → x_τ → Inverse_τ ψ_τ (SiLU MLP d_M → h → d_z) → ẑ_τ
 *       → Head_τ (ReLU MLP d_z → d_h → 1) → ŷ_τ
 * </pre>
 *
 * The prediction is Head_τ(ψ_τ(φ_τ(z_τ))) when the task has transfer maps (GATE, GEAR) and Head_τ(z_τ)
 * otherwise (the baselines). The embedding (and for MTL the encoder) may be the same object in both
 * tasks' networks: then it is shared.
 *
 * @param embedding D-MPNN graph encoder
 * @param encoder MLP d_h → d_z (z, the latent chart)
 * @param phi transfer map φ: d_z → d_M, or null
 * @param psi inverse map ψ: d_M → d_z, or null
 * @param head MLP d_z → 1 (standardized prediction)
 */
public record TaskNetwork(DmpnnEncoder embedding, FfnHead encoder, SiluMlp phi, SiluMlp psi, FfnHead head) {

    /** @return z = Encoder(Embedding(G)), shape (B, d_z) */
    public Tensor latent(BatchGraph batch, boolean training) {
        return encoder.forward(embedding.forward(batch, training), training);
    }

    /** @return the standardized prediction from latent points, shape (B) */
    public Tensor predictFromLatent(Tensor z) {
        Tensor zz = phi == null ? z : psi.forward(phi.forward(z));
        return head.forward(zz, false).reshape(-1);
    }

    /** @return whether this network has φ and ψ */
    public boolean hasTransferMaps() {
        return phi != null;
    }
}
