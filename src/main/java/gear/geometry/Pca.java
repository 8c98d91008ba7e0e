package gear.geometry;

import gear.nn.Tensors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.StringViewOptional;
import org.bytedeco.pytorch.T_TensorTensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Principal component analysis (K. Pearson, "On lines and planes of closest fit to systems of points in space",
 * Phil. Mag. 2:559, 1901; I. T. Jolliffe, <i>Principal Component Analysis</i>, 2nd ed., Springer 2002, §3.5) by the
 * singular value decomposition of libtorch ({@code torch.linalg_svd}), in double precision.
 *
 * <p>For points x_1 … x_n ∈ ℝ^d with mean x̄, the centred matrix X_c = [x_i − x̄] (n × d) factors as
 * X_c = U S Vᵀ with singular values s_1 ≥ s_2 ≥ …; the k-th principal axis is the k-th row v_k of Vᵀ, the projection
 * of point i is y_ik = (x_i − x̄)·v_k, and the share of the total variance that axis k explains is
 * s_k² / Σ_j s_j² (the variance along v_k is s_k² / (n − 1)). Signs of singular vectors are arbitrary; each axis is
 * turned so that its entry of largest magnitude is positive, which makes the result deterministic.
 */
public final class Pca {
    private Pca() {}

    /**
     * A fitted projection.
     *
     * @param mean x̄ (d)
     * @param axes the first k principal axes v_1 … v_k, unit rows (k × d)
     * @param explained the share of the total variance each axis explains, s_k² / Σ s_j² (k; 0 when all points
     *     coincide)
     * @param projected the points' coordinates on the axes, y_ik (n × k)
     */
    public record Result(double[] mean, double[][] axes, double[] explained, double[][] projected) {
        /** @return the points' coordinates on the same axes (x − x̄)·v_k, e.g. for other points in the same space */
        public double[][] project(double[][] x) {
            double[][] y = new double[x.length][axes.length];
            for (int i = 0; i < x.length; i++) {
                for (int k = 0; k < axes.length; k++) {
                    double s = 0;
                    for (int j = 0; j < mean.length; j++) {
                        s += (x[i][j] - mean[j]) * axes[k][j];
                    }
                    y[i][k] = s;
                }
            }
            return y;
        }
    }

    /**
     * Fits the first {@code k} principal axes of the points.
     *
     * @param x n points of dimension d (rows), n ≥ 1, all finite
     * @param k the number of axes, 1 ≤ k ≤ d (fewer when n < k: at most n)
     * @throws IllegalArgumentException on empty, ragged or non-finite input or a bad k
     */
    public static Result fit(double[][] x, int k) {
        int n = x.length;
        if (n == 0) {
            throw new IllegalArgumentException("PCA of no points");
        }
        int d = x[0].length;
        if (k < 1 || k > d) {
            throw new IllegalArgumentException("PCA: k = " + k + " axes of " + d + "-dimensional points");
        }
        double[] flat = new double[n * d];
        for (int i = 0; i < n; i++) {
            if (x[i].length != d) {
                throw new IllegalArgumentException("PCA: point " + i + " has " + x[i].length + " coordinates, not " + d);
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(x[i][j])) {
                    throw new IllegalArgumentException("PCA: point " + i + " has a non-finite coordinate");
                }
                flat[i * d + j] = x[i][j];
            }
        }
        int kk = Math.min(k, n);
        try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            Tensor xs = Tensors.of(flat, n, d);
            Tensor mean = xs.mean(new long[] {0}, true, new ScalarTypeOptional());
            Tensor xc = xs.sub(mean);
            T_TensorTensorTensor_T usv = torch.linalg_svd(xc, false, new StringViewOptional());
            double[] s = Tensors.toDoubles(usv.get1());
            double[] vh = Tensors.toDoubles(usv.get2()); // (min(n, d), d)
            double total = 0;
            for (double v : s) {
                total += v * v;
            }
            double[][] axes = new double[kk][d];
            double[] explained = new double[kk];
            for (int a = 0; a < kk; a++) {
                System.arraycopy(vh, a * d, axes[a], 0, d);
                int big = 0;
                for (int j = 1; j < d; j++) {
                    if (Math.abs(axes[a][j]) > Math.abs(axes[a][big])) {
                        big = j;
                    }
                }
                if (axes[a][big] < 0) {
                    for (int j = 0; j < d; j++) {
                        axes[a][j] = -axes[a][j];
                    }
                }
                explained[a] = total > 0 ? s[a] * s[a] / total : 0;
            }
            Result r = new Result(Tensors.toDoubles(mean), axes, explained, null);
            return new Result(r.mean(), axes, explained, r.project(x));
        }
    }
}
