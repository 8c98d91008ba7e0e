package gear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Adam against its closed form (Kingma and Ba 2015, torch.optim.Adam defaults), in float64. */
class AdamTest {
    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    @Test
    void threeStepsMatchTheFormulaAndSkipParametersWithoutGradient() {
        Params params = new Params();
        Tensor w = params.add("w", Tensors.of(new double[] {0.5, -1.0, 2.0}, 3));
        Tensor frozen = params.add("frozen", Tensors.of(new double[] {7.0}, 1));
        Adam adam = new Adam(params, 0.1, 0.8, 0.9, 1e-3);
        double[][] grads = {{1.0, -2.0, 0.0}, {0.5, 4.0, -1.0}, {-3.0, 0.25, 2.0}};
        double[] theta = {0.5, -1.0, 2.0};
        double[] m = new double[3];
        double[] v = new double[3];
        double[] lrs = {0.1, 0.05, 0.2};
        for (int t = 1; t <= 3; t++) {
            try (PointerScope s = new PointerScope()) {
                w.mutable_grad().put(Tensors.of(grads[t - 1], 3));
                adam.setLr(lrs[t - 1]);
                adam.step();
            }
            for (int i = 0; i < 3; i++) {
                double g = grads[t - 1][i];
                m[i] = 0.8 * m[i] + 0.2 * g;
                v[i] = 0.9 * v[i] + 0.1 * g * g;
                double mHat = m[i] / (1 - Math.pow(0.8, t));
                double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(0.9, t)) + 1e-3;
                theta[i] -= lrs[t - 1] * mHat / denom;
            }
            assertArrayEquals(theta, Tensors.toDoubles(w), 1e-14, "step " + t);
        }
        assertEquals(3, adam.steps());
        assertArrayEquals(new double[] {7.0}, Tensors.toDoubles(frozen), 0.0, "a parameter without gradient is unchanged");
        Map<String, Tensor> state = adam.state();
        assertArrayEquals(m, Tensors.toDoubles(state.get("adam.m.w")), 1e-15);
        assertArrayEquals(v, Tensors.toDoubles(state.get("adam.v.w")), 1e-15);
    }
}
