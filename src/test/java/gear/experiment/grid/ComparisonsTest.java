package gear.experiment.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.experiment.stats.Bootstrap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The grid statistics against values computed by hand. Two pairs, two seeds, random split:
 *
 * <pre>
 *          test RMSE (seed 0, seed 1)          validation RMSE
 *          stl       gate      gear            stl  gate
 *   A      10, 12    8, 10     9, 11           1    2     → validation picks stl (test would pick gate)
 *   B      20, 20    30, 30    18, 22          3    1     → validation picks gate
 * </pre>
 *
 * GEAR against stl: A (11 − 10)/11, B 0, mean 1/22; against gate: A (9 − 10)/9, B (30 − 20)/30, mean 1/9; at
 * least = min(1/22, 1/9) = 1/22 (stl); best on validation: A stl 1/11, B gate 1/3, mean 7/33. A noisy cell
 * that would change everything is left out.
 */
class ComparisonsTest {
    static ResultRow row(String pair, String method, long seed, double test, double val, double noise) {
        CellResult r = new CellResult(test, test, 0.5, val, 3, 1.0, Map.of());
        return new ResultRow(pair + "." + method + ".random.f0.s" + seed, pair, "src", "tgt", method, "random", 0, seed, 10, 5, 5,
                20, r, "fp", noise, noise > 0 ? 1.0 : Double.NaN, null);
    }

    static List<ResultRow> rows() {
        List<ResultRow> rows = new ArrayList<>();
        double[][] a = {{10, 12, 1}, {8, 10, 2}, {9, 11, 1.5}, {10, 12, 1.5}};
        double[][] b = {{20, 20, 3}, {30, 30, 1}, {18, 22, 2}};
        String[] methods = {"stl", "gate", "gear", "gear-no-curv"};
        for (int m = 0; m < 4; m++) {
            for (int s = 0; s < 2; s++) {
                rows.add(row("A", methods[m], s, a[m][s], a[m][2], 0));
                if (m < 3) {
                    rows.add(row("B", methods[m], s, b[m][s], b[m][2], 0));
                }
            }
        }
        rows.add(row("A", "gear", 0, 1000, 0.1, 0.2));
        return rows;
    }

    static Comparisons.Comparison get(Comparisons.Result r, String versus) {
        return r.comparisons().stream().filter(c -> c.versus().equals(versus)).findFirst().orElseThrow();
    }

    /**
     * A pair where GEAR has not finished (a partial grid) changes nothing: every statistic, intervals included, is that
     * of the grid without the pair (it is not drawn by the bootstrap and then skipped).
     */
    @Test
    void aPairWithoutGearIsNotResampled() {
        List<ResultRow> with = new ArrayList<>(rows());
        for (int s = 0; s < 2; s++) {
            with.add(row("C", "stl", s, 5 + s, 1, 0));
            with.add(row("C", "gate", s, 4 + s, 2, 0));
        }
        Comparisons.Result a = Comparisons.compute(with);
        Comparisons.Result b = Comparisons.compute(rows());
        // GEAR rows without a finite test value anywhere: no comparison, no failure
        List<ResultRow> noGear = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            noGear.add(row("C", "stl", s, 5 + s, 1, 0));
            noGear.add(row("C", "gear", s, Double.NaN, 1, 0));
        }
        assertTrue(Comparisons.compute(noGear).comparisons().isEmpty());
        assertEquals(b.comparisons().size(), a.comparisons().size());
        for (int i = 0; i < a.comparisons().size(); i++) {
            assertEquals(b.comparisons().get(i).ci(), a.comparisons().get(i).ci(), a.comparisons().get(i).versus());
            assertEquals(b.comparisons().get(i).mean(), a.comparisons().get(i).mean(), 0);
        }
    }

    @Test
    void handComputedMeansAndValidationChoice() {
        Comparisons.Result r = Comparisons.compute(rows());
        Comparisons.Comparison stl = get(r, "stl");
        assertEquals(1.0 / 22, stl.mean(), 1e-12);
        assertEquals(1.0 / 11, stl.perPair().get("A"), 1e-12);
        assertEquals(0.0, stl.perPair().get("B"), 1e-12);
        assertEquals(4, stl.units());
        assertEquals(3, stl.better(), "A seed 0 and 1, B seed 0");
        assertEquals(4, stl.wilcoxon().n(), "the four units: 0.1, 1/12, 0.1, -0.1");
        Comparisons.Comparison gate = get(r, "gate");
        assertEquals(1.0 / 9, gate.mean(), 1e-12);
        Comparisons.Comparison least = get(r, Comparisons.AT_LEAST);
        assertEquals(Comparisons.Kind.AT_LEAST, least.kind());
        assertEquals(1.0 / 22, least.mean(), 1e-12);
        assertEquals("stl", least.chosen().get(""));
        assertNull(least.wilcoxon());
        Comparisons.Comparison val = get(r, Comparisons.BEST_ON_VALIDATION);
        assertEquals(Map.of("A", "stl", "B", "gate"), val.chosen());
        assertEquals(7.0 / 33, val.mean(), 1e-12);
        Comparisons.Comparison abl = get(r, "gear-no-curv");
        assertEquals(Comparisons.Kind.ABLATION, abl.kind());
        assertEquals(1.0 / 11, abl.mean(), 1e-12);
        assertEquals(List.of("A"), List.copyOf(abl.perPair().keySet()));
        assertEquals(5, r.comparisons().size(), "stl, gate, at least, best on validation, gear-no-curv");
    }

    @Test
    void intervalsAreReproducibleAndHoldTheEstimates() {
        Comparisons.Result a = Comparisons.compute(rows(), new Bootstrap(2000, 3));
        Comparisons.Result b = Comparisons.compute(rows(), new Bootstrap(2000, 3));
        for (int i = 0; i < a.comparisons().size(); i++) {
            Comparisons.Comparison c = a.comparisons().get(i);
            assertEquals(c.ci(), b.comparisons().get(i).ci());
            assertTrue(c.ci().contains(c.mean()), c.versus() + ": " + c.ci() + " vs " + c.mean());
        }
        // with one pair resampled twice, the mean against gate ranges over {-1/9, (-1/9 + 1/3)/2, 1/3} and more
        Comparisons.Comparison gate = get(a, "gate");
        assertTrue(gate.ci().lo() < 0 && gate.ci().hi() > 0.2, gate.ci().toString());
        assertTrue(get(a, Comparisons.AT_LEAST).ci().hi() <= get(a, "stl").ci().hi() + 1e-12, "the minimum is at most each");
    }

    @Test
    void markdownHasTheTablesAndNoGearMeansNoSection() {
        String md = Comparisons.markdown(Comparisons.compute(rows()));
        assertTrue(md.contains("| random | **at least** (stl) | **+4.5%** |"), md);
        assertTrue(md.contains("| random | best baseline on validation | +21.2% |"), md);
        assertTrue(md.contains("| random | A | stl | +9.1% |"), md);
        assertTrue(md.contains("| random | gear-no-curv (ablation) | +9.1% |"), md);
        assertTrue(md.contains("3 of 4"), md);
        List<ResultRow> noGear = rows().stream().filter(x -> !x.method().startsWith("gear")).toList();
        assertEquals("", Comparisons.markdown(Comparisons.compute(noGear)));
    }
}
