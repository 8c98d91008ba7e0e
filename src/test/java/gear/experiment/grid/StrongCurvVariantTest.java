package gear.experiment.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The GEAR variant with curvature matching enforced ({@link Ablation#STRONG_CURV}): its options, and its statistics
 * against the baselines computed by hand. On top of {@link ComparisonsTest#rows()} (pairs A and B, two seeds):
 *
 * <pre>
 *          test RMSE (seed 0, seed 1)
 *          stl       gate      gear-strong-curv
 *   A      10, 12    8, 10     8, 10
 *   B      20, 20    30, 30    15, 25
 * </pre>
 *
 * The variant against stl: A (11 − 9)/11, B 0, mean 1/11; against gate: A 0, B (30 − 20)/30, mean 1/6; best on
 * validation (A stl, B gate): mean (2/11 + 1/3)/2 = 17/66. GEAR's own cells (A 9, 11; B 18, 22) must not enter.
 */
class StrongCurvVariantTest {
    static List<ResultRow> rows() {
        List<ResultRow> rows = new ArrayList<>(ComparisonsTest.rows());
        rows.add(ComparisonsTest.row("A", Ablation.STRONG_CURV, 0, 8, 1.2, 0));
        rows.add(ComparisonsTest.row("A", Ablation.STRONG_CURV, 1, 10, 1.2, 0));
        rows.add(ComparisonsTest.row("B", Ablation.STRONG_CURV, 0, 15, 2.5, 0));
        rows.add(ComparisonsTest.row("B", Ablation.STRONG_CURV, 1, 25, 2.5, 0));
        return rows;
    }

    @Test
    void theVariantSetsTheCurvatureWeightOverTunedAndGivenValues() {
        assertTrue(Ablation.isVariant(Ablation.STRONG_CURV));
        assertFalse(Ablation.isAblation(Ablation.STRONG_CURV));
        assertFalse(Ablation.variants().contains(Ablation.STRONG_CURV), "not one of --ablate's variants");
        assertTrue(Ablation.allVariants().contains(Ablation.STRONG_CURV));
        assertEquals("gear", Ablation.baseMethod(Ablation.STRONG_CURV));
        Map<String, String> grid = new LinkedHashMap<>();
        grid.put(Tuned.SOURCE, "abc");
        grid.put(Tuned.key("gear", "w_curv"), "0.0001479");
        grid.put(Tuned.key("gear", "max_lr"), "0.00248");
        grid.put("w-curv", "5");
        grid.put("epochs", "300");
        Map<String, String> cell = Ablation.options(Ablation.STRONG_CURV, Tuned.resolve(grid, Ablation.STRONG_CURV));
        assertEquals(Ablation.STRONG_CURV_WEIGHT, cell.get("w_curv"));
        assertFalse(cell.containsKey("w-curv"), "every spelling of the key is replaced");
        assertEquals("0.00248", cell.get("max_lr"), "GEAR's other tuned values are kept");
        assertEquals("300", cell.get("epochs"));
        assertEquals("w_curv = " + Ablation.STRONG_CURV_WEIGHT, Ablation.setting(Ablation.STRONG_CURV).orElseThrow());
        assertEquals("w_curv = 0", Ablation.setting("gear-no-curv").orElseThrow());
    }

    @Test
    void itsStatisticsAgainstTheBaselinesMatchTheHandValues() {
        Comparisons.Result r = Comparisons.computeFor(rows(), Ablation.STRONG_CURV, gear.train.Regression.INSTANCE);
        assertEquals(Ablation.STRONG_CURV, r.subject());
        assertEquals(1.0 / 11, ComparisonsTest.get(r, "stl").mean(), 1e-12);
        assertEquals(1.0 / 6, ComparisonsTest.get(r, "gate").mean(), 1e-12);
        assertEquals(17.0 / 66, ComparisonsTest.get(r, Comparisons.BEST_ON_VALIDATION).mean(), 1e-12);
        assertEquals(4, r.comparisons().size(), "stl, gate, at least, best on validation: no GEAR, no ablation variant");
        // GEAR's own statistics still compare GEAR with the variant, which is no baseline
        Comparisons.Result g = Comparisons.compute(rows());
        assertEquals(Comparisons.Kind.ABLATION, ComparisonsTest.get(g, Ablation.STRONG_CURV).kind());
        assertEquals(1.0 / 22, ComparisonsTest.get(g, "stl").mean(), 1e-12, "unchanged by the variant's cells");
    }

    @Test
    void theSummaryGivesTheVariantItsOwnTableAndKeepsItOutOfTheAblationStudy() {
        Summary.Result res = Summary.compute(rows());
        assertEquals(1, res.variants().size());
        String md = Summary.markdown(res, 10, 10);
        assertTrue(md.contains("## Statistics: " + Ablation.STRONG_CURV + " against each baseline"), md);
        assertTrue(md.contains(Ablation.STRONG_CURV + " (variant)"), md);
        assertTrue(md.contains("gear-no-curv (ablation)"), md);
        assertTrue(res.studies().ablation().stream().noneMatch(a -> a.method().equals(Ablation.STRONG_CURV)));
        assertTrue(res.studies().ablation().stream().anyMatch(a -> a.method().equals("gear-no-curv")));
        assertTrue(Summary.compute(ComparisonsTest.rows()).variants().isEmpty());
    }
}
