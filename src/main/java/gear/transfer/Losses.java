package gear.transfer;

import gear.geometry.SiluMlp;
import java.util.LinkedHashMap;
import java.util.Map;
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
 *   <li>{@link #mse}: l_auto (‖ψ(φ(z)) − z‖²), l_cons (‖φ_s(z_s) − φ_t(z_t)‖²), KD;</li>
 *   <li>{@link GeometryLosses#curvature}: l_curv (R_s vs R_t: MSE, relative or standardized);</li>
 *   <li>{@link GeometryLosses#metric}: l_metric = mean ‖JᵀJ − I‖²_F / d_z²;</li>
 *   <li>{@link #distance}: GATE's l_dis = mean_k (d_s,k − d_t,k)²;</li>
 *   <li>{@link #structure}: GSP-KD, matching the batch's normalized pairwise-distance matrices.</li>
 * </ul>
 *
 * <p>Composites used by the GATE and GEAR training steps: {@link #alignment} (l_reg, l_auto, l_cons,
 * l_map of two task networks), {@link GeometryLosses#metricAt} (l_metric at given points, analytic Jacobian of φ by
 * {@link GeometryLosses#jacobian}), {@link GeometryLosses#curvatureMatch} (l_curv), {@link #gateDistance} (GATE's l_dis at
 * perturbed common-space points) and {@link #total} (the weighted sum).
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
        Tensor off = torch.ones(new long[] {b, b}, x.options()).sub(torch.eye(b, x.options())); // dtype and device of x
        d = d.mul(off);
        Tensor mean = d.sum().div(new Scalar((double) Math.max(1, b * (b - 1)))).add(new Scalar(1e-12));
        return d.div(mean);
    }

    /**
     * l_reg, l_auto, l_cons and l_map of two task networks with transfer maps on one batch (every molecule
     * through both networks; labels NaN where a molecule has none for a task):
     * <pre>
     * l_reg  = MSE_m(Head_s(ψ_s(φ_s(z_s))), y_s) + MSE_m(Head_t(ψ_t(φ_t(z_t))), y_t)
     * l_auto = MSE(ψ_s(φ_s(z_s)), z_s) + MSE(ψ_t(φ_t(z_t)), z_t)
     * l_cons = MSE(φ_s(z_s), φ_t(z_t))
     * l_map  = MSE_m(Head_t(ψ_t(φ_s(z_s))), y_t) + MSE_m(Head_s(ψ_s(φ_t(z_t))), y_s)
     * </pre>
     * (MSE_m: {@link #maskedMse}).
     *
     * @return the terms under the keys {@code reg, auto, cons, map}, in that order
     */
    public static Map<String, Tensor> alignment(TaskNetwork s, TaskNetwork t, Tensor zs, Tensor zt, Tensor ys, Tensor yt) {
        return alignment(s, t, zs, zt, ys, yt, Losses::maskedMse);
    }

    /**
     * {@link #alignment(TaskNetwork, TaskNetwork, Tensor, Tensor, Tensor, Tensor)} with the supervised terms
     * (l_reg, l_map) under the task type's loss {@code supervised}(prediction, labels) instead of MSE_m.
     */
    public static Map<String, Tensor> alignment(TaskNetwork s, TaskNetwork t, Tensor zs, Tensor zt, Tensor ys, Tensor yt,
            java.util.function.BinaryOperator<Tensor> supervised) {
        Tensor xs = s.phi().forward(zs);
        Tensor xt = t.phi().forward(zt);
        if (headsWithoutDropout(java.util.List.of(s, t))) {
            return alignmentStacked(s, t, zs, zt, xs, xt, ys, yt, supervised);
        }
        Tensor rs = s.psi().forward(xs);
        Tensor rt = t.psi().forward(xt);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("reg", supervised.apply(s.head().forward(rs, true), ys).add(supervised.apply(t.head().forward(rt, true), yt)));
        m.put("auto", mse(rs, zs).add(mse(rt, zt)));
        m.put("cons", mse(xs, xt));
        m.put("map", supervised.apply(t.head().forward(t.psi().forward(xs), true), yt)
                .add(supervised.apply(s.head().forward(s.psi().forward(xt), true), ys)));
        return m;
    }

    /**
     * The same four terms with each task's ψ and head run once on stacked common-space points ({@link #decode}):
     * the same values row for row (up to the summation order of a larger product). Used only when no head has
     * dropout, whose masks would be drawn in another order.
     */
    private static Map<String, Tensor> alignmentStacked(TaskNetwork s, TaskNetwork t, Tensor zs, Tensor zt, Tensor xs,
            Tensor xt, Tensor ys, Tensor yt, java.util.function.BinaryOperator<Tensor> supervised) {
        Decoded ds = decode(s, xs, xt);
        Decoded dt = decode(t, xt, xs);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("reg", supervised.apply(ds.own(), ys).add(supervised.apply(dt.own(), yt)));
        m.put("auto", mse(ds.reconstruction(), zs).add(mse(dt.reconstruction(), zt)));
        m.put("cons", mse(xs, xt));
        m.put("map", supervised.apply(dt.mapped(), yt).add(supervised.apply(ds.mapped(), ys)));
        return m;
    }

    /** @return whether no head of these networks has dropout (then {@link #decode} may stack its inputs) */
    public static boolean headsWithoutDropout(java.util.List<TaskNetwork> nets) {
        for (TaskNetwork n : nets) {
            if (n.head().dropout() != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * ψ_τ and Head_τ of one task on its own common-space points x_τ and on the points x' mapped into it from
     * the other task(s), in one pass over the stacked rows [x_τ; x'] (one product per layer instead of two; the
     * heads must have no dropout, whose masks would be drawn in another order).
     *
     * @param own x_τ = φ_τ(z_τ), shape (B, d_M)
     * @param other x', shape (B', d_M)
     * @return ẑ_τ = ψ_τ(x_τ), Head_τ(ψ_τ(x_τ)) and Head_τ(ψ_τ(x'))
     */
    public static Decoded decode(TaskNetwork net, Tensor own, Tensor other) {
        long b = own.size(0);
        Tensor p = net.psi().forward(torch.cat(new org.bytedeco.pytorch.TensorVector(own, other), 0));
        Tensor h = net.head().forward(p, true);
        return new Decoded(p.narrow(0, 0, b), h.narrow(0, 0, b), h.narrow(0, b, other.size(0)));
    }

    /**
     * What {@link #decode} returns.
     *
     * @param reconstruction ψ_τ(x_τ), shape (B, d_z)
     * @param own Head_τ(ψ_τ(x_τ)), shape (B, 1)
     * @param mapped Head_τ(ψ_τ(x')), shape (B', 1)
     */
    public record Decoded(Tensor reconstruction, Tensor own, Tensor mapped) {}

    /**
     * GATE's distance loss at perturbed common-space points: with x the points of M and δ_k the
     * perturbations (x and δ repeated to the same shape), d_τ,k = ‖ψ_τ(x + δ_k) − ψ_τ(x)‖ and
     * l_dis = mean_k (d_s,k − d_t,k)².
     *
     * @param x common-space points, shape (N, d_M) (each row repeated K times by the caller)
     * @param delta perturbations, shape (N, d_M)
     */
    public static Tensor gateDistance(SiluMlp psiS, SiluMlp psiT, Tensor x, Tensor delta) {
        Tensor xp = x.add(delta);
        Tensor ds = rowDistances(psiS.forward(xp), psiS.forward(x));
        Tensor dt = rowDistances(psiT.forward(xp), psiT.forward(x));
        return distance(ds, dt);
    }

    /**
     * The weighted total Σ_k w_k l_k; terms without a weight count with weight 1 (l_reg).
     *
     * @param terms the loss terms by name
     * @param weights weights by term name
     */
    public static Tensor total(Map<String, Tensor> terms, Map<String, Double> weights) {
        Tensor sum = null;
        for (Map.Entry<String, Tensor> e : terms.entrySet()) {
            double w = weights.getOrDefault(e.getKey(), 1.0);
            if (w == 0) {
                continue;
            }
            Tensor t = w == 1 ? e.getValue() : e.getValue().mul(new Scalar(w));
            sum = sum == null ? t : sum.add(t);
        }
        if (sum == null) {
            throw new IllegalArgumentException("no loss term has a non-zero weight");
        }
        return sum;
    }
}
