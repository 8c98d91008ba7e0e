package gear.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Loss functions over batches with missing targets. */
public final class Losses {
    private Losses() {}

    /**
     * Masked mean squared error, as chemprop v1: (Σ mask ⊙ (pred − target)²) / Σ mask.
     *
     * @param pred predictions, n × T
     * @param target targets, n × T, with missing cells set to any finite value (e.g. 0)
     * @param mask 1 where the target is present, 0 where missing; same shape and dtype as pred
     * @return a scalar tensor (0 if the mask is all zero)
     */
    public static Tensor maskedMse(Tensor pred, Tensor target, Tensor mask) {
        Tensor d = pred.sub(target);
        Tensor sq = d.mul(d).mul(mask);
        return sq.sum().div(mask.sum().clamp_min(new org.bytedeco.pytorch.Scalar(1.0)));
    }
}
