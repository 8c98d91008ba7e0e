package gear.transfer.method;

import gear.transfer.Losses;
import org.bytedeco.pytorch.Tensor;

/**
 * GSP-KD, global-structure-preserving distillation (design/GEAR.md §5): as {@link Kd}, but the term
 * matches the batch's normalized pairwise latent distance matrices, l_kd = MSE(D(z_t)/mean D(z_t),
 * D(z_s)/mean D(z_s)) ({@link Losses#structure}).
 */
public final class GspKd extends Kd {
    @Override
    public String name() {
        return "gspkd";
    }

    @Override
    public String description() {
        return "global-structure-preserving KD: the batch's pairwise latent distances are matched";
    }

    @Override
    protected Tensor distill(Tensor student, Tensor teacher) {
        return Losses.structure(student, teacher);
    }
}
