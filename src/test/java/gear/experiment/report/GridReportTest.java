package gear.experiment.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The report of a 100-cell grid leads with the answer, stays small and keeps the raw cells last and collapsed. */
class GridReportTest {

    @Test
    void leadsWithTheAnswerAndStaysSmall(@TempDir Path tmp) throws Exception {
        Path dir = GridReportFixture.write(tmp.resolve("grid"));
        RunReport.Summary s = RunReport.write(dir, dir.resolve("report.html"));
        String keep = System.getProperty("gear.report.keep"); // to look at the page: -Dgear.report.keep=DIR
        if (keep != null) {
            Files.createDirectories(Path.of(keep));
            Files.copy(s.file(), Path.of(keep, "grid-report.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        long size = Files.size(s.file());
        assertTrue(size < 2_000_000, "a 100-cell grid's report is under 2 MB: " + size);
        assertEquals(List.of("Answer", "Per-pair detail", "Convergence", "Ablation", "Data sets", "Reproduce", "summary.md", "Configuration", "Raw cells"),
                s.sections());
        assertEquals(3, s.images(), "the headline plots only (rmse_random, rmse_scaffold, gear_relative); no ablation plots without metrics");
        Document d = ReportFixtures.parse(s.file());
        Element answer = byId(d, "answer");
        NodeList tables = answer.getElementsByTagName("table");
        assertEquals(3, tables.getLength(), "a pivot table per split, then the statistics");
        Element pivot = (Element) tables.item(0);
        NodeList head = pivot.getElementsByTagName("th");
        assertEquals("pair", head.item(0).getTextContent());
        assertEquals(1 + GridReportFixture.METHODS.size(), head.getLength(), "pairs as rows, methods as columns");
        NodeList trs = pivot.getElementsByTagName("tr");
        assertEquals(6, trs.getLength(), "header + 5 pairs");
        for (int i = 1; i < trs.getLength(); i++) {
            assertEquals(1, ((Element) trs.item(i)).getElementsByTagName("strong").getLength(), "one best per row");
        }
        String stats = tables.item(2).getTextContent();
        assertTrue(stats.contains("at least") && stats.contains("best baseline on validation") && stats.contains("gear-no-curv"), stats);
        String ds = byId(d, "data-sets").getTextContent();
        assertTrue(ds.contains("tb-tc_target_measurements.csv (value)"), ds);
        assertFalse(ds.contains(GridReportFixture.DATA_DIR), "full paths only in tooltips");
        NodeList spans = byId(d, "data-sets").getElementsByTagName("span");
        assertTrue(((Element) spans.item(0)).getAttribute("title").startsWith(GridReportFixture.DATA_DIR));
        Element raw = byId(d, "raw-cells");
        assertEquals(1, raw.getElementsByTagName("details").getLength(), "collapsed");
        assertEquals(100 * 3, raw.getElementsByTagName("a").getLength(), "links to each cell's three plots");
        String repro = byId(d, "reproduce").getTextContent();
        assertTrue(repro.contains("gear benchmark --pairs " + dir.resolve("config.json") + " --methods stl,finetune,gate,gear,gear-no-curv "
                + "--split-types random,scaffold --folds 4 --max-folds 1 --test-fraction 0.2 --seeds 0,1"), repro);
        assertTrue(repro.contains("--set pretrain_epochs=3 --workers 2 --isolation process -o " + dir + "-rerun"), repro);
        assertTrue(repro.contains("--summary-only -o " + dir), repro);
        assertFalse(repro.contains("--runner"), "the default runner is not repeated");
    }

    static Element byId(Document d, String id) {
        NodeList all = d.getElementsByTagName("section");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.getAttribute("id").equals(id)) {
                return e;
            }
        }
        throw new AssertionError("no section " + id);
    }
}
