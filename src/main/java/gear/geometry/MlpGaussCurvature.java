package gear.geometry;

import gear.geometry.Curvature.Options;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * The Gauss-route Ricci scalar of a {@link SiluMlp} without its second derivatives: a handful of batched
 * products of size O(N² + (N + d_M)·d_z) per point, N = the total number of hidden units
 * (design/GEAR.md §3; the same R as {@link Curvature.Route#GAUSS} on H, to round-off).
 *
 * <p><b>Second derivatives as a sum of rank-one terms.</b> Layers u_ℓ = W_ℓ a_{ℓ−1} + b_ℓ, a_ℓ = s(u_ℓ)
 * for the hidden layers ℓ = 0..L−2, x = u_{L−1}; write s'_ℓ, s''_ℓ for the SiLU derivatives at u_ℓ and
 * ∂u_ℓ = ∂u_ℓ/∂z (h_ℓ × d_z). From ∂²a_ℓ = s''_ℓ ∂u_ℓ⊗∂u_ℓ + s'_ℓ W_ℓ ∂²a_{ℓ−1} and ∂²a_{−1} = ∂²z = 0,
 * <pre>
 *   H^a = Σ_ℓ Σ_p C_ℓ^{ap} s''_{ℓ,p} ∂u_{ℓ,p} ∂u_{ℓ,p}ᵀ,   C_{L−2} = W_{L−1},  C_{ℓ−1} = C_ℓ diag(s'_ℓ) W_ℓ,
 * </pre>
 * and J = C_0 diag(s'_0) W_0. Stacking the N hidden units of all layers: U (N × d_z, row n = ∂u_n) and
 * K (d_M × N, K^a_n = C^{an} s''_n), so H^a = Uᵀ diag(K^a) U.
 *
 * <p><b>Index raising through the Cholesky factor.</b> With g = JᵀJ = L Lᵀ, whitened quantities
 * Û = U L⁻ᵀ and Ĵ = J L⁻ᵀ (one triangular solve for both) raise indices: g^{ij}X_ij = tr(L⁻¹ X L⁻ᵀ), and
 * the Gauss formula R = Σ_a (g^{ij}II^a_ij)² − Σ_a g^{ik}g^{jl}II^a_ij II^a_kl becomes, with the projected
 * coefficients Q = P K = K − Ĵ(ĴᵀK) (P = I − J g⁻¹Jᵀ = I − ĴĴᵀ, never formed),
 * G = ÛÛᵀ (N × N) and q_n = G_nn = |û_n|²,
 * <pre>
 *   II^a = Ûᵀ diag(Q^a) Û (whitened),   R = |Q q|² − Σ_{n,m} (QᵀQ)_nm G_nm².
 * </pre>
 * (The first term is Σ_a (tr ÎI^a)², the second Σ_a |ÎI^a|²_F = Σ_a Σ_nm Q^a_n Q^a_m (û_n·û_m)².) This is
 * exactly the formula of the dense route for any factor L, so the jittered points agree too. The work
 * per point is 2·d_M·d_z² (g) + (N + d_M)·d_z² (whitening) + 2N²d_z (G) + 4·d_M·d_z·N (Q) + 2·d_M·N² (QᵀQ)
 * plus the d_z³ factorizations, against ≈ 6·d_M·d_z³ + 2d_z⁴ for the route on H; H (d_M·d_z² per point)
 * is never formed. Everything is ordinary libtorch algebra on a few tensors, so one reverse-mode pass
 * gives the weight gradient with a small graph.
 *
 * <p>Singular points are handled as in {@link Curvature} (the same factorization, masking and report).
 */
public final class MlpGaussCurvature {
    private MlpGaussCurvature() {}

    /** Hidden-unit Jacobians U (B, N, d_z), coefficients K (B, d_M, N) and J (B, d_M, d_z). */
    record Factors(Tensor units, Tensor coefficients, Tensor jacobian) {}

    /**
     * U, K and J of the MLP at points z (see the class comment).
     *
     * @param z latent points, shape (B, d_z)
     * @return the factors, or null for a single affine layer (no hidden unit: H = 0)
     */
    static Factors factors(SiluMlp mlp, Tensor z) {
        int layers = mlp.layers();
        if (layers < 2) {
            return null;
        }
        long b = z.size(0);
        Tensor[] du = new Tensor[layers - 1]; // ∂u_ℓ: (B, h_ℓ, d)
        Tensor[] s1 = new Tensor[layers - 1]; // s'_ℓ: (B, h_ℓ)
        Tensor[] s2 = new Tensor[layers - 1]; // s''_ℓ: (B, h_ℓ)
        Tensor a = z;
        for (int l = 0; l + 1 < layers; l++) {
            Tensor w = mlp.weight(l);
            Tensor u = torch.addmm(mlp.bias(l), a, w.t());
            du[l] = l == 0 ? w.unsqueeze(0).expand(b, w.size(0), w.size(1))
                    : torch.matmul(w, du[l - 1].mul(s1[l - 1].unsqueeze(2)));
            Tensor sg = torch.sigmoid(u);
            Tensor ds = sg.sub(sg.square()); // σ' = σ(1 − σ)
            Tensor uds = u.mul(ds);
            s1[l] = sg.add(uds); // s' = σ + uσ'
            // s'' = 2σ' + uσ'' with σ'' = σ'(1 − 2σ)
            s2[l] = ds.mul(new Scalar(2.0)).add(uds.mul(sg.mul(new Scalar(-2.0)).add(new Scalar(1.0))));
            if (l + 2 < layers) { // the next layer is hidden too (the output layer's u is not needed)
                a = torch.silu(u);
            }
        }
        TensorVector k = new TensorVector();
        Tensor c = mlp.weight(layers - 1); // C_{L−2} = W_{L−1}: (m, h_{L−2}), the same at every point
        Tensor[] ks = new Tensor[layers - 1];
        for (int l = layers - 2; l >= 0; l--) {
            ks[l] = c.mul(s2[l].unsqueeze(1)); // (B, m, h_ℓ)
            c = torch.matmul(c.mul(s1[l].unsqueeze(1)), mlp.weight(l)); // C_{ℓ−1}; for ℓ = 0: J
        }
        TensorVector us = new TensorVector();
        for (int l = 0; l + 1 < layers; l++) {
            k.push_back(ks[l]);
            us.push_back(du[l]);
        }
        Tensor units = layers == 2 ? du[0] : torch.cat(us, 1);
        Tensor coef = layers == 2 ? ks[0] : torch.cat(k, 2);
        return new Factors(units, coef, c);
    }

    /**
     * Ricci scalar of the MLP at points z by the Gauss equation on the rank-one factors.
     *
     * @param z latent points, shape (B, d_z), the MLP's dtype
     * @throws IllegalArgumentException if d_M ≤ d_z (unless d_M = d_z and {@code opt.allowSquare()})
     */
    public static CurvatureResult ricciScalar(SiluMlp mlp, Tensor z, Options opt) {
        checkPoints(mlp, z);
        Curvature.checkDimensions(mlp.outDim(), mlp.inDim(), opt.allowSquare());
        Factors f = factors(mlp, z);
        if (f == null) { // affine φ: H = 0, R = 0; the dense route handles it (and keeps the graph)
            return Curvature.ricciScalar(new MlpDerivatives(mlp).derivatives(z, 2), Curvature.Route.GAUSS, opt);
        }
        return fromFactors(f, opt);
    }

    /**
     * The Ricci scalars of several MLPs of equal widths, each at its own points (e.g. R_s and R_t of GEAR's two maps
     * at the same molecules): the factors U, K, J are made map by map (each map's weights are shared by its
     * points), then stacked along the point axis, so that the factorization, whitening and contractions, which
     * work point by point, run once for all maps. Per map the same result as {@link #ricciScalar} (values,
     * singular points, condition numbers, metric, gradients), up to round-off.
     *
     * @param mlps the maps (at least one; equal widths, at least one hidden layer)
     * @param z points per map, each (B_τ, d_z)
     * @throws IllegalArgumentException on maps of different widths or without a hidden layer
     */
    public static List<CurvatureResult> ricciScalars(List<SiluMlp> mlps, List<Tensor> z, Options opt) {
        int k = mlps.size();
        if (k != z.size() || k == 0) {
            throw new IllegalArgumentException("one set of points per map: " + k + " maps, " + z.size() + " point sets");
        }
        TensorVector us = new TensorVector();
        TensorVector ks = new TensorVector();
        TensorVector js = new TensorVector();
        long[] sizes = new long[k];
        for (int t = 0; t < k; t++) {
            SiluMlp m = mlps.get(t);
            if (!java.util.Arrays.equals(m.widths(), mlps.get(0).widths()) || m.layers() < 2) {
                throw new IllegalArgumentException("stacked curvature needs maps of equal widths with a hidden layer, got "
                        + java.util.Arrays.toString(mlps.get(0).widths()) + " and " + java.util.Arrays.toString(m.widths()));
            }
            checkPoints(m, z.get(t));
            Factors f = factors(m, z.get(t));
            us.push_back(f.units());
            ks.push_back(f.coefficients());
            js.push_back(f.jacobian());
            sizes[t] = z.get(t).size(0);
        }
        CurvatureResult all = fromFactors(new Factors(torch.cat(us, 0), torch.cat(ks, 0), torch.cat(js, 0)), opt);
        List<CurvatureResult> out = new ArrayList<>(k);
        long at = 0;
        for (int t = 0; t < k; t++) {
            long n = sizes[t];
            Tensor singular = all.singular().narrow(0, at, n);
            long count = all.singularCount() == 0 ? 0 : singular.sum().item_long();
            out.add(new CurvatureResult(all.scalar().narrow(0, at, n), singular, count, all.condition().narrow(0, at, n),
                    all.metric().narrow(0, at, n)));
            at += n;
        }
        return out;
    }

    private static void checkPoints(SiluMlp mlp, Tensor z) {
        if (z.dim() != 2 || z.size(1) != mlp.inDim()) {
            throw new IllegalArgumentException("latent points must have shape (B, " + mlp.inDim() + "), got "
                    + java.util.Arrays.toString(gear.nn.Tensors.shape(z)));
        }
    }

    static CurvatureResult fromFactors(Factors f, Options opt) {
        Tensor jac = f.jacobian();
        Tensor u = f.units();
        Tensor k = f.coefficients();
        long n = u.size(1);
        long m = jac.size(1);
        Curvature.Factor fac = Curvature.factor(Curvature.metric(jac), opt);
        // [Ûᵀ Ĵᵀ] = L⁻¹ [Uᵀ Jᵀ]: (B, d, N + m)
        Tensor xt = torch.cat(new TensorVector(u, jac), 1).mT();
        Tensor xh = torch.linalg_solve_triangular(fac.chol(), xt, false, true, false);
        Tensor ut = xh.narrow(2, 0, n); // Ûᵀ (B, d, N)
        Tensor jt = xh.narrow(2, n, m); // Ĵᵀ (B, d, m)
        Tensor g = torch.matmul(ut.mT(), ut); // G = ÛÛᵀ (B, N, N)
        Tensor q = torch.diagonal(g, 0, 1, 2).unsqueeze(2); // (B, N, 1)
        Tensor proj = k.sub(torch.matmul(jt.mT(), torch.matmul(jt, k))); // Q = K − Ĵ(ĴᵀK): (B, m, N)
        Tensor mean = torch.matmul(proj, q); // (B, m, 1)
        Tensor s = torch.matmul(proj.mT(), proj); // QᵀQ: (B, N, N)
        ScalarTypeOptional none = new ScalarTypeOptional();
        Tensor term1 = mean.square().sum(new long[] {1, 2}, false, none);
        Tensor term2 = s.mul(g.square()).sum(new long[] {1, 2}, false, none);
        Tensor r = term1.sub(term2);
        return new CurvatureResult(Curvature.masked(r, fac), fac.singular(), fac.count(), fac.cond(), fac.g());
    }
}
