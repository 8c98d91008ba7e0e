package gear.transfer;

import gear.geometry.Curvature;
import gear.geometry.CurvatureResult;
import gear.geometry.MetricTerm;
import gear.geometry.SiluMlp;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * GEAR's geometric loss terms as pure tensor functions (design/GEAR.md §4): the metric term and the curvature term of
 * the latent manifolds, whose metric is the pull-back g = JᵀJ of the flat common space M through the transfer map φ
 * (J = ∂φ/∂z); the other terms, and the weighted total, are in {@link Losses}.
 *
 * <ul>
 *   <li>{@link #metric}: l_metric = mean ‖JᵀJ − I‖²_F / d_z², with J from {@link #jacobian} (analytic, forward mode);
 *       {@link #metricAt} the same at given (perturbed) points with a hand-derived gradient ({@link MetricTerm});</li>
 *   <li>{@link #curvature}: l_curv, the Ricci scalars R_s and R_t compared at corresponding points (MSE, relative or
 *       standardized); {@link #curvatureMatch} computes the scalars ({@link Curvature}) and leaves out singular
 *       metrics.</li>
 * </ul>
 *
 * <p>References: Ko et al., "Geometric Embedding Alignment via Curvature Matching in Transfer Learning", arXiv
 * 2506.13015 (2025).
 */
public final class GeometryLosses {
    private GeometryLosses() {}

    /**
     * Metric loss: mean over points of ‖g − I‖²_F / d_z² with g = JᵀJ.
     *
     * @param jacobian J = ∂x/∂z, shape (B, d_M, d_z)
     */
    public static Tensor metric(Tensor jacobian) {
        long dz = jacobian.size(2);
        Tensor g = torch.matmul(jacobian.transpose(1, 2), jacobian);
        Tensor eye = torch.eye(dz, jacobian.options()); // dtype and device of J
        // mean over points of Σ_ij (g − I)²_ij / d_z² is the mean over all B·d_z² entries
        return g.sub(eye).square().mean();
    }

    /**
     * Analytic Jacobian J = ∂φ/∂z of a SiLU MLP by forward-mode recursion (first order only):
     * J⁽⁰⁾ = I, J_u⁽ˡ⁾ = W⁽ˡ⁾ J⁽ˡ⁻¹⁾, J⁽ˡ⁾ = s'(u⁽ˡ⁾) ⊙ J_u⁽ˡ⁾ for hidden layers, J = J_u⁽ᴸ⁾ at the output,
     * with s'(u) = σ(u) + uσ(u)(1 − σ(u)). Differentiable with respect to the weights and z.
     *
     * @param z points, shape (B, d_z)
     * @return J, shape (B, d_M, d_z)
     */
    public static Tensor jacobian(SiluMlp mlp, Tensor z) {
        long b = z.size(0);
        long d = z.size(1);
        Tensor a = z;
        Tensor jac = null;
        for (int l = 0; l < mlp.layers(); l++) {
            Tensor w = mlp.weight(l);
            // W J as (Jᵀ Wᵀ)ᵀ: one (B·d_z × in)·(in × out) product instead of B small ones on an expanded W
            Tensor ju = jac == null ? w.unsqueeze(0).expand(b, w.size(0), d) : torch.matmul(jac.mT(), w.t()).mT();
            if (l + 1 == mlp.layers()) {
                return ju; // the output layer's pre-activation is not needed
            }
            Tensor u = torch.addmm(mlp.bias(l), a, w.t());
            Tensor sg = torch.sigmoid(u);
            Tensor su = u.mul(sg); // s(u) = uσ(u)
            Tensor ds = torch.addcmul(sg, su, torch.rsub(sg, new Scalar(1.0))); // s'(u) = σ + uσ(1 − σ)
            jac = ds.unsqueeze(2).mul(ju);
            a = su;
        }
        throw new IllegalStateException("an MLP without layers");
    }

    /**
     * l_metric of one task at the given (perturbed) latent points: mean ‖J_φ(z̃)ᵀJ_φ(z̃) − I‖²_F / d_z², the value
     * of {@link #metric}({@link #jacobian}) with its hand-derived gradient ({@link MetricTerm}: one small autograd
     * node per input instead of the graph of the Jacobian; differentiable once).
     *
     * @param points z̃, shape (N, d_z)
     */
    public static Tensor metricAt(SiluMlp phi, Tensor points) {
        return MetricTerm.loss(phi, points);
    }

    /**
     * Σ_τ l_metric of several maps of equal widths, each at its own N (perturbed) points, evaluated together on the
     * stacked weights ({@link MetricTerm}; the same value and gradients as {@link #metricAt(SiluMlp, Tensor)} map
     * by map, up to round-off).
     *
     * @param points z̃_τ, each (N, d_z)
     */
    public static Tensor metricAt(java.util.List<SiluMlp> maps, java.util.List<Tensor> points) {
        return MetricTerm.loss(maps, points);
    }

    /**
     * l_curv in its default form (MSE of R): {@link #curvatureMatch(SiluMlp, SiluMlp, Tensor, Tensor,
     * Curvature.Route, String, double)} with {@code mse}.
     */
    public static CurvatureMatch curvatureMatch(SiluMlp phiS, SiluMlp phiT, Tensor zs, Tensor zt, Curvature.Route route) {
        return curvatureMatch(phiS, phiT, zs, zt, route, "mse", 0.0);
    }

    /**
     * l_curv: the Ricci scalars of the two latent manifolds compared at corresponding points (row i of
     * {@code zs} and of {@code zt} are the same molecule) by {@link #curvature} of the given form, over the
     * points where neither metric is singular ({@link Curvature}); 0 (attached) when there are none.
     *
     * @param route curvature route
     * @param form {@code mse}, {@code relative} or {@code standardized} ({@link #curvature})
     * @param c the constant of the scale-aware forms
     * @return the loss and, for logging, the mean |R| per task at these points
     */
    public static CurvatureMatch curvatureMatch(SiluMlp phiS, SiluMlp phiT, Tensor zs, Tensor zt, Curvature.Route route,
            String form, double c) {
        return curvatureMatch(Curvature.ricciScalar(phiS, zs, route), Curvature.ricciScalar(phiT, zt, route), form, c);
    }

    /**
     * l_curv from Ricci scalars already computed at corresponding points (row i of both results is the same
     * molecule): {@link #curvature} of the given form over the points where neither metric is singular; 0
     * (attached) when there are none.
     *
     * @param rs R_s with its singular points
     * @param rt R_t with its singular points
     * @param form {@code mse}, {@code relative} or {@code standardized} ({@link #curvature})
     * @param c the constant of the scale-aware forms
     * @return the loss and, for logging, the mean |R| per task at these points
     */
    public static CurvatureMatch curvatureMatch(CurvatureResult rs, CurvatureResult rt, String form, double c) {
        Tensor ok = rs.singular().logical_or(rt.singular()).logical_not().to(rs.scalar().scalar_type());
        Tensor loss = curvature(rs.scalar(), rt.scalar(), ok, form, c);
        double n = Math.max(1.0, ok.sum().item_double());
        double ms = rs.scalar().detach().abs().mul(ok).sum().item_double() / n;
        double mt = rt.scalar().detach().abs().mul(ok).sum().item_double() / n;
        return new CurvatureMatch(loss, ms, mt, rs.singularCount() + rt.singularCount());
    }

    /**
     * The curvature loss between Ricci scalars a = R_s and b = R_t at B points with mask m ∈ {0, 1}^B (1 = the
     * point takes part), n = max(1, Σ_i m_i):
     * <pre>
     * mse:          (1/n) Σ_i m_i (a_i − b_i)²
     * relative:     (1/n) Σ_i m_i (a_i − b_i)² / (a_i² + b_i² + c)                     (in [0, 2], scale-free)
     * standardized: (1/n) Σ_i m_i (â_i − b̂_i)²,  â_i = (a_i − μ_a) / √(σ_a² + c),
     *               μ_a = (1/n) Σ_i m_i a_i,  σ_a² = (1/n) Σ_i m_i (a_i − μ_a)²         (b̂ likewise)
     * </pre>
     * {@code mse} scales like 1/length⁴ (R ~ 1/length²), so its share of the total depends on the size of the
     * manifolds; {@code relative} is invariant under a common rescaling of R (for c → 0) and {@code standardized}
     * under separate affine rescalings of R_s and R_t (it matches the pattern of curvature over the batch, not
     * its level). The constant c &gt; 0 keeps the denominators positive (two flat points, a constant R).
     *
     * @param a R_s, shape (B)
     * @param b R_t, shape (B)
     * @param mask m, shape (B), same dtype
     * @param form {@code mse}, {@code relative} or {@code standardized}
     * @param c the constant (unused by {@code mse})
     */
    public static Tensor curvature(Tensor a, Tensor b, Tensor mask, String form, double c) {
        Tensor n = mask.sum().clamp_min(new Scalar(1.0));
        return switch (form) {
            case "mse" -> {
                Tensor d = a.sub(b).mul(mask);
                yield d.mul(d).sum().div(n);
            }
            case "relative" -> {
                Tensor d = a.sub(b);
                Tensor den = a.mul(a).add(b.mul(b)).add(new Scalar(c));
                yield d.mul(d).div(den).mul(mask).sum().div(n);
            }
            case "standardized" -> {
                Tensor d = standardize(a, mask, n, c).sub(standardize(b, mask, n, c)).mul(mask);
                yield d.mul(d).sum().div(n);
            }
            default -> throw new IllegalArgumentException("unknown curvature loss " + form
                    + " (expected mse, relative or standardized)");
        };
    }

    /** (r − μ)/√(σ² + c) with the masked mean μ and population variance σ² over the points of {@code mask}. */
    private static Tensor standardize(Tensor r, Tensor mask, Tensor n, double c) {
        Tensor mu = r.mul(mask).sum().div(n);
        Tensor dev = r.sub(mu).mul(mask);
        Tensor var = dev.mul(dev).sum().div(n);
        return dev.div(var.add(new Scalar(c)).sqrt());
    }

    /**
     * The curvature term with its diagnostics.
     *
     * @param loss l_curv (differentiable)
     * @param meanAbsSource mean |R_s| over the compared points
     * @param meanAbsTarget mean |R_t| over the compared points
     * @param singular points left out because a metric was singular (counted per task)
     */
    public record CurvatureMatch(Tensor loss, double meanAbsSource, double meanAbsTarget, long singular) {}
}
