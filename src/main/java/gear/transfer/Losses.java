package gear.transfer;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * The loss terms of GEAR and its baselines as pure tensor functions (design/GEAR.md §4–5).
 *
 * <p>Notation: B molecules in a batch; z ∈ ℝ^{B×d_z} latent points; x = φ(z) ∈ ℝ^{B×d_M} points of
 * the common flat space M; y ∈ ℝ^B standardized targets with NaN for "not labelled for this task".
 * MSE is the mean of squared errors over the elements that take part.
 *
 * <ul>
 *   <li>{@link #maskedMse}: l_reg and l_map, over labelled molecules only (NaN targets masked);</li>
 *   <li>{@link #mse}: l_auto (‖ψ(φ(z)) − z‖²), l_cons (‖φ_s(z_s) − φ_t(z_t)‖²), l_curv (R_s vs R_t), KD;</li>
 *   <li>{@link #metric}: l_metric = mean ‖JᵀJ − I‖²_F / d_z²;</li>
 *   <li>{@link #distance}: GATE's l_dis = mean_k (d_s,k − d_t,k)²;</li>
 *   <li>{@link #structure}: GSP-KD, matching the batch's normalized pairwise-distance matrices.</li>
 * </ul>
 *
 * <p>References: Ko et al., "Geometric Embedding Alignment via Curvature Matching in Transfer
 * Learning", arXiv 2506.13015 (2025); Ko et al., "Geometrically Aligned Transfer Encoder for Inductive
 * Transfer in Regression Tasks", ICLR 2024 (GATE).
 */
public final class Losses {
    private Losses() {}

    /**
     * Mean squared error over the non-NaN entries of {@code target}; 0 (still attached to the graph)
     * when no entry is labelled.
     *
     * @param prediction shape (B) or (B, 1)
     * @param target shape (B), NaN = unlabelled
     */
    public static Tensor maskedMse(Tensor prediction, Tensor target) {
        Tensor p = prediction.reshape(-1);
        Tensor y = target.reshape(-1).to(p.scalar_type());
        Tensor mask = torch.isnan(y).logical_not().to(p.scalar_type());
        Tensor y0 = torch.nan_to_num(y, new org.bytedeco.pytorch.DoubleOptional(0.0),
                new org.bytedeco.pytorch.DoubleOptional(), new org.bytedeco.pytorch.DoubleOptional());
        Tensor diff = p.sub(y0).mul(mask);
        Tensor count = mask.sum().clamp_min(new Scalar(1.0));
        return diff.mul(diff).sum().div(count);
    }

    /** @return mean of (a − b)² over all elements (shapes must match) */
    public static Tensor mse(Tensor a, Tensor b) {
        Tensor d = a.sub(b);
        return d.mul(d).mean();
    }

    /**
     * Metric loss: mean over points of ‖g − I‖²_F / d_z² with g = JᵀJ.
     *
     * @param jacobian J = ∂x/∂z, shape (B, d_M, d_z)
     */
    public static Tensor metric(Tensor jacobian) {
        long dz = jacobian.size(2);
        Tensor g = torch.matmul(jacobian.transpose(1, 2), jacobian);
        Tensor eye = torch.eye(dz, new org.bytedeco.pytorch.TensorOptions(jacobian.scalar_type()));
        Tensor d = g.sub(eye);
        return d.mul(d).sum(new long[] {1, 2}).mean().div(new Scalar((double) (dz * dz)));
    }

    /**
     * GATE's distance loss: for perturbations x + δ_k of common-space points, the distances each task's
     * inverse map puts between ψ(x + δ_k) and ψ(x) must agree: mean_k (d_s,k − d_t,k)².
     *
     * @param sourceDistances d_s, any shape
     * @param targetDistances d_t, same shape
     */
    public static Tensor distance(Tensor sourceDistances, Tensor targetDistances) {
        return mse(sourceDistances, targetDistances);
    }

    /**
     * Euclidean distances ‖a_b − c_b‖ row by row, with a small floor inside the square root so that the
     * gradient stays finite where the two rows coincide.
     *
     * @param a shape (B, d)
     * @param c shape (B, d)
     * @return shape (B)
     */
    public static Tensor rowDistances(Tensor a, Tensor c) {
        Tensor d = a.sub(c);
        return d.mul(d).sum(new long[] {1}).add(new Scalar(1e-12)).sqrt();
    }

    /**
     * GSP-KD structure loss: the student's and the teacher's pairwise distance matrices over the batch,
     * each divided by its mean off-diagonal distance (scale-free), compared by MSE.
     *
     * @param student shape (B, d_s)
     * @param teacher shape (B, d_t) (treated as a constant by callers: pass a detached tensor)
     */
    public static Tensor structure(Tensor student, Tensor teacher) {
        Tensor ds = normalizedDistances(student);
        Tensor dt = normalizedDistances(teacher);
        return mse(ds, dt);
    }

    private static Tensor normalizedDistances(Tensor x) {
        long b = x.size(0);
        Tensor sq = x.mul(x).sum(new long[] {1}, true, new org.bytedeco.pytorch.ScalarTypeOptional());
        Tensor d2 = sq.add(sq.t()).sub(torch.matmul(x, x.t()).mul(new Scalar(2.0))).clamp_min(new Scalar(0.0));
        Tensor d = d2.add(new Scalar(1e-12)).sqrt();
        Tensor off = torch.ones(new long[] {b, b}, new org.bytedeco.pytorch.TensorOptions(x.scalar_type()))
                .sub(torch.eye(b, new org.bytedeco.pytorch.TensorOptions(x.scalar_type())));
        d = d.mul(off);
        Tensor mean = d.sum().div(new Scalar((double) Math.max(1, b * (b - 1)))).add(new Scalar(1e-12));
        return d.div(mean);
    }
}
