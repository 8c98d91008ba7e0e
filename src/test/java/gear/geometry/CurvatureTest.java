package gear.geometry;

import static gear.geometry.GeoTestUtil.relErr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.geometry.Curvature.Options;
import gear.geometry.Curvature.Route;
import gear.nn.Tensors;
import gear.nn.Torch;
import java.util.function.UnaryOperator;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ricci scalar: closed forms (c), route agreement (b), zero-curvature theorem (d), properties, masking. */
class CurvatureTest {
    static final Options F64 = Options.defaults(ScalarType.Double);

    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    private static double[] ricci(UnaryOperator<Tensor> f, Tensor z, Route route) {
        CurvatureResult r = Curvature.ricciScalar(new AutogradDerivatives(f), z, route, F64);
        assertEquals(0, r.singularCount());
        return Tensors.toDoubles(r.scalar());
    }

    private static Tensor grid(double[] us, double[] vs) {
        double[] p = new double[us.length * vs.length * 2];
        int c = 0;
        for (double u : us) {
            for (double v : vs) {
                p[c++] = u;
                p[c++] = v;
            }
        }
        return Tensors.of(p, us.length * vs.length, 2);
    }

    private static void assertAll(double[] got, double expected, double tol, String what) {
        for (int i = 0; i < got.length; i++) {
            assertTrue(Math.abs(got[i] - expected) <= tol, what + " point " + i + ": R = " + got[i] + ", expected " + expected);
        }
    }

    @Test
    void roundSpheres() {
        for (Route route : Route.values()) {
            for (double r : new double[] {0.5, 1.0, 2.0, 3.7}) {
                try (PointerScope s = new PointerScope()) {
                    Tensor ang = grid(new double[] {0.3, 0.9, 1.57, 2.2, 2.8}, new double[] {-2.0, 0.1, 1.3, 3.0});
                    assertAll(ricci(ClosedForms.sphereAngular(r), ang, route), 2 / (r * r), 1e-10 / (r * r),
                            route + " S2 angular r=" + r);
                    Tensor y2 = GeoTestUtil.points(3, 12, 2, 1.2);
                    assertAll(ricci(ClosedForms.sphereStereographic(r, 2), y2, route), 2 / (r * r), 1e-10 / (r * r),
                            route + " S2 stereographic r=" + r);
                    Tensor y3 = GeoTestUtil.points(4, 12, 3, 1.2);
                    assertAll(ricci(ClosedForms.sphereStereographic(r, 3), y3, route), 6 / (r * r), 1e-9 / (r * r),
                            route + " S3 stereographic r=" + r);
                }
            }
        }
    }

    @Test
    void flatCylinderAndFlatTorus() {
        for (Route route : Route.values()) {
            try (PointerScope s = new PointerScope()) {
                Tensor p = grid(new double[] {-2.5, -0.4, 0.7, 2.9}, new double[] {-1.1, 0.0, 0.6, 2.4});
                assertAll(ricci(ClosedForms.cylinder(1.7), p, route), 0.0, 1e-12, route + " cylinder");
                assertAll(ricci(ClosedForms.flatTorus(1.3, 0.6), p, route), 0.0, 1e-11, route + " flat torus");
            }
        }
    }

    @Test
    void torusOfRevolution() {
        double a = 2.0;
        double r = 0.7;
        for (Route route : Route.values()) {
            try (PointerScope s = new PointerScope()) {
                double[] vs = {-3.0, -2.0, -1.2, -0.3, 0.0, 0.8, 1.6, 2.5, 3.1};
                Tensor p = grid(new double[] {-1.0, 0.4, 2.2}, vs);
                double[] got = ricci(ClosedForms.torusOfRevolution(a, r), p, route);
                for (int i = 0; i < got.length; i++) {
                    double v = vs[i % vs.length];
                    double expected = 2 * Math.cos(v) / (r * (a + r * Math.cos(v)));
                    assertTrue(Math.abs(got[i] - expected) <= 1e-10, route + " torus v=" + v + ": " + got[i] + " vs " + expected);
                }
            }
        }
    }

    /** (b) Intrinsic and Gauss routes agree on random SiLU immersions, float64. */
    @Test
    void routesAgreeOnRandomImmersions() {
        int[][] nets = {{2, 6, 3}, {3, 8, 5}, {3, 6, 6, 7}, {4, 7, 5, 6, 6}, {5, 9, 8}};
        for (int n = 0; n < nets.length; n++) {
            try (PointerScope s = new PointerScope()) {
                SiluMlp mlp = GeoTestUtil.mlp(40 + n, nets[n]);
                Tensor z = GeoTestUtil.points(90 + n, 6, nets[n][0], 1.0);
                MlpDerivatives md = new MlpDerivatives(mlp);
                Derivatives d3 = md.derivatives(z, 3);
                CurvatureResult in = Curvature.ricciScalar(d3, Route.INTRINSIC, F64);
                CurvatureResult ga = Curvature.ricciScalar(d3, Route.GAUSS, F64);
                assertEquals(0, in.singularCount());
                double e = relErr(in.scalar(), ga.scalar());
                assertTrue(e <= 1e-8, "net " + n + " rel err " + e);
                assertTrue(Tensors.toDoubles(ga.scalar().abs().max())[0] > 1e-6, "curvature is not trivially zero");
            }
        }
    }

    /** (d) d_M = d_z: R is 0 up to round-off; refused unless explicitly allowed. */
    @Test
    void squareMapIsFlatAndRefused() {
        try (PointerScope s = new PointerScope()) {
            SiluMlp mlp = GeoTestUtil.mlp(11, 3, 8, 3);
            Tensor z = GeoTestUtil.points(12, 8, 3, 1.0);
            Derivatives d = new MlpDerivatives(mlp).derivatives(z, 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Curvature.ricciScalar(d, Route.GAUSS, F64));
            assertTrue(e.getMessage().contains("identically 0"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Curvature.ricciScalar(
                    new MlpDerivatives(GeoTestUtil.mlp(1, 3, 5, 2)).derivatives(z, 2), Route.GAUSS, F64.withAllowSquare(true)));
            // scale of the individual terms: |Γ|² (the quadratic terms of R_ij are of that size)
            Tensor gam = Curvature.christoffel(d.jacobian(), d.hessian(), F64);
            double scale = Tensors.toDoubles(gam.square().sum())[0] / 8;
            assertTrue(scale > 1e-2, "the map is genuinely nonlinear: |Γ|² = " + scale);
            // Round-off level: the Gauss route has P = I − J g⁻¹ Jᵀ = 0 up to rounding, so R ~ 1e-19 here;
            // the intrinsic route cancels terms of size |Γ|² ≈ 80 with cond(g) up to 4e4, so its
            // rounding error is about u·cond² relative to those terms (a random immersion of the same
            // size has R of order 10).
            double[] bound = {1e-7, 1e-12};
            for (Route route : Route.values()) {
                CurvatureResult r = Curvature.ricciScalar(d, route, F64.withAllowSquare(true));
                assertEquals(0, r.singularCount());
                double max = Tensors.toDoubles(r.scalar().abs().max())[0];
                assertTrue(max <= bound[route.ordinal()] * scale, route + " |R| = " + max + " vs term scale " + scale);
            }
        }
    }

    /** (f) batched results equal per-point results. */
    @Test
    void batchedEqualsPerPoint() {
        try (PointerScope s = new PointerScope()) {
            SiluMlp mlp = GeoTestUtil.mlp(21, 3, 7, 5);
            Tensor z = GeoTestUtil.points(22, 5, 3, 1.0);
            for (Route route : Route.values()) {
                double[] all = Tensors.toDoubles(Curvature.ricciScalar(new MlpDerivatives(mlp), z, route, F64).scalar());
                for (int i = 0; i < 5; i++) {
                    Tensor zi = z.narrow(0, i, 1);
                    double one = Tensors.toDoubles(Curvature.ricciScalar(new MlpDerivatives(mlp), zi, route, F64).scalar())[0];
                    assertEquals(one, all[i], 1e-12 * Math.max(1, Math.abs(one)), route + " point " + i);
                }
            }
        }
    }

    /** g is symmetric positive definite; Γ^k_ij = Γ^k_ji. */
    @Test
    void metricSpdAndChristoffelSymmetric() {
        try (PointerScope s = new PointerScope()) {
            SiluMlp mlp = GeoTestUtil.mlp(31, 4, 9, 7);
            Tensor z = GeoTestUtil.points(32, 10, 4, 1.5);
            Derivatives d = new MlpDerivatives(mlp).derivatives(z, 2);
            Tensor g = Curvature.metric(d.jacobian());
            assertEquals(0.0, relErr(g, g.mT()));
            double minEig = Tensors.toDoubles(torch.linalg_eigvalsh(g).min())[0];
            assertTrue(minEig > 0, "min eigenvalue " + minEig);
            Tensor gam = Curvature.christoffel(d.jacobian(), d.hessian(), F64);
            assertTrue(relErr(gam, gam.transpose(2, 3)) <= 1e-14);
            // Γ_{l,ij} = ½(∂_i g_lj + ∂_j g_li − ∂_l g_ij): check the Koszul formula with ∂g from J, H
            Tensor jac = d.jacobian();
            Tensor hes = d.hessian();
            Tensor dg = torch.einsum("bali,baj->bijl", new org.bytedeco.pytorch.TensorVector(hes, jac))
                    .add(torch.einsum("bai,balj->bijl", new org.bytedeco.pytorch.TensorVector(jac, hes))); // ∂_l g_ij at [i,j,l]
            Tensor first = Curvature.christoffelFirstKind(jac, hes); // [l,i,j]
            // ½(∂_i g_lj + ∂_j g_li − ∂_l g_ij), indexed [l,i,j]
            Tensor koszul = dg.permute(0, 1, 3, 2).add(dg).sub(dg.permute(0, 3, 1, 2))
                    .mul(new org.bytedeco.pytorch.Scalar(0.5));
            double ek = relErr(first, koszul);
            assertTrue(ek <= 1e-13, "Koszul formula rel err " + ek);
        }
    }

    /** Singular metrics are counted, masked and kept finite, not turned into silent NaNs. */
    @Test
    void singularPointsAreReported() {
        try (PointerScope s = new PointerScope()) {
            // S² in angular coordinates is singular at the pole θ = 0 (g = diag(r², r² sin²θ))
            Tensor p = Tensors.of(new double[] {0.0, 0.5, 1.0, 0.3, 1e-9, 2.0, 2.0, -1.0}, 4, 2);
            for (Route route : Route.values()) {
                CurvatureResult r = Curvature.ricciScalar(new AutogradDerivatives(ClosedForms.sphereAngular(1.0)), p, route, F64);
                assertEquals(2, r.singularCount());
                assertEquals(java.util.List.of(1L, 0L, 1L, 0L), java.util.Arrays.stream(Tensors.toLongs(r.singular())).boxed().toList());
                double[] rs = Tensors.toDoubles(r.scalar());
                assertEquals(0.0, rs[0]);
                assertEquals(2.0, rs[1], 1e-10);
                assertEquals(0.0, rs[2]);
                assertEquals(2.0, rs[3], 1e-10);
                double[] cond = Tensors.toDoubles(r.condition());
                assertTrue(cond[0] > 1e10 && cond[2] > 1e10 && cond[1] < 1e3);
            }
        }
    }

    @Test
    void intrinsicNeedsThirdDerivatives() {
        SiluMlp mlp = GeoTestUtil.mlp(3, 2, 4, 3);
        Derivatives d = new MlpDerivatives(mlp).derivatives(GeoTestUtil.points(1, 2, 2, 1), 2);
        assertThrows(IllegalArgumentException.class, () -> Curvature.ricciScalar(d, Route.INTRINSIC, F64));
        assertThrows(IllegalArgumentException.class, () -> Route.parse("riemann"));
        assertEquals(Route.GAUSS, Route.parse("Gauss"));
    }
}
