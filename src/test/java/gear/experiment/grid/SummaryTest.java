package gear.experiment.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryTest {
    static ResultRow row(String pair, String method, String split, int fold, double rmse) {
        return new ResultRow(pair + "." + method + "." + split + ".f" + fold + ".s0", pair, "src (a)", "tgt (b)", method, split,
                fold, 0, 80, 20, 25, 500, new CellResult(rmse, rmse / 2, 0.5, rmse, 3, 1.5,
                        method.equals("gear") ? Map.of("source", 0.25, "target", 0.5) : Map.of()), "fp");
    }

    /**
     * By hand: A/stl RMSE 2 and 4 → 3 ± √2; A/kd 2; A/gear 1.5 and 1.5; B/stl 1; B/gear 0.9.
     * GEAR vs stl: A (3 − 1.5)/3 = 0.5, B (1 − 0.9)/1 = 0.1, mean 0.3 over 2 pairs.
     * GEAR vs kd: A only, (2 − 1.5)/2 = 0.25. Best baseline: A min(3, 2) = 2 → 0.25, B 1 → 0.1, mean 0.175.
     */
    static final List<ResultRow> ROWS = List.of(row("A", "stl", "random", 0, 2.0), row("A", "stl", "random", 1, 4.0),
            row("A", "kd", "random", 0, 2.0), row("A", "gear", "random", 0, 1.5), row("A", "gear", "random", 1, 1.5),
            row("B", "stl", "random", 0, 1.0), row("B", "gear", "random", 0, 0.9));

    @Test
    void meanStdAndRelativeChangeByHand() {
        Summary.Result s = Summary.compute(ROWS);
        Summary.Stat aStl = s.stats().stream().filter(x -> x.pair().equals("A") && x.method().equals("stl")).findFirst().orElseThrow();
        assertEquals(2, aStl.n());
        assertEquals(3.0, aStl.rmse()[0], 1e-12);
        assertEquals(Math.sqrt(2), aStl.rmse()[1], 1e-12);
        assertEquals(1.5, aStl.mae()[0], 1e-12);
        Map<String, Summary.Relative> rel = new java.util.HashMap<>();
        s.relative().forEach(r -> rel.put(r.baseline(), r));
        assertEquals(0.3, rel.get("stl").mean(), 1e-12);
        assertEquals(0.5, rel.get("stl").perPair().get("A"), 1e-12);
        assertEquals(0.1, rel.get("stl").perPair().get("B"), 1e-12);
        assertEquals(0.25, rel.get("kd").mean(), 1e-12);
        assertEquals(1, rel.get("kd").perPair().size());
        assertEquals(0.175, rel.get(Summary.BEST).mean(), 1e-12);
        String md = Summary.markdown(s, 7, 8);
        assertTrue(md.contains("7 of 8 cells finished (partial results)"), md);
        assertTrue(md.contains("| random | stl | +30.0% | 2 |"), md);
        assertTrue(md.contains("| random | kd | +25.0% | 1 |"), md);
        assertTrue(md.contains("| random | best baseline | +17.5% | 2 |"), md);
        assertTrue(md.contains("| A | random | stl | 2 | 3.000 ± 1.4 |"), md);
    }

    /** summary.md says under which options the cells ran: the grid's given options, and whether tuned values. */
    @Test
    void theSummarySaysTheGridsOptions(@TempDir Path dir) throws Exception {
        Map<String, String> given = new java.util.LinkedHashMap<>();
        given.put("source_purge", "validation");
        given.put("epochs", "300");
        assertEquals("`epochs 300`, `source_purge validation`", Summary.optionsLine(given));
        given.put(Tuned.key("gear", "w_curv"), "0.1");
        assertEquals("`epochs 300`, `source_purge validation`; the tuned values of `--tuned` (config.json `options`, keys `"
                + Tuned.PREFIX + "…`)", Summary.optionsLine(given));
        assertEquals("the methods' defaults", Summary.optionsLine(Map.of()));
        Summary.write(gear.train.Regression.INSTANCE, null, dir, ROWS, 8, false, given);
        String md = Files.readString(dir.resolve("summary.md"));
        assertTrue(md.contains("7 of 8 cells finished (partial results).\n\nOptions of every cell: `epochs 300`, "
                + "`source_purge validation`; the tuned values"), md);
        assertTrue(!Summary.markdown(Summary.compute(ROWS), 7, 8).contains("Options of every cell"));
    }

    /** The best baseline is the one with the lowest validation RMSE, not the lowest test RMSE. */
    @Test
    void bestBaselineIsChosenOnValidation() {
        List<ResultRow> rows = List.of(
                new ResultRow("A.stl.random.f0.s0", "A", "s", "t", "stl", "random", 0, 0, 8, 2, 2, 5,
                        new CellResult(2.0, 1, 0.5, 1.0, 3, 1, Map.of()), "fp"),
                new ResultRow("A.kd.random.f0.s0", "A", "s", "t", "kd", "random", 0, 0, 8, 2, 2, 5,
                        new CellResult(1.0, 1, 0.5, 5.0, 3, 1, Map.of()), "fp"),
                new ResultRow("A.gear.random.f0.s0", "A", "s", "t", "gear", "random", 0, 0, 8, 2, 2, 5,
                        new CellResult(1.5, 1, 0.5, 1.5, 3, 1, Map.of()), "fp"));
        Summary.Relative best = Summary.compute(rows).relative().stream().filter(r -> r.baseline().equals(Summary.BEST))
                .findFirst().orElseThrow();
        assertEquals((2.0 - 1.5) / 2.0, best.mean(), 1e-12, "stl (validation 1.0) is chosen, not kd (test 1.0)");
    }

    @Test
    void noGearNoHeadline() {
        Summary.Result s = Summary.compute(ROWS.stream().filter(r -> !r.method().equals("gear")).toList());
        assertTrue(s.relative().isEmpty());
        assertTrue(Summary.markdown(s, 5, 5).contains("No GEAR results"));
    }

    @Test
    void resultsFilesRoundTrip(@TempDir Path dir) throws Exception {
        ResultsFiles.write(dir, ROWS);
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertEquals(8, csv.size());
        assertEquals("A,src (a),tgt (b),stl,random,0,0,80,20,25,500,2.0,1.0,0.5,2.0,3,1.5,,,A.stl.random.f0.s0,0.0,,,,,,,,,,,,,,,", csv.get(1));
        assertEquals("A,src (a),tgt (b),gear,random,0,0,80,20,25,500,1.5,0.75,0.5,1.5,3,1.5,0.25,0.5,A.gear.random.f0.s0,0.0,,,,,,,,,,,,,,,", csv.get(4));
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("results.json").toFile());
        for (int i = 0; i < ROWS.size(); i++) {
            assertEquals(ROWS.get(i), ResultRow.fromJson(json.get(i)));
        }
        ResultsFiles.writeCell(dir.resolve("c"), ROWS.get(3));
        assertEquals(ROWS.get(3), ResultsFiles.readCell(dir.resolve("c")));
    }
}
