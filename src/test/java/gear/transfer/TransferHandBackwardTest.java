package gear.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.nn.Adam;
import gear.nn.Params;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The D-MPNN embeddings differentiated by the hand-derived step ({@code DmpnnEncoderStep}) give every
 * method the loss terms and the gradients of plain autograd, for every weight, up to float32 rounding.
 */
class TransferHandBackwardTest {
    @BeforeAll
    static void init() throws Exception {
        TransferGradientTest.init();
    }

    @ParameterizedTest
    @MethodSource("gear.transfer.TransferSmokeTest#methods")
    void sameTermsAndGradientsAsAutograd(String name) {
        TransferMethod method = Methods.get(name);
        int[] ti = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        int[] si = method == Methods.get("stl") || method == Methods.get("finetune") ? new int[0] : new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        Map<String, double[]> hand = new TreeMap<>();
        Map<String, double[]> auto = new TreeMap<>();
        Map<String, Double> handTerms = step(method, true, ti, si, hand);
        Map<String, Double> autoTerms = step(method, false, ti, si, auto);
        assertEquals(autoTerms.keySet(), handTerms.keySet());
        for (String k : autoTerms.keySet()) {
            double a = autoTerms.get(k);
            assertEquals(a, handTerms.get(k), 1e-4 * Math.max(1, Math.abs(a)), method + " term " + k);
        }
        assertEquals(auto.keySet(), hand.keySet(), method + ": the weights with a gradient differ");
        assertTrue(auto.keySet().stream().anyMatch(k -> k.contains("embedding.W_h")), method + ": no D-MPNN gradient");
        for (String k : auto.keySet()) {
            assertClose(auto.get(k), hand.get(k), 1e-4, method + " " + k);
        }
    }

    /** The embedding's weights carry the hand-derived gradients from step to step (buffers reused, not stale). */
    @Test
    void secondStepUsesFreshGradients() {
        int[] ti = {0, 1, 2, 3, 4};
        int[] si = {5, 6, 7, 8, 9};
        Map<String, double[]> hand = new TreeMap<>();
        Map<String, double[]> auto = new TreeMap<>();
        twoSteps(true, ti, si, hand);
        twoSteps(false, ti, si, auto);
        for (String k : auto.keySet()) {
            if (k.contains("embedding")) {
                assertClose(auto.get(k), hand.get(k), 1e-3, k + " after two steps");
            }
        }
    }

    private static Map<String, Double> step(TransferMethod method, boolean handBackward, int[] ti, int[] si,
            Map<String, double[]> grads) {
        TransferModel m = TransferGradientTest.model(method);
        Params p = m.params();
        TransferTrainer tr = new TransferTrainer(m, 3, null).handBackward(handBackward);
        Map<String, Double> terms = tr.step(p, new Adam(p, 1e-3), TransferGradientTest.data(), ti, si, 0, 0, 0, 0.0);
        collect(p, grads);
        return terms;
    }

    private static void twoSteps(boolean handBackward, int[] ti, int[] si, Map<String, double[]> grads) {
        TransferModel m = TransferGradientTest.model(Methods.get("gear"));
        Params p = m.params();
        TransferTrainer tr = new TransferTrainer(m, 3, null).handBackward(handBackward);
        Adam adam = new Adam(p, 1e-3);
        tr.step(p, adam, TransferGradientTest.data(), ti, si, 0, 0, 0, 0.0);
        tr.step(p, adam, TransferGradientTest.data(), si, ti, 1, 0, 1, 0.0);
        collect(p, grads);
    }

    /** |hand − autograd| ≤ rel · |autograd| (Euclidean norms over the tensor). */
    private static void assertClose(double[] a, double[] h, double rel, String what) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - h[i]) * (a[i] - h[i]);
            norm += a[i] * a[i];
        }
        assertTrue(Math.sqrt(diff) <= rel * Math.sqrt(norm) + 1e-9,
                what + ": |hand − autograd| = " + Math.sqrt(diff) + " against |autograd| = " + Math.sqrt(norm));
    }

    private static void collect(Params p, Map<String, double[]> grads) {
        for (Map.Entry<String, Tensor> e : p.asMap().entrySet()) {
            Tensor g = e.getValue().grad();
            if (g != null && g.defined()) {
                grads.put(e.getKey(), gear.nn.Tensors.toDoubles(g));
            }
        }
    }
}
