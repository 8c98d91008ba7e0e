package gear.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LabelNoiseTest {
    /** 200 rows, 2 targets; every 10th label of target 0 is missing. Train = rows 0..139. */
    private static double[][] data() {
        Random r = new Random(7);
        double[][] y = new double[200][2];
        for (int i = 0; i < y.length; i++) {
            y[i][0] = i % 10 == 3 ? Double.NaN : 5 + 2 * r.nextGaussian();
            y[i][1] = r.nextGaussian();
        }
        return y;
    }

    private static final int[] TRAIN = IntStream.range(0, 140).toArray();

    private static int labelled(double[][] y) {
        int n = 0;
        for (int i : TRAIN) {
            n += Double.isNaN(y[i][0]) ? 0 : 1;
        }
        return n;
    }

    private static double trainStd(double[][] y) {
        double s = 0;
        int n = 0;
        for (int i : TRAIN) {
            if (!Double.isNaN(y[i][0])) {
                s += y[i][0];
                n++;
            }
        }
        double mu = s / n;
        double ss = 0;
        for (int i : TRAIN) {
            if (!Double.isNaN(y[i][0])) {
                ss += (y[i][0] - mu) * (y[i][0] - mu);
            }
        }
        return Math.sqrt(ss / n);
    }

    @Test
    void countIsExactAndOnlyLabelledTrainingRowsShiftByKSigma() {
        double[][] y = data();
        double[][] before = new double[y.length][];
        for (int i = 0; i < y.length; i++) {
            before[i] = y[i].clone();
        }
        int nl = labelled(y);
        assertEquals(126, nl);
        for (double f : new double[] {0.1, 0.25, 0.5, 1.0, 0.004}) {
            LabelNoise.Result r = LabelNoise.corrupt(y, TRAIN, 0, f, 1.5, 11);
            assertEquals(Math.round(f * nl), r.count(), "f=" + f);
            assertEquals(nl, r.labelledTrainRows());
            double sd = trainStd(y);
            assertEquals(sd, r.std(), 1e-12);
            assertEquals(1.5 * sd, r.shift(), 1e-12);
            boolean[] corrupted = new boolean[y.length];
            for (int k = 0; k < r.count(); k++) {
                int i = r.corruptedRows()[k];
                corrupted[i] = true;
                assertTrue(i < 140, "only training rows");
                assertFalse(Double.isNaN(y[i][0]), "missing labels stay missing");
                assertEquals(r.signs()[k] * 1.5 * sd, r.targets()[i][0] - y[i][0], 1e-12);
            }
            for (int i = 0; i < y.length; i++) {
                assertEquals(y[i][1], r.targets()[i][1], 0.0, "other target untouched");
                if (!corrupted[i]) {
                    assertEquals(Double.doubleToLongBits(y[i][0]), Double.doubleToLongBits(r.targets()[i][0]), "row " + i);
                }
            }
            for (int k = 1; k < r.count(); k++) {
                assertTrue(r.corruptedRows()[k - 1] < r.corruptedRows()[k], "ascending, distinct");
            }
        }
        for (int i = 0; i < y.length; i++) {
            assertArrayEquals(before[i], y[i], 0.0, "input not modified");
        }
    }

    @Test
    void roundingOfTheCountIsMathRound() {
        double[][] y = new double[10][1];
        int[] train = IntStream.range(0, 10).toArray();
        assertEquals(1, LabelNoise.corrupt(y, train, 0.05, 1, 1).count()); // 0.5 rounds up
        assertEquals(0, LabelNoise.corrupt(y, train, 0.04, 1, 1).count());
        assertEquals(10, LabelNoise.corrupt(y, train, 1.0, 1, 1).count());
    }

    @Test
    void seededAndDeterministic() {
        double[][] y = data();
        LabelNoise.Result a = LabelNoise.corrupt(y, TRAIN, 0, 0.3, 1, 42);
        LabelNoise.Result b = LabelNoise.corrupt(y, TRAIN, 0, 0.3, 1, 42);
        assertArrayEquals(a.corruptedRows(), b.corruptedRows());
        assertArrayEquals(a.signs(), b.signs());
        for (int i = 0; i < y.length; i++) {
            assertArrayEquals(a.targets()[i], b.targets()[i], 0.0);
        }
        LabelNoise.Result c = LabelNoise.corrupt(y, TRAIN, 0, 0.3, 1, 43);
        assertFalse(Arrays.equals(a.corruptedRows(), c.corruptedRows()), "different seeds pick different rows");
        // the order in which training rows are listed does not matter
        int[] shuffled = TRAIN.clone();
        for (int i = 0; i < shuffled.length / 2; i++) {
            int t = shuffled[i];
            shuffled[i] = shuffled[shuffled.length - 1 - i];
            shuffled[shuffled.length - 1 - i] = t;
        }
        assertArrayEquals(a.corruptedRows(), LabelNoise.corrupt(y, shuffled, 0, 0.3, 1, 42).corruptedRows());
    }

    @Test
    void bothSignsOccur() {
        LabelNoise.Result r = LabelNoise.corrupt(data(), TRAIN, 0, 1.0, 1, 5);
        assertTrue(Arrays.stream(r.signs()).anyMatch(s -> s == 1));
        assertTrue(Arrays.stream(r.signs()).anyMatch(s -> s == -1));
        assertTrue(Arrays.stream(r.signs()).allMatch(s -> s == 1 || s == -1));
    }

    @Test
    void fractionZeroIsIdentity() {
        double[][] y = data();
        LabelNoise.Result r = LabelNoise.corrupt(y, TRAIN, 0, 0.0, 3, 1);
        assertEquals(0, r.count());
        for (int i = 0; i < y.length; i++) {
            assertEquals(Arrays.toString(y[i]), Arrays.toString(r.targets()[i]));
        }
    }

    @Test
    void badArgumentsAreRejected() {
        double[][] y = data();
        assertThrows(IllegalArgumentException.class, () -> LabelNoise.corrupt(y, TRAIN, 0, -0.01, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> LabelNoise.corrupt(y, TRAIN, 0, 1.01, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> LabelNoise.corrupt(y, TRAIN, 0, Double.NaN, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> LabelNoise.corrupt(y, TRAIN, 0, 0.1, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> LabelNoise.corrupt(y, TRAIN, 2, 0.1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> LabelNoise.corrupt(y, new int[] {1, 1}, 0, 0.1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> LabelNoise.corrupt(y, new int[] {200}, 0, 0.1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> LabelNoise.corrupt(y, TRAIN, 0.1, 1, 1), "two targets");
    }

    @Test
    void datasetOverloadKeepsMoleculesAndCorruptsTrainingLabels() {
        List<String> smiles = List.of("C", "CC", "CCC", "CCCC", "CCO", "CO");
        double[][] y = {{1}, {2}, {3}, {4}, {5}, {6}};
        MoleculeDataset d = MoleculeDataset.of("t", smiles, y, List.of("y"));
        LabelNoise.Corrupted c = LabelNoise.corrupt(d, new int[] {0, 1, 2, 3}, 0, 0.5, 2, 3);
        assertEquals(2, c.result().count());
        assertEquals(d.smiles(), c.data().smiles());
        assertEquals(d.targetNames(), c.data().targetNames());
        assertEquals(5.0, c.data().target(4, 0));
        assertEquals(6.0, c.data().target(5, 0));
        double sd = Math.sqrt(1.25); // population std of 1, 2, 3, 4
        for (int k = 0; k < 2; k++) {
            int i = c.result().corruptedRows()[k];
            assertEquals(d.target(i, 0) + c.result().signs()[k] * 2 * sd, c.data().target(i, 0), 1e-12);
        }
        assertEquals(1.0, d.target(0, 0), "original data set unchanged");
    }
}
