package gear.geometry;

import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * GEAR's metric term of SiLU maps ({@link SiluMlp}) with a hand-derived gradient (design/GEAR.md §4; Ko et al., arXiv
 * 2506.13015):
 * <pre>
 *   l_metric = c Σ_p ‖g_p − I‖²_F,   g_p = J_pᵀ J_p,   J_p = ∂φ/∂z at the N points z_p,   c = 1/(N d²), d = d_z.
 * </pre>
 *
 * <p><b>Forward.</b> Hidden layers ℓ = 0..L−2: u_ℓ = W_ℓ a_{ℓ−1} + b_ℓ, a_ℓ = s(u_ℓ), s(u) = uσ(u),
 * D_ℓ = diag(s'(u_ℓ));
 * J = W_{L−1} C with C = D_{L−2} W_{L−2} ⋯ D_0 W_0 (h × d per point). Kept transposed, T = Cᵀ (N, d, h) by the
 * forward-mode recursion Tu_ℓ = T_{ℓ−1} W_ℓᵀ (Tu_0 = W_0ᵀ), T_ℓ = Tu_ℓ D_ℓ. With the Gram matrix A = W_{L−1}ᵀ W_{L−1}
 * (the same at every point), g = Cᵀ A C = (T A) C, where right products by C are the chain
 * X ↦ (((X D_{L−2}) W_{L−2}) ⋯ D_0) W_0. Every product thus has one matrix shared by all points on the right, i.e.
 * it is one (N·d × in)·(in × out) GEMM; no per-point (batched) product is formed.
 *
 * <p><b>Backward</b> (E = g − I symmetric): dl = 2c Σ_p tr(E_p dg_p) with dg = dCᵀ A C + Cᵀ A dC + Cᵀ dA C, so
 * <pre>
 *   F = 4c E Cᵀ = 4c E T               (the chain X ↦ ((X W_0ᵀ) D_0 ⋯ W_{L−2}ᵀ) D_{L−2})
 *   W̄_{L−1} = 2 W_{L−1} Ā,  Ā = 2c Σ_p C E Cᵀ  ⇒  W̄_{L−1} = W_{L−1} Σ_p Fᵀ T
 *   T̄ = (∂l/∂C)ᵀ = F A
 *   per hidden layer ℓ (descending; T̄_{L−2} = T̄):
 *     s̄_ℓ = Σ_i T̄_ℓ[i,·] ⊙ Tu_ℓ[i,·],              T̄u_ℓ = T̄_ℓ D_ℓ
 *     W̄_ℓ = Σ_p T̄u_ℓᵀ T_{ℓ−1} (ℓ = 0: Σ_p T̄u_0ᵀ) + ū_ℓᵀ a_{ℓ−1},   T̄_{ℓ−1} = T̄u_ℓ W_ℓ
 *     ū_ℓ = s̄_ℓ ⊙ s''(u_ℓ) + ā_ℓ ⊙ s'(u_ℓ)          (ā_{L−2} = 0: the output layer's u is not needed)
 *     b̄_ℓ = Σ_p ū_ℓ,   ā_{ℓ−1} = ū_ℓ W_ℓ   (ā_{−1} = z̄)
 * </pre>
 * with s' = σ + uσ(1 − σ), s'' = σ(1 − σ)(2 + u(1 − 2σ)); b_{L−1} gets no gradient. For an affine φ (L = 1) g = A
 * at every point and W̄_0 = (4/d²) W_0 (A − I). Several maps of equal widths run together on their stacked weights
 * (index τ first), one product per layer for all maps.
 *
 * <p>{@link #loss} hands autograd one small surrogate instead of the graph of the Jacobian: S = Σ_X ⟨X̄, X⟩ over the
 * weights, hidden biases and points X (X̄ the hand gradient, a constant), returned as (S − S|_const) + l, whose value
 * is exactly l and whose gradient is X̄. The loss is therefore differentiable once (no second derivatives through it),
 * which is all training needs. Checked against autograd in float64 and against central differences
 * ({@code MetricHandGradientTest}).
 */
public final class MetricTerm {
    private MetricTerm() {}

    /**
     * Σ_τ l_metric(φ_τ, z_τ) over k maps of equal widths, each at N points of its own, and its gradient; the maps
     * are evaluated together on their stacked weights (one product per layer for all maps, index τ first).
     *
     * @param value Σ_τ l_metric (a scalar, no graph)
     * @param weights ∂/∂W_ℓ of every map, shape (k, out, in)
     * @param biases ∂/∂b_ℓ of every map, shape (k, out) (zeros for the output layer)
     * @param points ∂/∂z_τ, shape (k, N, d_z)
     */
    public record Gradient(Tensor value, Tensor[] weights, Tensor[] biases, Tensor points) {}

    /** l_metric of one map: {@link #loss(List, List)} of a single map. */
    public static Tensor loss(SiluMlp phi, Tensor points) {
        return loss(List.of(phi), List.of(points));
    }

    /**
     * Σ_τ l_metric(φ_τ, z_τ) with its hand-derived gradient, handed to autograd as one small surrogate (see the class
     * comment): differentiable once with respect to every map's weights and the points.
     *
     * @param maps φ_τ, equal widths
     * @param points z_τ, each (N, d_z) with the same N, the maps' dtype
     */
    public static Tensor loss(List<SiluMlp> maps, List<Tensor> points) {
        Stacked st = stack(maps, points);
        Gradient g;
        try (NoGradGuard ng = new NoGradGuard()) {
            g = compute(st.detached());
        }
        Tensor s = null;
        for (int l = 0; l < st.weights().length; l++) {
            s = dot(s, st.weights()[l], g.weights()[l]);
            if (l + 1 < st.weights().length) { // the output bias has no gradient
                s = dot(s, st.biases()[l], g.biases()[l]);
            }
        }
        s = dot(s, st.points(), g.points());
        if (s == null) { // nothing requires a gradient
            return g.value();
        }
        return s.sub(s.detach()).add(g.value()); // value exactly l (x − x = 0), gradient that of S
    }

    /** s + ⟨x, grad⟩ when x requires a gradient (grad a constant), else s. */
    private static Tensor dot(Tensor s, Tensor x, Tensor grad) {
        if (!x.requires_grad()) {
            return s;
        }
        Tensor d = x.mul(grad).sum();
        return s == null ? d : s.add(d);
    }

    /**
     * Σ_τ l_metric and its gradient with respect to every weight, bias and point, by the hand-derived forward and
     * backward passes of the class comment (no autograd graph is built).
     *
     * @param maps φ_τ, equal widths
     * @param points z_τ, each (N, d_z) with the same N, the maps' dtype
     */
    public static Gradient gradient(List<SiluMlp> maps, List<Tensor> points) {
        try (NoGradGuard ng = new NoGradGuard()) {
            return compute(stack(maps, points));
        }
    }

    /** The maps' weights W_ℓ (k, out, in), biases b_ℓ (k, out) and points (k, N, d_z), stacked map by map. */
    private record Stacked(Tensor[] weights, Tensor[] biases, Tensor points) {
        Stacked detached() {
            Tensor[] w = new Tensor[weights.length];
            Tensor[] b = new Tensor[biases.length];
            for (int l = 0; l < w.length; l++) {
                w[l] = weights[l].detach();
                b[l] = biases[l].detach();
            }
            return new Stacked(w, b, points.detach());
        }
    }

    private static Stacked stack(List<SiluMlp> maps, List<Tensor> points) {
        int k = maps.size();
        if (k == 0 || points.size() != k) {
            throw new IllegalArgumentException("one set of points per map: " + k + " maps, " + points.size()
                    + " point sets");
        }
        SiluMlp first = maps.get(0);
        for (int t = 0; t < k; t++) {
            Tensor z = points.get(t);
            if (!Arrays.equals(maps.get(t).widths(), first.widths())) {
                throw new IllegalArgumentException("the metric term of several maps needs equal widths, got "
                        + Arrays.toString(first.widths()) + " and " + Arrays.toString(maps.get(t).widths()));
            }
            if (z.dim() != 2 || z.size(1) != first.inDim() || z.size(0) != points.get(0).size(0)) {
                throw new IllegalArgumentException("points must have shape (" + points.get(0).size(0) + ", "
                        + first.inDim() + ") for every map, got " + Arrays.toString(gear.nn.Tensors.shape(z)));
            }
        }
        int layers = first.layers();
        Tensor[] w = new Tensor[layers];
        Tensor[] b = new Tensor[layers];
        for (int l = 0; l < layers; l++) {
            final int layer = l;
            w[l] = stackOf(maps.stream().map(m -> m.weight(layer)).toList());
            b[l] = stackOf(maps.stream().map(m -> m.bias(layer)).toList());
        }
        return new Stacked(w, b, stackOf(points));
    }

    private static Tensor stackOf(List<Tensor> xs) {
        if (xs.size() == 1) {
            return xs.get(0).unsqueeze(0);
        }
        TensorVector v = new TensorVector();
        for (Tensor x : xs) {
            v.push_back(x);
        }
        return torch.stack(v, 0);
    }

    private static Gradient compute(Stacked st) {
        Tensor z = st.points();
        int layers = st.weights().length;
        long k = z.size(0);
        long n = z.size(1);
        long d = z.size(2);
        int hidden = layers - 1;
        Tensor[] in = new Tensor[hidden]; // a_{ℓ−1}: (k, N, h_{ℓ−1})
        Tensor[] u = new Tensor[hidden];
        Tensor[] sg = new Tensor[hidden]; // σ(u_ℓ)
        Tensor[] om = new Tensor[hidden]; // 1 − σ(u_ℓ)
        Tensor[] s1 = new Tensor[hidden]; // s'(u_ℓ), as (k, N, 1, h_ℓ)
        Tensor[] tIn = new Tensor[hidden]; // T_{ℓ−1}: (k, N, d, h_{ℓ−1}); null for ℓ = 0 (I)
        Tensor[] tu = new Tensor[hidden]; // Tu_ℓ: (k, N, d, h_ℓ); for ℓ = 0 W_0ᵀ as (k, 1, d, h_0)
        Tensor a = z;
        Tensor t = null;
        for (int l = 0; l < hidden; l++) {
            Tensor w = st.weights()[l];
            in[l] = a;
            tIn[l] = t;
            u[l] = torch.baddbmm(st.biases()[l].unsqueeze(1), a, w.mT());
            sg[l] = torch.sigmoid(u[l]);
            om[l] = torch.rsub(sg[l], new Scalar(1.0));
            Tensor su = u[l].mul(sg[l]); // s(u) = uσ(u)
            s1[l] = torch.addcmul(sg[l], su, om[l]).unsqueeze(2); // s'(u) = σ + uσ(1 − σ)
            tu[l] = t == null ? w.mT().unsqueeze(1) : rmul(t, w.mT());
            t = tu[l].mul(s1[l]);
            a = su;
        }
        Tensor wOut = st.weights()[layers - 1];
        Tensor eye = torch.eye(d, z.options());
        Tensor gram = torch.bmm(wOut.mT(), wOut); // A = W_{L−1}ᵀ W_{L−1}, the same at every point
        Tensor[] wBar = new Tensor[layers];
        Tensor[] bBar = new Tensor[layers];
        bBar[layers - 1] = torch.zeros_like(st.biases()[layers - 1]);
        if (hidden == 0) { // affine φ: g = A at every point, l = ‖A − I‖²/d², no gradient to the points
            Tensor e = gram.sub(eye);
            wBar[0] = torch.bmm(wOut, e).mul_(new Scalar(4.0 / ((double) d * d)));
            Tensor value = e.square().sum().mul(new Scalar(1.0 / ((double) d * d)));
            return new Gradient(value, wBar, bBar, torch.zeros_like(z));
        }
        double c = 1.0 / ((double) n * d * d);
        // g = C A Cᵀ with C = T_{L−2} = J_{L−2}ᵀ: right products by each map's own matrices only (no per-point product)
        Tensor e = down(rmul(t, gram), st, s1).sub(eye); // E = g − I: (k, N, d, d)
        Tensor value = e.square().sum().mul(new Scalar(c));
        Tensor f = up(e, st, s1).mul_(new Scalar(4 * c)); // 4c E C: (k, N, d, h_{L−2})
        wBar[layers - 1] = torch.bmm(wOut, outer(f, t)); // W̄ = 2 W Ā, Ā = 2c Σ_p Cᵀ E C
        Tensor tBar = rmul(f, gram); // T̄_{L−2} = 4c E C A
        Tensor aBar = null; // ā_ℓ
        for (int l = hidden - 1; l >= 0; l--) {
            Tensor w = st.weights()[l];
            Tensor sBar = tBar.mul(tu[l]).sum(new long[] {2}); // s̄_ℓ: (k, N, h_ℓ)
            Tensor tuBar = tBar.mul(s1[l]); // T̄u_ℓ: (k, N, d, h_ℓ)
            Tensor gw = tIn[l] == null ? tuBar.sum(new long[] {1}).mT() : outer(tuBar, tIn[l]);
            if (l > 0) {
                tBar = rmul(tuBar, w);
            }
            // s''(u) = σ(1 − σ)(2 + u(1 − 2σ)), 1 − 2σ = (1 − σ) − σ
            Tensor s2 = sg[l].mul(om[l]).mul_(u[l].mul(om[l].sub(sg[l])).add_(new Scalar(2.0)));
            Tensor uBar = sBar.mul_(s2);
            if (aBar != null) {
                uBar.addcmul_(aBar, s1[l].squeeze(2));
            }
            wBar[l] = torch.baddbmm(gw, uBar.mT(), in[l]);
            bBar[l] = uBar.sum(new long[] {1});
            aBar = torch.bmm(uBar, w);
        }
        return new Gradient(value, wBar, bBar, aBar);
    }

    /** X ↦ X J_{L−2}: for ℓ = L−2..0, X ← (X diag(s'_ℓ)) W_ℓ; (k, N, d, h_{L−2}) → (k, N, d, d). */
    private static Tensor down(Tensor x, Stacked st, Tensor[] s1) {
        for (int l = s1.length - 1; l >= 0; l--) {
            x = rmul(x.mul(s1[l]), st.weights()[l]);
        }
        return x;
    }

    /** X ↦ X J_{L−2}ᵀ: for ℓ = 0..L−2, X ← (X W_ℓᵀ) diag(s'_ℓ); (k, N, d, d) → (k, N, d, h_{L−2}). */
    private static Tensor up(Tensor x, Stacked st, Tensor[] s1) {
        for (int l = 0; l < s1.length; l++) {
            x = rmul(x, st.weights()[l].mT()).mul_(s1[l]);
        }
        return x;
    }

    /** X_τ,p M_τ for X (k, N, d, i) and M (k, i, o): one (N·d × i)·(i × o) product per map. */
    private static Tensor rmul(Tensor x, Tensor m) {
        long k = x.size(0);
        long n = x.size(1);
        long d = x.size(2);
        return torch.bmm(x.reshape(k, n * d, x.size(3)), m).view(k, n, d, m.size(2));
    }

    /** Σ_p Ā_τ,pᵀ B_τ,p for Ā (k, N, d, o) and B (k, N, d, i): one (o × N·d)·(N·d × i) product per map. */
    private static Tensor outer(Tensor aBar, Tensor b) {
        long k = aBar.size(0);
        return torch.bmm(aBar.reshape(k, -1, aBar.size(3)).mT(), b.reshape(k, -1, b.size(3)));
    }
}
