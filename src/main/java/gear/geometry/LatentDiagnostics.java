package gear.geometry;

import gear.geometry.Curvature.Options;
import gear.geometry.Curvature.Route;
import gear.nn.Tensors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * Per-point geometry diagnostics of a transfer map φ at a batch of latent points (the library side of
 * {@code gear curvature --model}): the latent norm ‖z‖, the condition number of the pulled-back
 * metric g = JᵀJ and the Ricci scalar R by a chosen route (see {@link Curvature}).
 *
 * @param latentNorm ‖z‖₂ per point
 * @param condition cond(g) = λ_max/λ_min per point (+∞ for a singular g)
 * @param ricci R per point (0 at singular points; see {@code singular})
 * @param singular whether the point's metric was (near-)singular
 * @param route the route R was computed by
 */
public record LatentDiagnostics(double[] latentNorm, double[] condition, double[] ricci, boolean[] singular, Route route) {

    /**
     * Evaluates the diagnostics without recording gradients.
     *
     * @param mlp the transfer map φ: d_z → d_M (d_M &gt; d_z)
     * @param z latent points, shape (B, d_z), dtype of the MLP
     * @param route intrinsic or Gauss
     * @param options numerical settings ({@link Options#defaults} for the MLP's dtype if null)
     */
    public static LatentDiagnostics evaluate(SiluMlp mlp, Tensor z, Route route, Options options) {
        Options opt = options == null ? Options.defaults(mlp.dtype()) : options;
        try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
            CurvatureResult r = Curvature.ricciScalar(new MlpDerivatives(mlp), z, route, opt);
            double[] norm = Tensors.toDoubles(z.square().sum(new long[] {1}, false,
                    new org.bytedeco.pytorch.ScalarTypeOptional()).sqrt());
            long[] mask = Tensors.toLongs(r.singular());
            boolean[] singular = new boolean[mask.length];
            for (int i = 0; i < mask.length; i++) {
                singular[i] = mask[i] != 0;
            }
            return new LatentDiagnostics(norm, Tensors.toDoubles(r.condition()), Tensors.toDoubles(r.scalar()),
                    singular, route);
        }
    }

    /** @return the number of singular points */
    public int singularCount() {
        int c = 0;
        for (boolean s : singular) {
            c += s ? 1 : 0;
        }
        return c;
    }

    /** @return the mean |R| over the points where the metric is not singular (NaN when every point is) */
    public double meanAbsRicci() {
        double s = 0;
        int n = 0;
        for (int i = 0; i < ricci.length; i++) {
            if (!singular[i]) {
                s += Math.abs(ricci[i]);
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }
}
