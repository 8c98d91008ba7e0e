package gear.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import gear.nn.Torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Pca} against hand cases: points on a known plane, and a line. */
class PcaTest {
    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    /**
     * Points c + a·u + b·v on the plane through c spanned by orthonormal u, v in ℝ⁵, with a ∈ {−3, −1, 1, 3} and
     * b ∈ {−1, 0, 1} on a full grid (so a and b are uncorrelated and centred): the first two axes are ±u and ±v,
     * they explain Σa² / (Σa² + Σb²) = 60/68 and 8/68 of the variance, together 1.0, a third axis nothing, and the
     * projections are ±a and ±b.
     */
    @Test
    void pointsOnAKnownPlane() {
        double s = 1 / Math.sqrt(2);
        double[] u = {s, s, 0, 0, 0};
        double[] v = {0, 0, 0.6, 0, 0.8};
        double[] c = {1, -2, 3, 0.5, 7};
        double[][] x = new double[12][5];
        double[] as = new double[12];
        double[] bs = new double[12];
        int i = 0;
        for (double a : new double[] {-3, -1, 1, 3}) {
            for (double b : new double[] {-1, 0, 1}) {
                for (int j = 0; j < 5; j++) {
                    x[i][j] = c[j] + a * u[j] + b * v[j];
                }
                as[i] = a;
                bs[i++] = b;
            }
        }
        Pca.Result r = Pca.fit(x, 3);
        assertEquals(60.0 / 68, r.explained()[0], 1e-12);
        assertEquals(8.0 / 68, r.explained()[1], 1e-12);
        assertEquals(1.0, r.explained()[0] + r.explained()[1], 1e-12);
        assertEquals(0.0, r.explained()[2], 1e-12);
        for (int j = 0; j < 5; j++) {
            assertEquals(c[j], r.mean()[j], 1e-12, "mean");
        }
        double su = Math.signum(dot(r.axes()[0], u));
        double sv = Math.signum(dot(r.axes()[1], v));
        for (int j = 0; j < 5; j++) {
            assertEquals(su * u[j], r.axes()[0][j], 1e-10, "axis 1 = ±u");
            assertEquals(sv * v[j], r.axes()[1][j], 1e-10, "axis 2 = ±v");
        }
        // the sign convention: each axis's entry of largest magnitude is positive (v's is 0.8, so axis 2 = +v)
        assertEquals(1.0, sv);
        for (int k = 0; k < 12; k++) {
            assertEquals(su * as[k], r.projected()[k][0], 1e-10);
            assertEquals(sv * bs[k], r.projected()[k][1], 1e-10);
        }
    }

    @Test
    void pointsOnALineHaveOneAxis() {
        double[][] x = {{0, 0}, {1, 2}, {2, 4}, {-1, -2}};
        Pca.Result r = Pca.fit(x, 2);
        assertEquals(1.0, r.explained()[0], 1e-12);
        assertEquals(0.0, r.explained()[1], 1e-12);
        assertEquals(1 / Math.sqrt(5), r.axes()[0][0], 1e-12);
        assertEquals(2 / Math.sqrt(5), r.axes()[0][1], 1e-12);
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(new double[0][], 1));
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(new double[][] {{1, 2}}, 3));
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(new double[][] {{1, 2}, {1}}, 1));
        assertThrows(IllegalArgumentException.class, () -> Pca.fit(new double[][] {{1, Double.NaN}}, 1));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
