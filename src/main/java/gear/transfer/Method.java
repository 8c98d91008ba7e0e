package gear.transfer;

import java.util.Locale;

/**
 * The transfer methods of {@code gear transfer --method} (design/GEAR.md §5): six baselines and GEAR.
 */
public enum Method {
    /** Single-task learning on the target only (same backbone, encoder and head sizes). */
    STL,
    /** Multi-task learning: shared embedding and encoder, one head per task, masked losses. */
    MTL,
    /** Pre-train on the source, then fine-tune all weights on the target. */
    FINETUNE,
    /** Feature distillation: a trained source model's latent z_s is distilled into the target model (MSE). */
    KD,
    /** Global-structure-preserving KD: the batch's pairwise latent distance matrices are matched. */
    GSPKD,
    /** GATE (Ko et al., ICLR 2024): shared embedding; l_reg, l_auto, l_cons, l_map and the distance loss. */
    GATE,
    /** GEAR (Ko et al., arXiv 2506.13015): own networks per task; six loss terms including curvature matching. */
    GEAR;

    /** Parses a CLI name ({@code stl, mtl, finetune, kd, gspkd, gate, gear}; case-insensitive). */
    public static Method parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (Method m : values()) {
            if (m.cliName().equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + s + "': expected one of stl, mtl, finetune, kd, gspkd, gate, gear");
    }

    /** @return the CLI name */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return whether each task has a transfer map φ and an inverse ψ (GATE, GEAR) */
    public boolean hasTransferMaps() {
        return this == GATE || this == GEAR;
    }

    /** @return whether the method trains a source network first and then the target network (finetune, KD, GSP-KD) */
    public boolean twoPhase() {
        return this == FINETUNE || this == KD || this == GSPKD;
    }

    /** @return whether the model holds a source-task network that predicts the source property */
    public boolean hasSourceNetwork() {
        return this != STL;
    }
}
