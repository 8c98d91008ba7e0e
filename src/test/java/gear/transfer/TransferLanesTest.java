package gear.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.nn.Adam;
import gear.nn.Params;
import gear.nn.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every method trained with its D-MPNN passes data-parallel on 2 lanes ({@code --threads 2}) gives the loss terms of
 * one lane at every step and the same weights after three optimizer steps, up to float32 rounding; with dropout too
 * (the lanes take their rows of masks drawn in the one-lane order).
 */
public class TransferLanesTest {
    @BeforeAll
    static void init() throws Exception {
        TransferGradientTest.init();
    }

    static java.util.stream.Stream<String> methods() {
        return TransferSmokeTest.methods();
    }

    /** Asserts that two runs logged the same terms at every step, within 1e-4 relative (float32 summation order). */
    public static void assertSameTerms(List<Map<String, Double>> one, List<Map<String, Double>> two, String what) {
        assertEquals(one.size(), two.size(), what + ": steps");
        for (int s = 0; s < one.size(); s++) {
            assertEquals(one.get(s).keySet(), two.get(s).keySet(), what);
            for (String k : one.get(s).keySet()) {
                double a = one.get(s).get(k);
                assertEquals(a, two.get(s).get(k), 1e-4 * Math.max(1, Math.abs(a)), what + " step " + s + " term " + k);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("methods")
    void twoLanesGiveTheStepsOfOne(String name) {
        for (double dropout : new double[] {0, 0.2}) {
            List<Map<String, Double>> one = new ArrayList<>();
            List<Map<String, Double>> two = new ArrayList<>();
            Map<String, double[]> w1 = run(name, dropout, 1, one);
            Map<String, double[]> w2 = run(name, dropout, 2, two);
            String what = name + " dropout " + dropout;
            assertSameTerms(one, two, what);
            assertEquals(w1.keySet(), w2.keySet());
            for (String k : w1.keySet()) {
                double diff = 0;
                for (int i = 0; i < w1.get(k).length; i++) {
                    diff = Math.max(diff, Math.abs(w1.get(k)[i] - w2.get(k)[i]));
                }
                assertTrue(diff <= 1e-5, what + " " + k + ": weights differ by " + diff);
            }
        }
    }

    /** Three steps (the second and third on other molecules); returns the weights, fills the terms of each step. */
    private static Map<String, double[]> run(String name, double dropout, int lanes, List<Map<String, Double>> terms) {
        TransferMethod method = Methods.get(name);
        TransferOptions o = PairFixture.small(1).with(TransferSchema.PERTURBATIONS, 2).with(TransferSchema.CURV_SUBSET, 6)
                .with(TransferSchema.DROPOUT, dropout);
        TransferModel m = new TransferModel(method, o, 3, new gear.data.StandardScaler(new double[] {0}, new double[] {1}),
                new gear.data.StandardScaler(new double[] {0}, new double[] {1}), "s", "t", gear.train.Provenance.now("", 3));
        Params p = method.trainsBothTasks() ? m.params() : m.params(Task.TARGET);
        TransferTrainer tr = new TransferTrainer(m, 3, null).lanes(lanes);
        Adam adam = new Adam(p, 1e-3);
        boolean paired = method.paired();
        int[][] ti = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {9, 3, 1, 7, 5}, {2, 4, 6, 8, 0, 1}};
        int[][] si = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {4, 8, 2, 6, 0}, {1, 3, 5, 7, 9, 0}};
        for (int s = 0; s < 3; s++) {
            terms.add(tr.step(p, adam, TransferGradientTest.data(), ti[s], paired ? si[s] : new int[0], s, 1, s, 0.0));
        }
        Map<String, double[]> w = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : m.params().asMap().entrySet()) {
            w.put(e.getKey(), Tensors.toDoubles(e.getValue()));
        }
        return w;
    }
}
