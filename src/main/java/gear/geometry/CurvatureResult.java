package gear.geometry;

import org.bytedeco.pytorch.Tensor;

/**
 * Ricci scalar of a batch of points, with the points where the metric was (near-)singular reported
 * instead of hidden.
 *
 * @param scalar R per point, shape (B); differentiable w.r.t. whatever produced J, H (and T); set to 0
 *     (with zero gradient) at singular points, NaN where the metric is not finite
 * @param singular mask (B, bool): Cholesky of g + jitter failed, or cond(g) &gt; the threshold, or cond
 *     is not finite
 * @param singularCount the number of true entries of {@code singular}
 * @param condition cond(g) = λ_max/λ_min per point (B), detached; +∞ when λ_min ≤ 0, NaN where g is not finite
 * @param metric g = JᵀJ, shape (B, d_z, d_z), differentiable
 */
public record CurvatureResult(Tensor scalar, Tensor singular, long singularCount, Tensor condition, Tensor metric) {}
