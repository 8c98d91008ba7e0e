package gear.bench;

/**
 * Forward FLOP counts per point of the two Gauss-route kernels for the benchmark's MLP d_z → d_M → d_M
 * (one hidden layer of width h = d_M; a multiply–add counts 2 FLOPs). Backward is roughly twice the
 * forward for both.
 */
public final class CurvatureFlops {
    private CurvatureFlops() {}

    /**
     * The dense route on H ({@code gauss-dense}): derivative recursion with packed H (P = d(d+1)/2): per
     * affine layer q → p: 2pq (value) + 2pqd (J, except the first layer) + 2pqP (H, from the second layer
     * on); per SiLU of width p: pd (J) + 3pP (s''·∂u⊗∂u); curvature: g = JᵀJ 2md², eigenvalues of g ≈
     * (4/3)d³, two Cholesky factorizations (2/3)d³, g⁻¹ by solve 2d³, Γ_l = JᵀH 2md³, Γ^k = g⁻¹Γ_l 2d⁴,
     * II = H − JΓ 2md³ + md², g^{ij}II_ij 2md², g⁻¹II 2md³, Σ YYᵀ 2md².
     */
    public static double denseGaussPerPoint(int dz, int dm) {
        double d = dz;
        double m = dm;
        double p2 = d * (d + 1) / 2;
        double h = dm;
        double f = 0;
        f += 2 * h * d; // layer 0 value (J = W, H = 0)
        f += h * d + 3 * h * p2; // SiLU: J and s''·∂u⊗∂u
        f += 2 * m * h + 2 * m * h * d + 2 * m * h * p2; // layer 1 value, J, H
        f += 2 * m * d * d + (4.0 / 3) * d * d * d + (2.0 / 3) * d * d * d + 2 * d * d * d;
        f += 2 * m * d * d * d + 2 * d * d * d * d + 2 * m * d * d * d + m * d * d + 2 * m * d * d + 2 * m * d * d * d
                + 2 * m * d * d;
        return f;
    }

    /**
     * The rank-one kernel ({@code gauss}, {@code gear.geometry.MlpGaussCurvature}) with N = h hidden units:
     * layer 0 value 2hd, layer 1 value 2mh, J = (W₁ diag s')W₀ 2mhd, g = JᵀJ 2md², eigenvalues (4/3)d³,
     * two Cholesky factorizations (2/3)d³, whitening L⁻¹[Uᵀ Jᵀ] (N + m)d², G = ÛÛᵀ 2N²d, ĴᵀK and
     * Ĵ(ĴᵀK) 4mdN, Q q 2mN, QᵀQ 2mN², Σ S∘G∘G 3N².
     */
    public static double rankOneGaussPerPoint(int dz, int dm) {
        double d = dz;
        double m = dm;
        double n = dm;
        double f = 2 * n * d + 2 * m * n + 2 * m * n * d + 2 * m * d * d + 2 * d * d * d;
        f += (n + m) * d * d + 2 * n * n * d + 4 * m * d * n + 2 * m * n + 2 * m * n * n + 3 * n * n;
        return f;
    }
}
