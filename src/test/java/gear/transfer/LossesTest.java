package gear.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.nn.Tensors;
import gear.nn.Torch;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each loss term on hand-made tensors with values worked out by hand. */
class LossesTest {
    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    private static double v(Tensor t) {
        return t.item_double();
    }

    @Test
    void maskedMseSkipsUnlabelled() {
        Tensor p = Tensors.of(new double[] {1, 2, 3, 4}, 4, 1);
        Tensor y = Tensors.of(new double[] {0, Double.NaN, 5, Double.NaN}, 4);
        // (1-0)² + (3-5)² over 2 labelled = 5/2
        assertEquals(2.5, v(Losses.maskedMse(p, y)), 1e-12);
        Tensor none = Tensors.of(new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN}, 4);
        assertEquals(0.0, v(Losses.maskedMse(p, none)), 0.0);
    }

    @Test
    void maskedMseGradientIsZeroOnUnlabelledRows() {
        Tensor p = Tensors.of(new double[] {1, 2, 3}, 3).requires_grad_(true);
        Tensor y = Tensors.of(new double[] {0, Double.NaN, 1}, 3);
        Losses.maskedMse(p, y).backward();
        double[] g = Tensors.toDoubles(p.grad());
        // d/dp_i of ((p0-0)² + (p2-1)²)/2 = (p_i - y_i)
        assertEquals(1.0, g[0], 1e-12);
        assertEquals(0.0, g[1], 0.0);
        assertEquals(2.0, g[2], 1e-12);
    }

    @Test
    void mseAndDistance() {
        Tensor a = Tensors.of(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensors.of(new double[] {1, 0, 3, 1}, 2, 2);
        assertEquals((4 + 9) / 4.0, v(Losses.mse(a, b)), 1e-12);
        assertEquals((4 + 9) / 4.0, v(Losses.distance(a, b)), 1e-12);
        double[] d = Tensors.toDoubles(Losses.rowDistances(a, b));
        assertEquals(2.0, d[0], 1e-9);
        assertEquals(3.0, d[1], 1e-9);
    }

    @Test
    void metricLossIsZeroForIsometryAndByHandOtherwise() {
        // J = [[1,0],[0,1],[0,0]]: g = I -> 0
        Tensor iso = Tensors.of(new double[] {1, 0, 0, 1, 0, 0}, 1, 3, 2);
        assertEquals(0.0, v(GeometryLosses.metric(iso)), 1e-15);
        // J = 2·[[1,0],[0,1],[0,0]]: g = 4I, ‖3I‖² = 18, / d_z² = 4 -> 4.5; a second point with g = I averages to 2.25
        Tensor j = Tensors.of(new double[] {2, 0, 0, 2, 0, 0, 1, 0, 0, 1, 0, 0}, 2, 3, 2);
        assertEquals(2.25, v(GeometryLosses.metric(j)), 1e-12);
    }

    @Test
    void structureLossIsScaleFreeAndPositiveForDifferentShapes() {
        Tensor s = Tensors.of(new double[] {0, 0, 1, 0, 0, 1}, 3, 2);
        Tensor t = Tensors.of(new double[] {0, 0, 10, 0, 0, 10}, 3, 2);
        assertEquals(0.0, v(Losses.structure(s, t)), 1e-9);
        Tensor u = Tensors.of(new double[] {0, 0, 1, 0, 5, 0}, 3, 2);
        assertTrue(v(Losses.structure(s, u)) > 0.05);
        Tensor sg = s.clone().requires_grad_(true);
        Losses.structure(sg, u).backward();
        for (double g : Tensors.toDoubles(sg.grad())) {
            assertTrue(Double.isFinite(g));
        }
    }
}
