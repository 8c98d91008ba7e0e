package gear.geometry;

import static gear.geometry.GeoTestUtil.relErr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.geometry.Curvature.Options;
import gear.geometry.Curvature.Route;
import gear.nn.Params;
import gear.nn.Tensors;
import gear.nn.Torch;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import java.util.List;
import java.util.Map;

/** The rank-one Gauss kernel against the dense Gauss route on H, the intrinsic route and nested autograd. */
class MlpGaussCurvatureTest {
    static final Options F64 = Options.defaults(ScalarType.Double);

    /** Depths 1–3 hidden layers, widths below, at and above d_M, d_z from 2 to 9. */
    static final int[][] NETS = {{2, 6, 3}, {3, 8, 5}, {3, 6, 6, 7}, {4, 7, 5, 6, 6}, {5, 9, 8}, {9, 13, 12, 11}, {6, 20, 10}};

    @Test
    void factorsRebuildJacobianAndHessian() {
        for (int n = 0; n < NETS.length; n++) {
            try (PointerScope s = new PointerScope()) {
                SiluMlp mlp = GeoTestUtil.mlp(140 + n, NETS[n]);
                Tensor z = GeoTestUtil.points(190 + n, 5, NETS[n][0], 1.0);
                Derivatives ref = AutogradDerivatives.of(mlp).derivatives(z, 2);
                MlpGaussCurvature.Factors f = MlpGaussCurvature.factors(mlp, z);
                // H^a_ij = Σ_n K^a_n U_ni U_nj
                Tensor h = torch.einsum("ban,bni,bnj->baij",
                        new org.bytedeco.pytorch.TensorVector(f.coefficients(), f.units(), f.units()));
                assertTrue(relErr(f.jacobian(), ref.jacobian()) <= 1e-12, "net " + n + " J");
                double eh = relErr(h, ref.hessian());
                assertTrue(eh <= 1e-10, "net " + n + " H rel err " + eh);
            }
        }
    }

    @Test
    void agreesWithDenseGaussAndIntrinsicRoutes() {
        for (int n = 0; n < NETS.length; n++) {
            try (PointerScope s = new PointerScope()) {
                SiluMlp mlp = GeoTestUtil.mlp(40 + n, NETS[n]);
                Tensor z = GeoTestUtil.points(90 + n, 6, NETS[n][0], 1.0);
                Derivatives d3 = new MlpDerivatives(mlp).derivatives(z, 3);
                CurvatureResult dense = Curvature.ricciScalar(d3, Route.GAUSS, F64);
                CurvatureResult in = Curvature.ricciScalar(d3, Route.INTRINSIC, F64);
                CurvatureResult fast = MlpGaussCurvature.ricciScalar(mlp, z, F64);
                assertEquals(0, fast.singularCount());
                double ed = relErr(fast.scalar(), dense.scalar());
                double ei = relErr(fast.scalar(), in.scalar());
                assertTrue(ed <= 1e-10, "net " + n + " vs dense Gauss: rel err " + ed);
                assertTrue(ei <= 1e-8, "net " + n + " vs intrinsic: rel err " + ei);
                assertTrue(relErr(fast.metric(), dense.metric()) <= 1e-13);
                assertTrue(Tensors.toDoubles(fast.scalar().abs().max())[0] > 1e-6, "curvature is not trivially zero");
                // the provider entry point dispatches to this kernel
                CurvatureResult viaProvider = Curvature.ricciScalar(new MlpDerivatives(mlp), z, Route.GAUSS, F64);
                assertEquals(0.0, relErr(viaProvider.scalar(), fast.scalar()));
            }
        }
    }

    /** The weight gradient of mean(R²) equals the one through nested autograd (float64). */
    @Test
    void gradientMatchesNestedAutograd() {
        Torch.init(1);
        for (int[] w : new int[][] {{3, 5, 4, 5}, {4, 7, 6}}) {
            try (PointerScope s = new PointerScope()) {
                Params params = new Params();
                Torch.seed(19);
                SiluMlp mlp = SiluMlp.float64(params, "phi", w);
                Tensor z = GeoTestUtil.points(20, 3, w[0], 1.0);
                params.zeroGrad();
                MlpGaussCurvature.ricciScalar(mlp, z, F64).scalar().square().mean().backward();
                Tensor[] fast = grads(mlp);
                params.zeroGrad();
                Curvature.ricciScalar(AutogradDerivatives.of(mlp), z, Route.INTRINSIC, F64).scalar().square().mean().backward();
                Tensor[] ref = grads(mlp);
                for (int l = 0; l < fast.length; l++) {
                    double e = relErr(fast[l], ref[l]);
                    assertTrue(e <= 1e-10, "layer " + l + " weight gradient rel err " + e);
                }
                assertTrue(Tensors.toDoubles(fast[0].abs().max())[0] > 1e-6);
            }
        }
    }

    private static Tensor[] grads(SiluMlp mlp) {
        Tensor[] g = new Tensor[mlp.layers()];
        for (int l = 0; l < g.length; l++) {
            g[l] = mlp.weight(l).grad().clone();
        }
        return g;
    }

    /** Singular metrics are masked like the dense route does; the affine map falls back to R = 0. */
    @Test
    void singularPointsAndAffineMap() {
        try (PointerScope s = new PointerScope()) {
            SiluMlp mlp = GeoTestUtil.mlp(7, 3, 6, 5);
            Tensor z = GeoTestUtil.points(8, 4, 3, 1.0);
            // collapse φ's first layer onto one latent direction at every point: g has rank 1
            try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
                mlp.weight(0).narrow(1, 1, 2).zero_();
            }
            CurvatureResult fast = MlpGaussCurvature.ricciScalar(mlp, z, F64);
            CurvatureResult dense = Curvature.ricciScalar(new MlpDerivatives(mlp).derivatives(z, 2), Route.GAUSS, F64);
            assertEquals(4, fast.singularCount());
            assertEquals(dense.singularCount(), fast.singularCount());
            assertEquals(0.0, Tensors.toDoubles(fast.scalar().abs().max())[0]);
            SiluMlp affine = GeoTestUtil.mlp(9, 2, 4);
            CurvatureResult flat = MlpGaussCurvature.ricciScalar(affine, GeoTestUtil.points(1, 3, 2, 1.0), F64);
            assertEquals(0.0, Tensors.toDoubles(flat.scalar().abs().max())[0]);
            assertThrows(IllegalArgumentException.class,
                    () -> MlpGaussCurvature.ricciScalar(GeoTestUtil.mlp(3, 3, 5, 3), GeoTestUtil.points(1, 2, 3, 1), F64));
        }
    }

    /**
     * Several maps stacked into one evaluation against each map on its own: R, singular points and their count,
     * condition numbers, metric and every weight and point gradient (float64); one map with a singular metric at
     * every point, so the masking of one map's points must not leak into the others'.
     */
    @Test
    void stackedMapsAgreeWithEachMapAlone() {
        try (PointerScope s = new PointerScope()) {
            for (int[] w : new int[][] {{3, 8, 5}, {3, 6, 6, 7}}) {
                Params p = new Params();
                Torch.seed(31);
                List<SiluMlp> maps = List.of(SiluMlp.float64(p, "a", w), SiluMlp.float64(p, "b", w),
                        SiluMlp.float64(p, "c", w));
                try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
                    maps.get(1).weight(0).narrow(1, 1, 2).zero_(); // g of rank 1 everywhere: all singular
                }
                List<Tensor> z = List.of(GeoTestUtil.points(32, 5, 3, 1.0).requires_grad_(true),
                        GeoTestUtil.points(33, 4, 3, 1.0).requires_grad_(true),
                        GeoTestUtil.points(34, 6, 3, 1.0).requires_grad_(true));
                List<CurvatureResult> stacked = Curvature.ricciScalars(maps, z, Route.GAUSS);
                assertEquals(3, stacked.size());
                Map<String, double[]> grads = gradients(p, z, sumOfSquares(stacked));
                List<CurvatureResult> alone = new java.util.ArrayList<>();
                for (int t = 0; t < 3; t++) {
                    alone.add(MlpGaussCurvature.ricciScalar(maps.get(t), z.get(t), F64));
                }
                Map<String, double[]> ref = gradients(p, z, sumOfSquares(alone));
                for (int t = 0; t < 3; t++) {
                    CurvatureResult a = alone.get(t);
                    CurvatureResult b = stacked.get(t);
                    assertEquals(a.singularCount(), b.singularCount(), "map " + t);
                    assertTrue(a.singular().equal(b.singular()), "map " + t + " singular points");
                    assertTrue(relErr(b.scalar(), a.scalar()) <= 1e-12, "map " + t + " R");
                    assertTrue(relErr(b.metric(), a.metric()) <= 1e-14, "map " + t + " g");
                    assertEquals(Tensors.toDoubles(a.condition()).length, Tensors.toDoubles(b.condition()).length);
                }
                assertEquals(4, stacked.get(1).singularCount());
                assertEquals(0, stacked.get(0).singularCount() + stacked.get(2).singularCount());
                for (Map.Entry<String, double[]> e : ref.entrySet()) {
                    double[] x = e.getValue();
                    double[] y = grads.get(e.getKey());
                    double scale = 1e-300;
                    for (double v : x) {
                        scale = Math.max(scale, Math.abs(v));
                    }
                    for (int i = 0; i < x.length; i++) {
                        assertEquals(x[i], y[i], 1e-10 * scale, e.getKey() + "[" + i + "]");
                    }
                }
                assertTrue(max(ref.get("a.0.weight")) > 0, "a gradient that is not zero");
            }
        }
    }

    private static Tensor sumOfSquares(List<CurvatureResult> r) {
        Tensor l = null;
        for (CurvatureResult c : r) {
            Tensor v = c.scalar().square().sum();
            l = l == null ? v : l.add(v);
        }
        return l;
    }

    /** Gradients of {@code loss} with respect to every parameter with a gradient and every point set. */
    private static Map<String, double[]> gradients(Params p, List<Tensor> z, Tensor loss) {
        p.zeroGrad();
        for (Tensor x : z) {
            if (x.grad().defined()) {
                x.grad().zero_();
            }
        }
        loss.backward();
        Map<String, double[]> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : p.asMap().entrySet()) {
            Tensor g = e.getValue().grad();
            if (g.defined()) {
                out.put(e.getKey(), Tensors.toDoubles(g));
            }
        }
        for (int i = 0; i < z.size(); i++) {
            out.put("z" + i, Tensors.toDoubles(z.get(i).grad()));
        }
        return out;
    }

    private static double max(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /** float32 against float64 of the same weights: single-precision agreement. */
    @Test
    void float32AgreesWithFloat64() {
        try (PointerScope s = new PointerScope()) {
            Torch.init(1);
            Torch.seed(23);
            SiluMlp m32 = SiluMlp.float32(new Params(), "phi", 8, 16, 16);
            Torch.seed(23);
            SiluMlp m64 = SiluMlp.float64(new Params(), "phi", 8, 16, 16);
            Tensor z = GeoTestUtil.points(24, 16, 8, 1.0);
            Tensor r64 = MlpGaussCurvature.ricciScalar(m64, z, F64).scalar();
            Tensor r32 = MlpGaussCurvature.ricciScalar(m32, z.to(ScalarType.Float), Options.defaults(ScalarType.Float)).scalar();
            double e = relErr(r32.to(ScalarType.Double), r64);
            assertTrue(e <= 1e-3, "float32 rel err " + e);
            assertTrue(Tensors.toDoubles(r64.abs().max().sub(new Scalar(0)))[0] > 1e-6);
        }
    }
}
