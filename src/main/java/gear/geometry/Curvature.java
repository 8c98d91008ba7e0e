package gear.geometry;

import gear.nn.Tensors;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Pull-back metric, Christoffel symbols and Ricci scalar of a latent manifold z ↦ x = φ(z) immersed in
 * a flat space M (design/GEAR.md §3; GEAR, Ko et al., arXiv 2506.13015).
 *
 * <p>Indices (batch index b first, omitted here): a over the d_M ambient coordinates, i, j, k, l, q
 * over the d_z latent coordinates; J^a_i, H^a_ij, T^a_ijk as in {@link Derivatives}.
 * <ul>
 *   <li>metric g_ij = Σ_a J^a_i J^a_j (g = JᵀJ), inverse g^{ij} from a Cholesky factor of g + εI;</li>
 *   <li>Christoffel symbols Γ_{l,ij} = Σ_a J^a_l H^a_ij (first kind, tensor index [b,l,i,j]) and
 *       Γ^k_ij = g^{kl} Γ_{l,ij} (second kind, tensor index [b,k,i,j]);</li>
 *   <li>Ricci scalar R = g^{ij} R_ij, R_ij = ∂_kΓ^k_ij − ∂_jΓ^k_ik + Γ^k_kl Γ^l_ij − Γ^k_jl Γ^l_ik;
 *       sign convention: the round sphere S^n of radius r has R = n(n−1)/r² &gt; 0.</li>
 * </ul>
 *
 * <p><b>Intrinsic route</b> ({@link Route#INTRINSIC}, the paper's): with ∂_k g_ij = Σ_a (H^a_ik J^a_j +
 * J^a_i H^a_jk), ∂_kΓ_{l,ij} = Σ_a (H^a_lk H^a_ij + J^a_l T^a_ijk) and ∂_m g^{kl} = −g^{kp} ∂_m g_pq g^{ql},
 * ∂_mΓ^k_ij = g^{kl}(∂_mΓ_{l,ij} − ∂_m g_{lq} Γ^q_ij). The two derivative terms of R_ij are contracted
 * as they are formed (Ĵ^{ak} = g^{kl}J^a_l, h^a = g^{kl}H^a_kl):
 * ∂_kΓ^k_ij = Σ_a (h^a H^a_ij + Ĵ^{ak} T^a_ijk) − v_q Γ^q_ij with v_q = Σ_a (h^a J^a_q + Ĵ^{ak} H^a_qk), and
 * ∂_jΓ^k_ik = Σ_a ((H^a g⁻¹ H^a)_ij + Ĵ^{ak} T^a_ikj) − D^k_{qj} Γ^q_ik with
 * D^k_{qj} = g^{kl} ∂_j g_{lq}. The largest intermediate is O(d_M d_z³) per point (T itself); the
 * d_z⁴ Riemann tensor is never built. (The two T terms are equal because T is symmetric, so they
 * cancel in R_ij: curvature depends on second derivatives only, which is what the Gauss route uses.
 * This route still evaluates both, as the paper's formula does.)
 *
 * <p><b>Gauss route</b> ({@link Route#GAUSS}, default): M is flat, so by the Gauss equation
 * (Gauss's Theorema Egregium; e.g. do Carmo, Riemannian Geometry, ch. 6) with the normal projector
 * P = I − J g⁻¹ Jᵀ and second fundamental form II^a_ij = P^a_b H^b_ij,
 * <pre>  R = Σ_a (g^{ij} II^a_ij)(g^{kl} II^a_kl) − Σ_a g^{ik} g^{jl} II^a_ij II^a_kl.</pre>
 * P is never formed: II = H − J Γ^·_ij with Γ^k_ij = g⁻¹(JᵀH) (Cholesky solve), O(d_M d_z²) memory per point.
 * For a {@link SiluMlp} (through {@link #ricciScalar(SiluMlp, Tensor, Route)} or an {@link MlpDerivatives}
 * provider) the same formula is evaluated on the MLP's rank-one factors without forming H
 * ({@link MlpGaussCurvature}, tens of times faster at d_z = 50); {@link #ricciScalar(Derivatives, Route, Options)}
 * on H is the reference it is tested against.
 *
 * <p><b>Numerical care.</b> g is factored by Cholesky; where that fails, g + ε·mean(diag g)·I is
 * factored instead (jitter ε, {@link Options}). A point is <i>singular</i> when the jittered Cholesky
 * also fails or cond(g) = λ_max/λ_min exceeds
 * {@link Options#maxCondition()}; such points are counted and masked, g is replaced by I there so
 * that nothing downstream becomes NaN, and R is set to 0 there (zero gradient). A point where g itself is not
 * finite (non-finite points or weights) is singular too, but its R is NaN, not 0: non-finite input is never
 * hidden, so a diverging training run meets the engine's divergence check instead of a hidden or native error.
 *
 * <p><b>Why d_M &gt; d_z.</b> If d_M = d_z, J is square and (where invertible) φ is a local
 * diffeomorphism onto an open set of flat M, so the pulled-back metric is flat and R ≡ 0 (the normal
 * space is {0}, P = 0, II = 0 in the Gauss formula): curvature matching would be vacuous. If d_M &lt; d_z,
 * g = JᵀJ has rank ≤ d_M and is singular. Curvature is therefore refused unless d_M &gt; d_z; the
 * square case may be computed only with {@link Options#allowSquare()} (for the numerical check).
 */
public final class Curvature {
    private Curvature() {}

    /** How R is computed. */
    public enum Route {
        /** ∂Γ from H and T, contracted Ricci formula (needs third derivatives). */
        INTRINSIC,
        /** Gauss equation from the second fundamental form (second derivatives only). */
        GAUSS;

        /** @return the derivative order this route needs */
        public int order() {
            return this == INTRINSIC ? 3 : 2;
        }

        /** Parses {@code intrinsic} or {@code gauss} (case-insensitive). */
        public static Route parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown curvature route '" + s + "': expected intrinsic or gauss");
            }
        }
    }

    /**
     * Numerical settings.
     *
     * @param jitter ε: g + ε·mean(diag g)·I is factored
     * @param maxCondition points with cond(g) above this are reported singular and masked
     * @param allowSquare compute R also when d_M = d_z (verification of the zero-curvature theorem only)
     */
    public record Options(double jitter, double maxCondition, boolean allowSquare) {
        /**
         * Defaults by dtype: float64 ε = 1e-10, max cond 1e10; float32 ε = 1e-5, max cond 1e5. The
         * jitter is applied only at points where the plain Cholesky factorization of g fails (it
         * perturbs R noticeably: the intrinsic route's terms cancel strongly, so an ε-shift of g⁻¹
         * that is not matched in ∂g changes R by far more than ε), and such points almost always
         * exceed the condition threshold and are reported singular anyway.
         */
        public static Options defaults(ScalarType dtype) {
            return dtype == ScalarType.Double ? new Options(1e-10, 1e10, false) : new Options(1e-5, 1e5, false);
        }

        /** @return these options with {@code allowSquare} set */
        public Options withAllowSquare(boolean allow) {
            return new Options(jitter, maxCondition, allow);
        }
    }

    /** g = JᵀJ, shape (B, d_z, d_z). */
    public static Tensor metric(Tensor jacobian) {
        return torch.matmul(jacobian.mT(), jacobian);
    }

    /** Γ_{l,ij} = Σ_a J^a_l H^a_ij, shape (B, d_z, d_z, d_z) indexed [b, l, i, j]. */
    public static Tensor christoffelFirstKind(Tensor jacobian, Tensor hessian) {
        long b = jacobian.size(0);
        long m = jacobian.size(1);
        long d = jacobian.size(2);
        return torch.matmul(jacobian.mT(), hessian.reshape(b, m, d * d)).view(b, d, d, d);
    }

    /**
     * Γ^k_ij = g^{kl} Γ_{l,ij} by a Cholesky solve with the jitter of {@code opt} (no masking; see
     * {@link #ricciScalar(Derivatives, Route, Options)} for singular points).
     *
     * @return shape (B, d_z, d_z, d_z) indexed [b, k, i, j]
     */
    public static Tensor christoffel(Tensor jacobian, Tensor hessian, Options opt) {
        Factor f = factor(metric(jacobian), opt);
        long b = jacobian.size(0);
        long d = jacobian.size(2);
        return torch.cholesky_solve(christoffelFirstKind(jacobian, hessian).view(b, d, d * d), f.chol).view(b, d, d, d);
    }

    /** R of an SiLU MLP at latent points z (B, d_z), default options for its dtype; differentiable. */
    public static CurvatureResult ricciScalar(SiluMlp mlp, Tensor z, Route route) {
        return ricciScalar(new MlpDerivatives(mlp), z, route, Options.defaults(mlp.dtype()));
    }

    /**
     * R of several SiLU MLPs, each at its own points (default options for the first map's dtype): with the Gauss
     * route and maps of equal widths one stacked evaluation ({@link MlpGaussCurvature#ricciScalars}), otherwise map
     * by map; the same results either way, up to round-off.
     *
     * @param mlps the maps
     * @param z points per map, each (B_τ, d_z)
     */
    public static java.util.List<CurvatureResult> ricciScalars(java.util.List<SiluMlp> mlps, java.util.List<Tensor> z,
            Route route) {
        boolean stack = route == Route.GAUSS && mlps.size() > 1;
        for (SiluMlp m : mlps) {
            stack &= java.util.Arrays.equals(m.widths(), mlps.get(0).widths()) && m.layers() >= 2;
            checkDimensions(m.outDim(), m.inDim(), false);
        }
        if (stack) {
            return MlpGaussCurvature.ricciScalars(mlps, z, Options.defaults(mlps.get(0).dtype()));
        }
        java.util.List<CurvatureResult> out = new java.util.ArrayList<>(mlps.size());
        for (int t = 0; t < mlps.size(); t++) {
            out.add(ricciScalar(mlps.get(t), z.get(t), route));
        }
        return out;
    }

    /**
     * R from any derivative provider at latent points z (B, d_z). The Gauss route of an
     * {@link MlpDerivatives} provider runs on the MLP's rank-one factors ({@link MlpGaussCurvature}, H is
     * never formed); every other case goes through {@link #ricciScalar(Derivatives, Route, Options)}.
     */
    public static CurvatureResult ricciScalar(DerivativeProvider provider, Tensor z, Route route, Options opt) {
        if (route == Route.GAUSS && provider instanceof MlpDerivatives md) {
            return MlpGaussCurvature.ricciScalar(md.mlp(), z, opt);
        }
        return ricciScalar(provider.derivatives(z, route.order()), route, opt);
    }

    /**
     * Ricci scalar by the chosen route.
     *
     * @throws IllegalArgumentException if d_M ≤ d_z (unless d_M = d_z and {@code opt.allowSquare()}),
     *     or the intrinsic route is asked without third derivatives
     */
    public static CurvatureResult ricciScalar(Derivatives der, Route route, Options opt) {
        Tensor jac = der.jacobian();
        Tensor hes = der.hessian();
        long b = jac.size(0);
        long m = jac.size(1);
        long d = jac.size(2);
        checkDimensions(m, d, opt.allowSquare());
        Factor f = factor(metric(jac), opt);
        Tensor gInv = torch.cholesky_solve(eye(d, jac).expand(b, d, d), f.chol); // g^{ij}
        Tensor hf = hes.reshape(b, m, d * d);
        Tensor gamLow = torch.matmul(jac.mT(), hf); // Γ_{l,ij}: (B, d, d²)
        Tensor gam = torch.cholesky_solve(gamLow, f.chol); // Γ^k_ij: (B, d, d²)
        Tensor r;
        if (route == Route.GAUSS) {
            r = gauss(jac, hf, gam, gInv, b, m, d);
        } else {
            if (der.third() == null) {
                throw new IllegalArgumentException("the intrinsic curvature route needs third derivatives (order 3)");
            }
            r = intrinsic(jac, hes, der.third(), gam, gInv, b, m, d);
        }
        return new CurvatureResult(masked(r, f), f.singular, f.count, f.cond, f.g);
    }

    /** Refuses d_M ≤ d_z with the reason (the zero-curvature theorem). */
    public static void checkDimensions(long ambient, long latent, boolean allowSquare) {
        if (ambient > latent || (ambient == latent && allowSquare)) {
            return;
        }
        if (ambient == latent) {
            throw new IllegalArgumentException("curvature needs d_M > d_z, got d_M = d_z = " + latent
                    + ": a map between spaces of the same dimension pulls back the flat metric of M to a flat "
                    + "metric, so its Ricci scalar is identically 0 and curvature matching would be vacuous; "
                    + "choose d_M > d_z (e.g. d_M = d_z + 16)");
        }
        throw new IllegalArgumentException("curvature needs d_M > d_z, got d_M = " + ambient + " < d_z = " + latent
                + ": the pulled-back metric g = JᵀJ has rank at most d_M and is singular (and an equal-dimension "
                + "map would give R ≡ 0); choose d_M > d_z (e.g. d_M = d_z + 16)");
    }

    private static Tensor gauss(Tensor jac, Tensor hf, Tensor gam, Tensor gInv, long b, long m, long d) {
        Tensor ii = hf.sub(torch.matmul(jac, gam)); // II^a_ij = H^a_ij − J^a_k Γ^k_ij: (B, m, d²)
        Tensor mean = torch.matmul(ii, gInv.reshape(b, d * d, 1)); // g^{ij} II^a_ij: (B, m, 1)
        // Y[b,i,a,j] = Σ_k g^{ik} II^a_kj as one (d × d)·(d × d_M·d) product per point
        Tensor iiK = ii.view(b, m, d, d).permute(0, 2, 1, 3).reshape(b, d, m * d); // [b,k,(a,j)]
        Tensor y = torch.matmul(gInv, iiK).view(b, d, m, d);
        Tensor term1 = mean.square().sum(new long[] {1, 2}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
        // Σ_a tr(g⁻¹II^a g⁻¹II^a) = Σ Y[b,i,a,j] Y[b,j,a,i]
        Tensor term2 = y.mul(y.permute(0, 3, 2, 1)).sum(new long[] {1, 2, 3}, false,
                new org.bytedeco.pytorch.ScalarTypeOptional());
        return term1.sub(term2);
    }

    private static Tensor intrinsic(Tensor jac, Tensor hes, Tensor thr, Tensor gamFlat, Tensor gInv,
            long b, long m, long d) {
        Tensor gam = gamFlat.view(b, d, d, d); // [b,k,i,j]
        Tensor hm = hes.reshape(b, m, d, d);
        Tensor jh = torch.matmul(jac, gInv); // Ĵ^{ak} = J^a_l g^{lk}: (B, m, d)
        Tensor h = torch.matmul(hm.reshape(b, m, d * d), gInv.reshape(b, d * d, 1)).view(b, 1, m); // h^a
        // ∂_kΓ^k_ij
        Tensor hh = torch.matmul(h, hm.reshape(b, m, d * d)).view(b, d, d); // Σ_a h^a H^a_ij
        Tensor jt = torch.matmul(thr.reshape(b, m, d * d, d), jh.unsqueeze(3)) // Σ_k Ĵ^{ak} T^a_ijk
                .sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional()).view(b, d, d);
        Tensor v = torch.matmul(h, jac).view(b, d) // Σ_a h^a J^a_q + Σ_a Ĵ^{ak} H^a_qk
                .add(torch.matmul(hm, jh.unsqueeze(3)).sum(new long[] {1, 3}, false,
                        new org.bytedeco.pytorch.ScalarTypeOptional()));
        Tensor vGam = torch.matmul(v.unsqueeze(1), gamFlat).view(b, d, d);
        Tensor dGamTrace = hh.add(jt).sub(vGam);
        // ∂_jΓ^k_ik
        Tensor hgh = torch.matmul(torch.matmul(hm, gInv.unsqueeze(1)), hm)
                .sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional()); // Σ_a (H g⁻¹ H)_ij
        Tensor jtMid = torch.einsum("baikj,bak->bij", new TensorVector(thr, jh)); // Σ_k Ĵ^{ak} T^a_ikj
        Tensor gh = torch.matmul(gInv.unsqueeze(1), hm); // (g⁻¹H^a)_kj
        Tensor dmat = torch.einsum("bakj,baq->bkqj", new TensorVector(gh, jac))
                .add(torch.einsum("bak,baqj->bkqj", new TensorVector(jh, hm))); // D^k_{qj} = g^{kl} ∂_j g_lq
        Tensor c = torch.einsum("bkqj,bqik->bij", new TensorVector(dmat, gam));
        Tensor dGamMixed = hgh.add(jtMid).sub(c);
        // quadratic terms
        Tensor trace = torch.diagonal(gam, 0, 1, 2).sum(new long[] {2}, false,
                new org.bytedeco.pytorch.ScalarTypeOptional()); // Γ^k_kl: (B, d) indexed l
        Tensor q1 = torch.matmul(trace.unsqueeze(1), gamFlat).view(b, d, d);
        Tensor q2 = torch.einsum("bkjl,blik->bij", new TensorVector(gam, gam));
        Tensor ricci = dGamTrace.sub(dGamMixed).add(q1).sub(q2); // R_ij
        return ricci.mul(gInv).sum(new long[] {1, 2}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
    }

    private static Tensor eye(long d, Tensor like) {
        return torch.eye(d, like.options()); // dtype and device of like
    }

    /** Cholesky factor of g + jitter with singular points replaced by I. */
    record Factor(Tensor g, Tensor chol, Tensor singular, long count, Tensor cond) {}

    /**
     * Eigenvalues of each symmetric matrix of a batch g (B, d, d), ascending, without gradient; NaN rows where g has a
     * non-finite entry (a diverged map or non-finite points: LAPACK's eigensolver fails to converge on them, so
     * they are replaced by I before the call and their eigenvalues by NaN after it).
     *
     * @return shape (B, d), the dtype and device of g
     */
    public static Tensor eigenvalues(Tensor g) {
        try (org.bytedeco.pytorch.NoGradGuard ng = new org.bytedeco.pytorch.NoGradGuard()) {
            Tensor gd = g.detach();
            return allFinite(gd) ? torch.linalg_eigvalsh(gd) : sanitizedEigenvalues(gd);
        }
    }

    /** @return whether every entry of {@code t} is finite (one reduction; the common case costs nothing more) */
    private static boolean allFinite(Tensor t) {
        return torch.isfinite(t).all().item_bool();
    }

    private static Tensor sanitizedEigenvalues(Tensor gd) {
        long b = gd.size(0);
        long d = gd.size(1);
        Tensor finite = torch.isfinite(gd).view(b, d * d).all(1);
        Tensor safe = torch.where(finite.view(b, 1, 1), gd, eye(d, gd).expand(b, d, d));
        Tensor ev = torch.linalg_eigvalsh(safe);
        return torch.where(finite.view(b, 1), ev, torch.full_like(ev, new Scalar(Double.NaN)));
    }

    /**
     * R with the singular points of {@code f} masked: 0 (zero gradient) where g is finite, NaN where it is not
     * (cond NaN), so that non-finite points or weights reach the loss, and the training engine's divergence check,
     * instead of being hidden as singular.
     */
    static Tensor masked(Tensor r, Factor f) {
        if (f.count == 0) {
            return r;
        }
        Tensor fill = torch.where(torch.isnan(f.cond), torch.full_like(r, new Scalar(Double.NaN)), torch.zeros_like(r));
        return torch.where(f.singular, fill, r);
    }

    static Factor factor(Tensor g, Options opt) {
        long b = g.size(0);
        long d = g.size(1);
        Tensor id = eye(d, g);
        Tensor cond;
        try (org.bytedeco.pytorch.NoGradGuard ng = new org.bytedeco.pytorch.NoGradGuard()) {
            Tensor gd = g.detach();
            boolean finite = allFinite(gd);
            Tensor ev = finite ? torch.linalg_eigvalsh(gd) : sanitizedEigenvalues(gd);
            Tensor lo = ev.select(1, 0);
            Tensor hi = ev.select(1, d - 1);
            cond = torch.where(lo.gt(new Scalar(0.0)), hi.div(lo), torch.full(new long[] {b},
                    new Scalar(Double.POSITIVE_INFINITY), g.options()));
            if (!finite) {
                cond = torch.where(torch.isnan(lo), lo, cond); // NaN where g is not finite
            }
        }
        // plain Cholesky first (on g itself: where nothing is masked or jittered it is the factor used); jitter
        // only where it fails
        T_TensorTensor_T plain = torch.linalg_cholesky_ex(g, false, false);
        Tensor failed = plain.get1().ne(new Scalar(0));
        Tensor gj = g;
        Tensor bad = failed;
        boolean jittered = failed.any().item_bool();
        if (jittered) {
            Tensor scale = torch.diagonal(g, 0, 1, 2).mean(new long[] {1}, true,
                    new org.bytedeco.pytorch.ScalarTypeOptional()).unsqueeze(2);
            Tensor shifted = g.add(id.mul(scale).mul(new Scalar(opt.jitter())));
            gj = torch.where(failed.view(b, 1, 1), shifted, g);
            bad = torch.linalg_cholesky_ex(gj.detach(), false, false).get1().ne(new Scalar(0));
        }
        bad = bad.logical_or(torch.isfinite(cond).logical_not()).logical_or(cond.gt(new Scalar(opt.maxCondition())));
        long count = bad.sum().item_long();
        Tensor chol;
        if (count == 0 && !jittered) {
            chol = plain.get0();
        } else {
            Tensor gs = count == 0 ? gj : torch.where(bad.view(b, 1, 1), id.expand(b, d, d), gj);
            chol = torch.linalg_cholesky_ex(gs, false, false).get0();
        }
        return new Factor(g, chol, bad, count, cond);
    }
}
