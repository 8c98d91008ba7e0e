package gear.transfer;

import gear.chem.MolGraph;
import gear.data.StandardScaler;
import gear.geometry.SiluMlp;
import gear.nn.BatchGraph;
import gear.nn.DmpnnConfig;
import gear.nn.DmpnnEncoder;
import gear.nn.FfnHead;
import gear.nn.Params;
import gear.nn.Tensors;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.Function;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

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
 * tasks' networks: then it is shared. The two-task model ({@link TransferModel}) and the k-task one
 * ({@code gear.transfer.ktask.KTaskModel}) make their networks with {@link #build} and predict with {@link #predict}.
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

    /** @return the D-MPNN of a task network's embedding under these options (d_h, depth, dropout) */
    public static DmpnnConfig embeddingConfig(TransferOptions o) {
        return new DmpnnConfig(o.hiddenSize(), o.depth(), o.dropout(), o.hiddenSize(), 2, 1, false);
    }

    /** @return a ReLU MLP in → d_h → out with the options' dropout, its weights registered in {@code params} as {@code name} */
    public static FfnHead mlp(Params params, String name, int in, int out, TransferOptions o, Random rnd) {
        return new FfnHead(params, name, in, o.hiddenSize(), 2, out, o.dropout(), ScalarType.Float, rnd);
    }

    /**
     * Makes one task's network, its weights registered in {@code params} under {@code prefix} in the order embedding,
     * encoder, φ, ψ, head (the draws from {@code rnd} in that order, so that a seed gives one initialization).
     *
     * @param sharedEmbedding the embedding shared by the tasks (null: its own)
     * @param sharedEncoder the encoder shared by the tasks (null: its own)
     * @param maps whether it has φ: d_z → d_M and ψ: d_M → d_z
     * @param isometricSeed the seed of φ's isometric initialization ({@link PhiInit}; empty: libtorch's default)
     */
    public static TaskNetwork build(Params params, String prefix, TransferOptions o, Random rnd,
            DmpnnEncoder sharedEmbedding, FfnHead sharedEncoder, boolean maps, OptionalLong isometricSeed) {
        DmpnnEncoder emb = sharedEmbedding != null ? sharedEmbedding
                : new DmpnnEncoder(params, prefix + ".embedding", embeddingConfig(o), rnd);
        FfnHead enc = sharedEncoder != null ? sharedEncoder
                : mlp(params, prefix + ".encoder", o.hiddenSize(), o.latentSize(), o, rnd);
        SiluMlp phi = null;
        SiluMlp psi = null;
        if (maps) {
            phi = new SiluMlp(params, prefix + ".phi", new int[] {o.latentSize(), o.mapHidden(), o.commonSize()},
                    ScalarType.Float);
            if (isometricSeed.isPresent()) {
                PhiInit.isometric(phi, isometricSeed.getAsLong());
            }
            psi = new SiluMlp(params, prefix + ".psi", new int[] {o.commonSize(), o.mapHidden(), o.latentSize()},
                    ScalarType.Float);
        }
        FfnHead head = mlp(params, prefix + ".head", o.latentSize(), 1, o, rnd);
        return new TaskNetwork(emb, enc, phi, psi, head);
    }

    /**
     * @return predictions in the task's original units, Head(ψ(φ(z))) · σ + μ (Head(z) without transfer maps), in
     *     batches of {@link TransferModel#PREDICT_BATCH} made by {@code batch} (on the device of the weights)
     */
    public double[] predict(List<MolGraph> graphs, StandardScaler sc, Function<List<MolGraph>, BatchGraph> batch) {
        double[] out = new double[graphs.size()];
        for (int i = 0; i < graphs.size(); i += TransferModel.PREDICT_BATCH) {
            List<MolGraph> part = graphs.subList(i, Math.min(graphs.size(), i + TransferModel.PREDICT_BATCH));
            try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                double[] z = Tensors.toDoubles(predictFromLatent(latent(batch.apply(part), false)));
                for (int k = 0; k < z.length; k++) {
                    out[i + k] = z[k] * sc.std(0) + sc.mean(0);
                }
            }
        }
        return out;
    }
}
