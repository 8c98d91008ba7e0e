package gear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;

/**
 * The atom features' row and column bags from one pass ({@link StepIndex#atomNonZeros}) against the two
 * separate passes of {@link StepIndex#nonZeros} (by row, by column), entry for entry.
 */
class AtomNonZerosTest {
    @Test
    void sameBagsAsTheTwoPasses() {
        Torch.ensure();
        Random r = new Random(11);
        int[][] shapes = {{0, 5}, {1, 1}, {7, 3}, {40, 133}, {13, 9}};
        for (int[] s : shapes) {
            for (double density : new double[] {0.0, 0.06, 0.5, 1.0}) {
                float[] x = new float[s[0] * s[1]];
                for (int i = 0; i < x.length; i++) {
                    if (r.nextDouble() < density) {
                        x[i] = r.nextBoolean() ? 1f : (float) r.nextGaussian();
                    }
                }
                if (x.length > 2) {
                    x[x.length / 2] = 0; // an empty row or column somewhere at low density
                }
                check(x, s[0], s[1]);
            }
        }
    }

    private static void check(float[] x, int rows, int cols) {
        try (PointerScope scope = new PointerScope()) {
            Tensor[] one = StepIndex.atomNonZeros(x, rows, cols, ScalarType.Float);
            Tensor[] byRow = StepIndex.nonZeros(x, rows, cols, true, ScalarType.Float);
            Tensor[] byCol = StepIndex.nonZeros(x, rows, cols, false, ScalarType.Float);
            String at = rows + " x " + cols;
            for (int k = 0; k < 3; k++) {
                assertBag(byRow, one, k, k, at + " by row");
                assertBag(byCol, one, k, 3 + k, at + " by column");
            }
        }
    }

    private static void assertBag(Tensor[] want, Tensor[] got, int i, int j, String at) {
        if (i == 2) {
            assertArrayEquals(Tensors.toFloats(want[i]), Tensors.toFloats(got[j]), at + ": values");
        } else {
            assertArrayEquals(Tensors.toLongs(want[i]), Tensors.toLongs(got[j]), at + (i == 0 ? ": indices" : ": offsets"));
        }
    }
}
