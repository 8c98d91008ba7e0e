package gear.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.geometry.Curvature;
import gear.geometry.MlpDerivatives;
import gear.geometry.SiluMlp;
import gear.nn.FfnHead;
import gear.nn.Params;
import gear.nn.Tensors;
import gear.nn.Torch;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The GATE/GEAR composite loss terms on small hand-made networks and tensors. */
class TransferLossesTest {
    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    static TaskNetwork net(Params p, String name, long seed) {
        Torch.seed(seed);
        Random r = new Random(seed);
        SiluMlp phi = SiluMlp.float64(p, name + ".phi", 3, 6, 5);
        SiluMlp psi = SiluMlp.float64(p, name + ".psi", 5, 6, 3);
        FfnHead head = new FfnHead(p, name + ".head", 3, 4, 2, 1, 0.0, ScalarType.Double, r);
        return new TaskNetwork(null, null, phi, psi, head);
    }

    static Tensor z(long seed, int b) {
        Random r = new Random(seed);
        double[] v = new double[b * 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return Tensors.of(v, b, 3);
    }

    @Test
    void alignmentOfANetworkWithItselfHasNoConsistencyErrorAndMapEqualsReg() {
        Params p = new Params();
        TaskNetwork a = net(p, "a", 1);
        Tensor z = z(2, 5);
        Tensor ys = Tensors.of(new double[] {0.5, Double.NaN, -1, 2, Double.NaN}, 5);
        Tensor yt = Tensors.of(new double[] {Double.NaN, 1, 0, Double.NaN, 3}, 5);
        Map<String, Tensor> t = Losses.alignment(a, a, z, z, ys, yt);
        assertEquals(java.util.List.of("reg", "auto", "cons", "map"), java.util.List.copyOf(t.keySet()));
        assertEquals(0.0, t.get("cons").item_double(), 0.0);
        assertEquals(t.get("reg").item_double(), t.get("map").item_double(), 1e-12);
        // l_auto by hand: 2 · MSE(ψ(φ(z)), z)
        Tensor rec = a.psi().forward(a.phi().forward(z));
        assertEquals(2 * Losses.mse(rec, z).item_double(), t.get("auto").item_double(), 1e-12);
    }

    @Test
    void alignmentOfTwoNetworksByHand() {
        Params p = new Params();
        TaskNetwork s = net(p, "s", 1);
        TaskNetwork t = net(p, "t", 2);
        Tensor zs = z(3, 4);
        Tensor zt = z(4, 4);
        Tensor ys = Tensors.of(new double[] {1, 2, Double.NaN, Double.NaN}, 4);
        Tensor yt = Tensors.of(new double[] {Double.NaN, Double.NaN, 0.5, -0.5}, 4);
        Map<String, Tensor> m = Losses.alignment(s, t, zs, zt, ys, yt);
        double cons = Losses.mse(s.phi().forward(zs), t.phi().forward(zt)).item_double();
        assertEquals(cons, m.get("cons").item_double(), 1e-12);
        assertTrue(cons > 0);
        double map = Losses.maskedMse(t.head().forward(t.psi().forward(s.phi().forward(zs)), false), yt).item_double()
                + Losses.maskedMse(s.head().forward(s.psi().forward(t.phi().forward(zt)), false), ys).item_double();
        assertEquals(map, m.get("map").item_double(), 1e-12);
    }

    @Test
    void analyticJacobianMatchesTheGeometryPackage() {
        Params p = new Params();
        Torch.seed(5);
        SiluMlp phi = SiluMlp.float64(p, "phi", 3, 7, 7, 5);
        Tensor z = z(6, 4);
        double[] mine = Tensors.toDoubles(GeometryLosses.jacobian(phi, z));
        double[] ref = Tensors.toDoubles(new MlpDerivatives(phi).derivatives(z, 2).jacobian());
        assertEquals(ref.length, mine.length);
        for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], mine[i], 1e-12);
        }
        assertEquals(GeometryLosses.metric(Tensors.of(ref, 4, 5, 3)).item_double(), GeometryLosses.metricAt(phi, z).item_double(), 1e-12);
    }

    @Test
    void curvatureMatchIsZeroForTheSameMapAndPositiveForDifferentMaps() {
        Params p = new Params();
        Torch.seed(7);
        SiluMlp a = SiluMlp.float64(p, "a", 3, 8, 6);
        SiluMlp b = SiluMlp.float64(p, "b", 3, 8, 6);
        Tensor z = z(8, 6);
        GeometryLosses.CurvatureMatch same = GeometryLosses.curvatureMatch(a, a, z, z, Curvature.Route.GAUSS);
        assertEquals(0.0, same.loss().item_double(), 0.0);
        assertTrue(same.meanAbsSource() > 0);
        GeometryLosses.CurvatureMatch diff = GeometryLosses.curvatureMatch(a, b, z, z, Curvature.Route.GAUSS);
        double[] ra = Tensors.toDoubles(Curvature.ricciScalar(a, z, Curvature.Route.GAUSS).scalar());
        double[] rb = Tensors.toDoubles(Curvature.ricciScalar(b, z, Curvature.Route.GAUSS).scalar());
        double mse = 0;
        for (int i = 0; i < ra.length; i++) {
            mse += (ra[i] - rb[i]) * (ra[i] - rb[i]);
        }
        assertEquals(mse / ra.length, diff.loss().item_double(), 1e-9 * Math.max(1, mse));
        assertTrue(diff.loss().item_double() > 0);
    }

    @Test
    void gateDistanceIsZeroForOneInverseAndByHandOtherwise() {
        Params p = new Params();
        TaskNetwork s = net(p, "s", 1);
        TaskNetwork t = net(p, "t", 2);
        Tensor x = Tensors.of(new double[] {0, 0, 0, 0, 0, 1, 1, 1, 1, 1}, 2, 5);
        Tensor d = torch.ones(new long[] {2, 5}, Tensors.options(ScalarType.Double)).mul(new org.bytedeco.pytorch.Scalar(0.1));
        assertEquals(0.0, Losses.gateDistance(s.psi(), s.psi(), x, d).item_double(), 0.0);
        Tensor xp = x.add(d);
        double[] ds = Tensors.toDoubles(Losses.rowDistances(s.psi().forward(xp), s.psi().forward(x)));
        double[] dt = Tensors.toDoubles(Losses.rowDistances(t.psi().forward(xp), t.psi().forward(x)));
        double e = ((ds[0] - dt[0]) * (ds[0] - dt[0]) + (ds[1] - dt[1]) * (ds[1] - dt[1])) / 2;
        assertEquals(e, Losses.gateDistance(s.psi(), t.psi(), x, d).item_double(), 1e-12);
    }

    @Test
    void totalWeighsTermsAndSkipsZeroWeights() {
        Map<String, Tensor> terms = new LinkedHashMap<>();
        terms.put("reg", Tensors.of(new double[] {2}, 1).sum());
        terms.put("auto", Tensors.of(new double[] {3}, 1).sum());
        terms.put("curv", Tensors.of(new double[] {Double.NaN}, 1).sum());
        Map<String, Double> w = Map.of("auto", 0.5, "curv", 0.0);
        assertEquals(2 + 1.5, Losses.total(terms, w).item_double(), 1e-12);
    }
}
