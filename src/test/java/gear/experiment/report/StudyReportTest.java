package gear.experiment.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.eval.Metrics;
import gear.experiment.grid.StudyGridFixture;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code gear report} of a grid with the three studies: sections, tables equal to results.json, every image present once. */
class StudyReportTest {
    @TempDir
    static Path tmp;
    static Path dir;
    static RunReport.Summary summary;
    static Document page;
    static JsonNode results;

    @BeforeAll
    static void write() throws Exception {
        StudyGridFixture.run(tmp);
        dir = tmp.resolve("grid");
        summary = RunReport.write(dir, dir.resolve("report.html"));
        page = ReportFixtures.parse(summary.file());
        results = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
    }

    static List<Element> all(Element root, String tag) {
        NodeList nl = root.getElementsByTagNameNS("*", tag);
        List<Element> r = new ArrayList<>();
        for (int i = 0; i < nl.getLength(); i++) {
            r.add((Element) nl.item(i));
        }
        return r;
    }

    static Element section(String id) {
        return all(page.getDocumentElement(), "section").stream().filter(s -> s.getAttribute("id").equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no section " + id + "; sections: " + summary.sections()));
    }

    /** @return the cells of the first body row of the section's {@code index}-th table whose first cells are {@code key} */
    static List<String> row(String section, int index, String... key) {
        Element table = all(section(section), "table").get(index);
        for (Element tr : all(all(table, "tbody").get(0), "tr")) {
            List<String> cells = all(tr, "td").stream().map(Element::getTextContent).toList();
            if (cells.subList(0, key.length).equals(List.of(key))) {
                return cells;
            }
        }
        throw new AssertionError("no row " + List.of(key) + " in " + section);
    }

    static List<JsonNode> rows(Predicate<JsonNode> p) {
        return StudyGridFixture.select(results, p);
    }

    static Predicate<JsonNode> is(String method, String split, double noise) {
        return StudyGridFixture.is(method, split, noise);
    }

    static double[] ms(List<JsonNode> rows, ToDoubleFunction<JsonNode> f) {
        return Metrics.meanStd(rows.stream().mapToDouble(f).toArray());
    }

    static String g6(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    @Test
    void studySectionsAppearWithTablesEqualToResultsJson() {
        assertTrue(summary.sections().containsAll(List.of("Answer", "summary.md", "Label noise", "Extrapolation", "Ablation",
                "Raw cells")), summary.sections().toString());
        List<String> noise = row("label-noise", 0, "demo", "value", "gear-no-map", "0.2");
        double[] m = ms(rows(is("gear-no-map", "value", 0.2)), n -> n.get("test_rmse").asDouble());
        assertEquals(List.of("2", g6(m[0]), g6(m[1])), noise.subList(4, 7));
        assertEquals(m[0], Double.parseDouble(noise.get(5)), 1e-5 * m[0], "the shown mean is results.json's mean");
        List<String> ex = row("extrapolation", 0, "demo", "stl", "scaffold");
        List<JsonNode> sc = rows(is("stl", "scaffold", 0.0));
        double[] in = ms(sc, n -> n.get("test_rmse_in_range").asDouble());
        double[] out = ms(sc, n -> n.get("test_rmse_out_of_range").asDouble());
        assertEquals(g6(in[0]) + " ± " + g6(in[1]), ex.get(5));
        assertEquals(g6(out[0]) + " ± " + g6(out[1]), ex.get(6));
        double share = ms(sc, n -> n.get("n_test_out_of_range").asDouble()
                / (n.get("n_test_in_range").asDouble() + n.get("n_test_out_of_range").asDouble()))[0];
        assertEquals(g6(share), ex.get(7));
        List<String> abl = row("ablation", 0, "demo", "value", "gear-no-curv");
        double gear = ms(rows(is("gear", "value", 0.0)), n -> n.get("test_rmse").asDouble())[0];
        double noCurv = ms(rows(is("gear-no-curv", "value", 0.0)), n -> n.get("test_rmse").asDouble())[0];
        assertEquals(g6((noCurv - gear) / gear), abl.get(5));
        List<String> gap = row("ablation", 1, "demo", "scaffold", "gear");
        double[] last = ms(rows(is("gear", "scaffold", 0.0)),
                n -> n.get("val_rmse_last").asDouble() - n.get("train_rmse_last").asDouble());
        assertEquals(g6(last[0]) + " ± " + g6(last[1]), gap.get(8));
    }

    @Test
    void everyImageIsInlinedOnceAndDecodes() throws Exception {
        List<Element> imgs = all(page.getDocumentElement(), "img");
        assertEquals(ReportFixtures.pngCount(dir), imgs.size());
        assertEquals(imgs.size(), summary.images());
        assertEquals(Integer.toString(imgs.size()), all(page.getDocumentElement(), "body").get(0).getAttribute("data-images-total"));
        Set<String> alts = new HashSet<>();
        for (Element img : imgs) {
            assertTrue(alts.add(img.getAttribute("alt")), "shown once: " + img.getAttribute("alt"));
            String src = img.getAttribute("src");
            assertTrue(src.startsWith("data:image/png;base64,"));
            var image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(src.substring(22))));
            assertNotNull(image, img.getAttribute("alt"));
            assertTrue(image.getWidth() >= 600);
        }
        List<String> noise = all(section("label-noise"), "img").stream().map(e -> e.getAttribute("alt")).toList();
        assertEquals(List.of("noise_demo_value.png", "noise_demo_scaffold.png"), noise);
        List<String> ex = all(section("extrapolation"), "img").stream().map(e -> e.getAttribute("alt")).toList();
        assertEquals(StudyGridFixture.METHODS.stream().map(m -> "extrapolation_demo_" + m + ".png").toList(), ex);
        List<String> abl = all(section("ablation"), "img").stream().map(e -> e.getAttribute("alt")).toList();
        assertEquals(List.of("ablation_demo_value.png", "ablation_gap_demo_value.png", "ablation_demo_scaffold.png",
                "ablation_gap_demo_scaffold.png"), abl);
        List<String> rest = all(section("answer"), "img").stream().map(e -> e.getAttribute("alt")).toList();
        assertEquals(List.of("rmse_scaffold.png", "rmse_value.png", "gear_relative.png"), rest, "the headline figures, with the answer");
    }

    @Test
    void aCleanGridHasNoStudySections(@TempDir Path other) throws Exception {
        Path clean = ReportFixtures.grid(other.resolve("g"), 8);
        RunReport.Summary s = RunReport.write(clean, clean.resolve("report.html"));
        assertFalse(s.sections().contains("Label noise") || s.sections().contains("Extrapolation")
                || s.sections().contains("Ablation"), s.sections().toString());
    }
}
