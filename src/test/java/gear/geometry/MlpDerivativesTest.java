package gear.geometry;

import static gear.geometry.GeoTestUtil.relErr;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.nn.Tensors;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** (a) Analytic J, H, T of SiLU MLPs against nested autograd, float64. */
class MlpDerivativesTest {

    /** Widths for depths 0 (affine) to 3 hidden SiLU layers, several widths. */
    static final int[][] NETS = {
        {3, 5},
        {3, 7, 5},
        {2, 4, 6},
        {3, 6, 5, 5},
        {4, 3, 8, 6},
        {3, 5, 4, 6, 5},
        {2, 9, 3, 7, 4},
    };

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6})
    void analyticMatchesNestedAutograd(int net) {
        try (PointerScope s = new PointerScope()) {
            int[] w = NETS[net];
            SiluMlp mlp = GeoTestUtil.mlp(100 + net, w);
            Tensor z = GeoTestUtil.points(7 + net, 4, w[0], 1.5);
            Derivatives an = new MlpDerivatives(mlp).derivatives(z, 3);
            Derivatives ag = AutogradDerivatives.of(mlp).derivatives(z, 3);
            int m = w[w.length - 1];
            int d = w[0];
            assertArrayEquals(new long[] {4, m, d}, Tensors.shape(an.jacobian()));
            assertArrayEquals(new long[] {4, m, d, d}, Tensors.shape(an.hessian()));
            assertArrayEquals(new long[] {4, m, d, d, d}, Tensors.shape(an.third()));
            assertTrue(relErr(an.x(), ag.x()) <= 1e-14, "x");
            double ej = relErr(an.jacobian(), ag.jacobian());
            double eh = relErr(an.hessian(), ag.hessian());
            double et = relErr(an.third(), ag.third());
            assertTrue(ej <= 1e-10, "J rel err " + ej);
            assertTrue(eh <= 1e-10, "H rel err " + eh);
            assertTrue(et <= 1e-10, "T rel err " + et);
            if (w.length > 2) { // non-trivial second and third derivatives
                assertTrue(Tensors.toDoubles(an.hessian().abs().max())[0] > 1e-3);
                assertTrue(Tensors.toDoubles(an.third().abs().max())[0] > 1e-4);
            }
            // order 2 gives the same J, H and no T
            Derivatives two = new MlpDerivatives(mlp).derivatives(z, 2);
            assertTrue(two.third() == null);
            assertTrue(relErr(two.hessian(), an.hessian()) == 0.0);
        }
    }

    @Test
    void float32MatchesFloat64WithinSinglePrecision() {
        try (PointerScope s = new PointerScope()) {
            SiluMlp m64 = GeoTestUtil.mlp(5, 3, 6, 5);
            gear.nn.Params p32 = new gear.nn.Params();
            gear.nn.Torch.seed(5);
            SiluMlp m32 = SiluMlp.float32(p32, "phi", 3, 6, 5);
            Tensor z = GeoTestUtil.points(1, 3, 3, 1.0);
            Derivatives a = new MlpDerivatives(m64).derivatives(z, 3);
            Derivatives b = new MlpDerivatives(m32).derivatives(z.to(org.bytedeco.pytorch.global.torch.ScalarType.Float), 3);
            assertTrue(relErr(b.third(), a.third()) < 1e-5, "same seed gives the same weights up to rounding");
        }
    }

    @Test
    void rejectsBadShapesAndOrders() {
        SiluMlp mlp = GeoTestUtil.mlp(1, 3, 4);
        MlpDerivatives md = new MlpDerivatives(mlp);
        assertThrows(IllegalArgumentException.class, () -> md.derivatives(GeoTestUtil.points(1, 2, 4, 1), 2));
        assertThrows(IllegalArgumentException.class, () -> md.derivatives(GeoTestUtil.points(1, 2, 3, 1), 4));
        assertThrows(IllegalArgumentException.class, () -> SiluMlp.float64(new gear.nn.Params(), "x", 3));
    }
}
