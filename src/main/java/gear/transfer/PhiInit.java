package gear.transfer;

import gear.geometry.Curvature;
import gear.geometry.SiluMlp;
import gear.nn.Tensors;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * Near-isometric initialization of a transfer map φ: d_z → d_M (GEAR, design/GEAR.md §3–4).
 *
 * <p><b>Why.</b> With PyTorch's default init (W ~ U(±1/√fan_in)) a SiLU MLP d_z → h → d_M has
 * E[g] = E[JᵀJ] ≈ s'(0)² · (h/(3 d_z)) · (d_M/(3h)) · I ≈ 0.25 · d_M/(9 d_z) · I; for d_z 16, h = d_M = 32 that is
 * ≈ 0.056·I (measured: mean eigenvalue 0.055–0.075, smallest ≈ 0.002). The latent manifold is then
 * tiny in M, and because the Ricci scalar scales like 1/length² (φ → cφ gives R → R/c²), |R| starts
 * at 20–160 and (R_s − R_t)² at 10³–10⁴, while l_metric = ‖g − I‖²_F/d_z² starts at its "g = 0" value.
 *
 * <p><b>What.</b> The last layer's weight is multiplied by c = (d_z / mean tr g)^{1/2}, the mean taken
 * over probe points z ~ N(0, I) drawn from a Java generator seeded by the caller (libtorch's generator
 * is not used, so the other weights are the same as with the default init). A uniform rescaling of the
 * output changes neither the shape of the immersed manifold (R·length² is invariant) nor its
 * dimension count: d_M &gt; d_z and the curvature stay genuine, only the scale starts at the metric
 * loss's target g ≈ I. The bias is left as it is (it does not enter J).
 */
public final class PhiInit {
    /** Probe points used to estimate the mean of tr g. */
    static final int PROBES = 256;

    private PhiInit() {}

    /**
     * Rescales the last layer of {@code phi} in place.
     *
     * @param seed seed of the probe points
     * @return the factor c applied
     */
    public static double isometric(SiluMlp phi, long seed) {
        int d = phi.inDim();
        float[] z = new float[PROBES * d];
        Random r = new Random(seed);
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) r.nextGaussian();
        }
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            double mean = meanEigenvalue(phi, Tensors.of(z, PROBES, d).to(phi.dtype()));
            if (!(mean > 0) || !Double.isFinite(mean)) {
                throw new IllegalStateException("cannot calibrate φ: mean eigenvalue of g is " + mean);
            }
            double c = Math.sqrt(1.0 / mean);
            Tensor w = phi.weight(phi.layers() - 1);
            w.mul_(new Scalar(c));
            return c;
        }
    }

    /** @return the mean over points of tr(g)/d_z, g = JᵀJ of φ at {@code z} (B, d_z) */
    public static double meanEigenvalue(SiluMlp phi, Tensor z) {
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor gm = Curvature.metric(GeometryLosses.jacobian(phi, z));
            return gm.diagonal(0, 1, 2).sum().item_double() / (z.size(0) * (double) phi.inDim());
        }
    }
}
