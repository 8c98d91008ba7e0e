package gear.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.geometry.Curvature.Options;
import gear.geometry.Curvature.Route;
import gear.nn.Params;
import gear.nn.Tensors;
import gear.nn.Torch;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

/**
 * Non-finite latent points or weights (a diverging training run) never make the curvature throw (LAPACK's
 * eigensolver fails to converge on a NaN matrix) nor hide: R is NaN exactly there, the point is reported singular,
 * and every finite point gets the R it gets alone.
 */
class CurvatureNonFiniteTest {
    static final Options F64 = Options.defaults(ScalarType.Double);
    static final Options F32 = Options.defaults(ScalarType.Float);
    static final int[] NET = {3, 8, 5};

    /** Points (5, 3) with row 1 NaN and row 3 +∞ in one coordinate. */
    static Tensor pointsWithNonFinite(Tensor z) {
        Tensor p = z.clone();
        p.select(0, 1).fill_(new Scalar(Double.NaN));
        p.select(0, 3).select(0, 2).fill_(new Scalar(Double.POSITIVE_INFINITY));
        return p;
    }

    static void assertNaNExactlyAtBadRows(CurvatureResult r, CurvatureResult alone, String what) {
        double[] v = Tensors.toDoubles(r.scalar());
        double[] ref = Tensors.toDoubles(alone.scalar());
        double[] singular = Tensors.toDoubles(r.singular().to(ScalarType.Double));
        for (int i = 0; i < v.length; i++) {
            if (i == 1 || i == 3) {
                assertTrue(Double.isNaN(v[i]), what + ": R is NaN at non-finite point " + i + ", got " + v[i]);
                assertEquals(1.0, singular[i], what + ": non-finite point " + i + " reported singular");
            } else {
                assertTrue(Double.isFinite(v[i]), what + ": point " + i);
                assertEquals(ref[i], v[i], 1e-9 * Math.max(1, Math.abs(ref[i])), what + ": finite point " + i
                        + " has its own R");
                assertEquals(0.0, singular[i], what + ": finite point " + i + " not singular");
            }
        }
        assertEquals(2, r.singularCount(), what);
    }

    @Test
    void nonFinitePointsGiveNaNThereAndTheirOwnValueElsewhere() {
        try (PointerScope s = new PointerScope()) {
            SiluMlp mlp = GeoTestUtil.mlp(5, NET);
            Tensor z = GeoTestUtil.points(6, 5, NET[0], 1.0);
            Tensor bad = pointsWithNonFinite(z);
            Tensor good = z.index_select(0, Tensors.indices(new int[] {0, 2, 4}));
            // every route: the MLP kernel, the dense Gauss and intrinsic routes on H, the stacked kernel
            CurvatureResult fastAlone = MlpGaussCurvature.ricciScalar(mlp, z, F64);
            assertNaNExactlyAtBadRows(MlpGaussCurvature.ricciScalar(mlp, bad, F64), fastAlone, "mlp gauss");
            for (Route route : Route.values()) {
                Derivatives d = new MlpDerivatives(mlp).derivatives(bad, 3);
                CurvatureResult alone = Curvature.ricciScalar(new MlpDerivatives(mlp).derivatives(z, 3), route, F64);
                assertNaNExactlyAtBadRows(Curvature.ricciScalar(d, route, F64), alone, route.name());
            }
            SiluMlp other = GeoTestUtil.mlp(7, NET);
            List<CurvatureResult> stacked = Curvature.ricciScalars(List.of(mlp, other), List.of(bad, good), Route.GAUSS);
            assertNaNExactlyAtBadRows(stacked.get(0), fastAlone, "stacked");
            assertEquals(0, stacked.get(1).singularCount(), "the other map's points are untouched");
            assertTrue(Tensors.toDoubles(stacked.get(1).scalar().isfinite().all().to(ScalarType.Double))[0] == 1.0);
            // the finite points' condition numbers are their own, the non-finite ones' NaN
            double[] cond = Tensors.toDoubles(MlpGaussCurvature.ricciScalar(mlp, bad, F64).condition());
            double[] condAlone = Tensors.toDoubles(fastAlone.condition());
            for (int i : new int[] {0, 2, 4}) {
                assertEquals(condAlone[i], cond[i], 1e-9 * condAlone[i]);
            }
            assertTrue(Double.isNaN(cond[1]) && Double.isNaN(cond[3]));
        }
    }

    /** A map whose weights diverged (NaN) in float32, as in training: R is NaN everywhere, nothing throws. */
    @Test
    void nonFiniteWeightsGiveNaNNotANativeError() {
        Torch.init(1);
        try (PointerScope s = new PointerScope()) {
            Params params = new Params();
            Torch.seed(3);
            SiluMlp mlp = SiluMlp.float32(params, "phi", NET);
            try (NoGradGuard g = new NoGradGuard()) {
                params.asMap().values().iterator().next().fill_(new Scalar(Double.NaN));
            }
            Tensor z = GeoTestUtil.points(4, 6, NET[0], 1.0).to(ScalarType.Float);
            for (CurvatureResult r : List.of(MlpGaussCurvature.ricciScalar(mlp, z, F32),
                    Curvature.ricciScalar(new MlpDerivatives(mlp).derivatives(z, 2), Route.GAUSS, F32))) {
                for (double v : Tensors.toDoubles(r.scalar())) {
                    assertTrue(Double.isNaN(v), "R of a NaN map is NaN, got " + v);
                }
                assertEquals(6, r.singularCount());
            }
        }
    }

    /** The eigenvalues: NaN rows where a matrix is not finite, LAPACK's values elsewhere. */
    @Test
    void eigenvaluesOfNonFiniteMatricesAreNaN() {
        Torch.init(1);
        try (PointerScope s = new PointerScope()) {
            Tensor a = GeoTestUtil.points(11, 12, 3, 1.0).view(4, 3, 3);
            Tensor g = torch.matmul(a.mT(), a);
            Tensor bad = g.clone();
            bad.select(0, 2).select(0, 1).select(0, 1).fill_(new Scalar(Double.NaN));
            double[] ref = Tensors.toDoubles(torch.linalg_eigvalsh(g));
            double[] ev = Tensors.toDoubles(Curvature.eigenvalues(bad));
            for (int i = 0; i < ev.length; i++) {
                if (i / 3 == 2) {
                    assertTrue(Double.isNaN(ev[i]), "row 2 is NaN");
                } else {
                    assertEquals(ref[i], ev[i], 0.0, "entry " + i);
                }
            }
            assertArrayEquals(ref, Tensors.toDoubles(Curvature.eigenvalues(g)), 0.0, "finite input: LAPACK's values");
        }
    }
}
