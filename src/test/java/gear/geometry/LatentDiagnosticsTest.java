package gear.geometry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.geometry.Curvature.Route;
import gear.nn.Tensors;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

class LatentDiagnosticsTest {
    @Test
    void perPointNormConditionAndCurvature() {
        SiluMlp mlp = GeoTestUtil.mlp(2, 3, 7, 6);
        Tensor z = Tensors.of(new double[] {3, 4, 0, 0.5, -0.2, 0.1, 1, 1, 1}, 3, 3);
        LatentDiagnostics g = LatentDiagnostics.evaluate(mlp, z, Route.GAUSS, null);
        LatentDiagnostics i = LatentDiagnostics.evaluate(mlp, z, Route.INTRINSIC, null);
        assertEquals(5.0, g.latentNorm()[0], 1e-12);
        assertEquals(Math.sqrt(3), g.latentNorm()[2], 1e-12);
        assertEquals(0, g.singularCount());
        for (int k = 0; k < 3; k++) {
            assertTrue(g.condition()[k] >= 1.0);
            assertEquals(g.ricci()[k], i.ricci()[k], 1e-8 * Math.max(1, Math.abs(g.ricci()[k])));
        }
        double[] direct = Tensors.toDoubles(Curvature.ricciScalar(mlp, z, Route.GAUSS).scalar());
        assertEquals(direct[1], g.ricci()[1], 0.0);
    }
}
