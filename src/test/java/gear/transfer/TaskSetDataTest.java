package gear.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.data.StandardScaler;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The training data of a task set against the rules worked out by hand on three small data sets: a source A and two
 * evaluated tasks B (primary) and C. Test parts: B's {CCCC}, C's {CN}.
 */
class TaskSetDataTest {
    private static final double NAN = Double.NaN;

    private static MoleculeDataset ds(String name, List<String> smiles, double... v) {
        double[][] y = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
            y[i] = new double[] {v[i]};
        }
        return MoleculeDataset.of(name, smiles, y, List.of(name));
    }

    private static final MoleculeDataset A = ds("a", List.of("C", "CC", "CCC", "CCO", "CN", "CCCC"), 1, 2, NAN, 4, 5, NAN);
    private static final MoleculeDataset B = ds("b", List.of("OCC", "CC", "CCCC", "CCN", "CCCl", "c1ccccc1"), 10, 20, 30,
            NAN, 50, 60);
    private static final MoleculeDataset C = ds("c", List.of("CN", "C", "CCCC", "CCCCC"), 7, 8, 9, 11);
    private static final Split SPLIT_B = new Split(new int[] {0, 1, 3, 4}, new int[] {5}, new int[] {2});
    private static final Split SPLIT_C = new Split(new int[] {1, 2, 3}, new int[0], new int[] {0});

    @Test
    void purgesLabelsAndScalesAsTheRulesSay() {
        TaskSetData d = TaskSetData.of(List.of(A, B, C), List.of(1, 2), List.of(SPLIT_B, SPLIT_C), List.of("a", "b", "c"),
                false);
        // A: CN is in C's test part, CCCC (unlabelled) in B's: both purged; CCC has no value. B: CCN has no value.
        // C: CCCC is in B's test part. Three purged in all.
        assertArrayEquals(new int[] {0, 1, 3}, d.rows().get(0));
        assertArrayEquals(new int[] {0, 1, 4}, d.rows().get(1));
        assertArrayEquals(new int[] {1, 3}, d.rows().get(2));
        assertEquals(3, d.purged());
        assertArrayEquals(new int[] {3, 3, 2}, d.sizes());
        assertEquals(7.0 / 3, d.scalers().get(0).mean(0), 1e-12);
        assertEquals(80.0 / 3, d.scalers().get(1).mean(0), 1e-12);
        assertEquals(9.5, d.scalers().get(2).mean(0), 1e-12);
        assertEquals(3, d.graphs().get(0).size());
        // labels[τ][σ][j]: A's molecules C, CC, CCO; B's OCC (= CCO), CC, CCCl; C's C, CCCCC
        check(d, 0, 0, 1, 2, 4);
        check(d, 0, 1, NAN, 20, 10);
        check(d, 0, 2, 8, NAN, NAN);
        check(d, 1, 0, 4, 2, NAN);
        check(d, 1, 1, 10, 20, 50);
        check(d, 1, 2, NAN, NAN, NAN);
        check(d, 2, 0, 1, NAN);
        check(d, 2, 1, NAN, NAN);
        check(d, 2, 2, 8, 11);
    }

    @Test
    void anEmptyTrainingSetIsRefusedUnlessAllowed() {
        MoleculeDataset none = ds("n", List.of("CCCC", "CN"), 1, 2); // both in a test part
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskSetData.of(
                List.of(none, B, C), List.of(1, 2), List.of(SPLIT_B, SPLIT_C), List.of("n", "b", "c"), false));
        assertTrue(e.getMessage().contains("training set of task n is empty"), e.getMessage());
        // a source of butane only, written two ways: both are B's test molecule CCCC (canonical SMILES), both purged
        MoleculeDataset butane = ds("n", List.of("CCCC", "C(CC)C"), 1, 2);
        TaskSetData d = TaskSetData.of(List.of(butane, B), List.of(1), List.of(SPLIT_B), List.of("n", "b"), true);
        assertEquals(0, d.rows().get(0).length);
        assertEquals(2, d.purged());
    }

    @Test
    void purgingValidationAlsoRemovesTheEvaluatedTasksValidationMolecules() {
        // B's validation molecule is benzene (written another way here), its test molecule CCCC; CCO is B's OCC, a
        // training molecule of B, and stays either way
        MoleculeDataset s = ds("s", List.of("C1=CC=CC=C1", "CCO", "CCCC", "CCC"), 1, 2, 3, 4);
        TaskSetData testOnly = TaskSetData.of(List.of(s, B), List.of(1), List.of(SPLIT_B), List.of("s", "b"), false);
        assertArrayEquals(new int[] {0, 1, 3}, testOnly.rows().get(0));
        assertEquals(1, testOnly.purged());
        assertArrayEquals(testOnly.rows().get(0), TaskSetData.of(List.of(s, B), List.of(1), List.of(SPLIT_B),
                List.of("s", "b"), false, false).rows().get(0), "the five-argument form purges the test part only");
        TaskSetData withVal = TaskSetData.of(List.of(s, B), List.of(1), List.of(SPLIT_B), List.of("s", "b"), false, true);
        assertArrayEquals(new int[] {1, 3}, withVal.rows().get(0));
        assertEquals(2, withVal.purged());
        assertEquals(3.0, withVal.scalers().get(0).mean(0), 1e-12, "the source's scaler is fit on what is left");
    }

    /**
     * Two evaluated tasks: with the validation purge, an evaluated task loses the training molecules that are in the
     * other's validation part (B loses CC, C's validation molecule), and a source loses both tasks' validation
     * molecules; an evaluated task's own validation part never purges its own training part (B2 keeps benzene written
     * another way, a duplicate of its own validation molecule).
     */
    @Test
    void purgingValidationAcrossSeveralEvaluatedTasks() {
        MoleculeDataset c2 = ds("c", List.of("CN", "CC", "CCCC", "CCCCC"), 7, 8, 9, 11);
        Split splitC2 = new Split(new int[] {2, 3}, new int[] {1}, new int[] {0});
        TaskSetData plain = TaskSetData.of(List.of(A, B, c2), List.of(1, 2), List.of(SPLIT_B, splitC2),
                List.of("a", "b", "c"), false, false);
        assertArrayEquals(new int[] {0, 1, 3}, plain.rows().get(0));
        assertArrayEquals(new int[] {0, 1, 4}, plain.rows().get(1));
        assertArrayEquals(new int[] {3}, plain.rows().get(2));
        assertEquals(3, plain.purged()); // A: CN (C's test), CCCC (B's test, unlabelled); C: CCCC
        TaskSetData v = TaskSetData.of(List.of(A, B, c2), List.of(1, 2), List.of(SPLIT_B, splitC2),
                List.of("a", "b", "c"), false, true);
        assertArrayEquals(new int[] {0, 3}, v.rows().get(0), "A loses CC, C's validation molecule");
        assertArrayEquals(new int[] {0, 4}, v.rows().get(1), "B loses CC from its training part");
        assertArrayEquals(new int[] {3}, v.rows().get(2));
        assertEquals(5, v.purged());

        MoleculeDataset b2 = ds("b", List.of("OCC", "CC", "CCCC", "CCN", "CCCl", "c1ccccc1", "C1=CC=CC=C1"), 10, 20, 30,
                NAN, 50, 60, 70);
        Split splitB2 = new Split(new int[] {0, 1, 3, 4, 6}, new int[] {5}, new int[] {2});
        TaskSetData own = TaskSetData.of(List.of(A, b2), List.of(1), List.of(splitB2), List.of("a", "b"), false, true);
        assertArrayEquals(new int[] {0, 1, 4, 6}, own.rows().get(1), "its own validation part does not purge B");
    }

    /** labels of task τ for task σ, in original units (NaN = none), against the scaled ones. */
    private static void check(TaskSetData d, int task, int s, double... want) {
        float[] got = d.labels().get(task)[s];
        StandardScaler sc = d.scalers().get(s);
        assertEquals(want.length, got.length);
        for (int j = 0; j < want.length; j++) {
            if (Double.isNaN(want[j])) {
                assertTrue(Float.isNaN(got[j]), "task " + task + " label " + s + " molecule " + j + ": " + got[j]);
            } else {
                assertEquals((float) ((want[j] - sc.mean(0)) / sc.std(0)), got[j], 0f, "task " + task + " label " + s
                        + " molecule " + j);
            }
        }
    }
}
