package gear.transfer.ktask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.nn.Adam;
import gear.nn.Tensors;
import gear.nn.Torch;
import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every k-task method (k = 3) trained with its D-MPNN passes data-parallel on 2 lanes ({@code --threads 2}, as the
 * two-task runs) gives the loss terms of one lane at every step and the same weights after three optimizer steps, up
 * to float32 rounding, with dropout too: the lanes take their rows of the masks drawn in the one-lane order, so the
 * results do not depend on timing. That the lanes run at all shows in the float32 summation order: some weight differs
 * in its last bits from the one-lane run.
 */
class KTaskLanesTest {
    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gear", "gate", "mtl", "finetune"})
    void twoLanesGiveTheStepsOfOne(String name) {
        double largest = 0;
        for (double dropout : new double[] {0, 0.2}) {
            List<Map<String, Double>> one = new ArrayList<>();
            List<Map<String, Double>> two = new ArrayList<>();
            Map<String, double[]> w1 = run(name, dropout, 1, one);
            Map<String, double[]> w2 = run(name, dropout, 2, two);
            String what = name + " dropout " + dropout;
            gear.transfer.TransferLanesTest.assertSameTerms(one, two, what);
            assertEquals(w1.keySet(), w2.keySet());
            double moved = 0;
            for (String k : w1.keySet()) {
                double diff = 0;
                for (int i = 0; i < w1.get(k).length; i++) {
                    diff = Math.max(diff, Math.abs(w1.get(k)[i] - w2.get(k)[i]));
                }
                assertTrue(diff <= 1e-5, what + " " + k + ": weights differ by " + diff);
                largest = Math.max(largest, diff);
            }
            Map<String, double[]> w0 = weights(model(name, dropout));
            for (String k : w0.keySet()) {
                for (int i = 0; i < w0.get(k).length; i++) {
                    moved = Math.max(moved, Math.abs(w0.get(k)[i] - w1.get(k)[i]));
                }
            }
            assertTrue(moved > 1e-4, what + ": the steps did not train (largest change " + moved + ")");
        }
        // the two lanes did run: their gradients, summed part by part, differ from one lane's in the last bits
        assertTrue(largest > 0, name + ": 2 lanes gave bit-identical weights, as if the step ignored its lanes");
    }

    private static KTaskModel model(String name, double dropout) {
        KTaskData d = KFixture.data(3);
        List<gear.data.StandardScaler> sc = List.of(KFixture.unit(), KFixture.unit(), KFixture.unit());
        TransferOptions o = KFixture.small(1).with(TransferSchema.DROPOUT, dropout);
        return new KTaskModel(KMethod.get(name), o, 5, d.names(), d.primary(), sc);
    }

    /** Three steps on other molecules each; returns the weights, fills the terms of each step. */
    private static Map<String, double[]> run(String name, double dropout, int lanes, List<Map<String, Double>> terms) {
        KTaskData d = KFixture.data(3);
        KTaskModel m = model(name, dropout);
        KTaskTrainer tr = new KTaskTrainer(m, 5, null).lanes(lanes);
        Adam adam = new Adam(m.params(), 1e-3);
        int[][][] rows = {
            {{0, 1, 2, 3, 4, 5, 6}, {0, 1, 2, 3, 4}, {5, 6, 7, 8, 9, 10}},
            {{9, 3, 1}, {7, 5, 11, 12}, {2, 4, 6, 8, 0}},
            {{20, 21, 22, 23}, {1, 3, 5}, {13, 14, 15, 16, 17, 18, 19}}};
        for (int s = 0; s < rows.length; s++) {
            terms.add(tr.step(adam, d, rows[s], s, 1));
        }
        return weights(m);
    }

    private static Map<String, double[]> weights(KTaskModel m) {
        Map<String, double[]> w = new TreeMap<>();
        for (Map.Entry<String, Tensor> e : m.params().asMap().entrySet()) {
            w.put(e.getKey(), Tensors.toDoubles(e.getValue()));
        }
        return w;
    }
}
