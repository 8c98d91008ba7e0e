package gear.experiment.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.data.BadInputException;
import gear.eval.Metrics;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class RunReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<Element> all(Document d, String tag) {
        NodeList nl = d.getElementsByTagNameNS("*", tag);
        List<Element> r = new ArrayList<>();
        for (int i = 0; i < nl.getLength(); i++) {
            r.add((Element) nl.item(i));
        }
        return r;
    }

    private static Element section(Document d, String id) {
        for (Element s : all(d, "section")) {
            if (s.getAttribute("id").equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no section " + id);
    }

    private static List<Element> children(Element e, String tag) {
        NodeList nl = e.getElementsByTagNameNS("*", tag);
        List<Element> r = new ArrayList<>();
        for (int i = 0; i < nl.getLength(); i++) {
            r.add((Element) nl.item(i));
        }
        return r;
    }

    @Test
    void gridPageIsWellFormedSelfContainedAndShowsEveryImage(@TempDir Path tmp) throws Exception {
        Path dir = ReportFixtures.grid(tmp.resolve("grid"), 8);
        RunReport.Summary s = RunReport.write(dir, dir.resolve("report.html"));
        Document d = ReportFixtures.parse(s.file());
        assertEquals("html", d.getDocumentElement().getLocalName());
        List<Element> imgs = all(d, "img");
        assertEquals(ReportFixtures.pngCount(dir), imgs.size());
        assertEquals(4, imgs.size());
        assertEquals(4, s.images());
        assertEquals("4", ((Element) all(d, "body").get(0)).getAttribute("data-images-total"));
        Set<String> fileBytes = new HashSet<>();
        try (Stream<Path> w = Files.walk(dir)) {
            for (Path p : w.filter(p -> p.toString().endsWith(".png")).toList()) {
                fileBytes.add(Base64.getEncoder().encodeToString(Files.readAllBytes(p)));
            }
        }
        for (Element img : imgs) {
            String src = img.getAttribute("src");
            assertTrue(src.startsWith("data:image/png;base64,"), src.substring(0, 30));
            String b64 = src.substring("data:image/png;base64,".length());
            assertTrue(fileBytes.remove(b64), "image equals one PNG file, once: " + img.getAttribute("alt"));
            var image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(b64)));
            assertNotNull(image, img.getAttribute("alt"));
            assertTrue(image.getWidth() > 100);
        }
        // nothing external: every src is a data URI, every link an in-page anchor, no URL anywhere
        for (String attr : List.of("src", "href")) {
            for (String tag : List.of("img", "a", "link", "script")) {
                for (Element e : all(d, tag)) {
                    String v = e.getAttribute(attr);
                    assertTrue(v.isEmpty() || v.startsWith("data:") || v.startsWith("#"), tag + " " + attr + "=" + v);
                }
            }
        }
        assertEquals(0, all(d, "link").size());
        String raw = Files.readString(s.file()).replace("xmlns=\"http://www.w3.org/1999/xhtml\"", "");
        assertFalse(raw.contains("http://") || raw.contains("https://") || raw.contains("//cdn"), "no URLs");
        // the hostile line of summary.md is text, not markup: the only script is the page's own
        assertEquals(1, all(d, "script").size());
        assertEquals(0, all(d, "b").size());
        assertTrue(section(d, "summary-md").getTextContent().contains("<script>alert('x')</script> & <b>not bold</b>"));
        // summary.md rendered: heading, table, lists, inline markup
        Element md = section(d, "summary-md");
        assertEquals(1, children(md, "h3").size());
        assertEquals(1, children(md, "h4").size());
        assertEquals(3, children(md, "tr").size());
        assertEquals(1, children(md, "ul").size());
        assertEquals(1, children(md, "ol").size());
        assertEquals("gear", children(md, "code").get(0).getTextContent());
        assertEquals("test RMSE", children(md, "strong").get(0).getTextContent());
        assertEquals("baselines", children(md, "em").get(0).getTextContent());
        // reproduce and the cells list
        String repro = section(d, "reproduce").getTextContent();
        assertTrue(repro.contains("gear benchmark --pairs 'pairs file.json' --methods stl gear --split-types random "
                + "scaffold --folds 4 --seeds 0 1"), repro);
        assertTrue(repro.contains("gear benchmark --config "), repro);
        assertEquals(3, children(section(d, "grid-cells"), "tr").size());
        assertTrue(s.sections().containsAll(List.of("Reproduce", "Results", "summary.md", "Figures", "Configuration")));
        try (Stream<Path> l = Files.list(dir)) {
            assertEquals(List.of(), l.filter(p -> p.getFileName().toString().contains(".tmp")).toList(), "no temp files");
        }
    }

    @Test
    void numbersInTheResultsTableEqualResultsJson(@TempDir Path tmp) throws Exception {
        Path dir = ReportFixtures.grid(tmp.resolve("grid"), 8);
        Document d = ReportFixtures.parse(RunReport.write(dir, tmp.resolve("out/r.html")).file());
        JsonNode res = JSON.readTree(dir.resolve("results.json").toFile());
        Element table = children(section(d, "results"), "table").get(0);
        List<String> header = children(table, "th").stream().map(Element::getTextContent).toList();
        assertEquals(List.of("pair", "method", "split_type", "fold", "seed", "n_train", "test_rmse", "test_mae", "test_r2"),
                header);
        List<Element> rows = children(children(table, "tbody").get(0), "tr");
        assertEquals(res.size(), rows.size());
        int numbers = 0;
        for (int i = 0; i < rows.size(); i++) {
            List<Element> cells = children(rows.get(i), "td");
            for (int c = 0; c < header.size(); c++) {
                JsonNode v = res.get(i).get(header.get(c));
                String shown = cells.get(c).getTextContent();
                if (v.isNumber()) {
                    assertEquals(v.doubleValue(), Double.parseDouble(shown), 0.0, "row " + i + " " + header.get(c));
                    assertEquals("num", cells.get(c).getAttribute("class"));
                    numbers++;
                } else {
                    assertEquals(v.asText(), shown);
                }
            }
        }
        assertEquals(8 * 6, numbers);
        assertEquals(1.0e-7, Double.parseDouble(children(rows.get(1), "td").get(6).getTextContent()), 0.0);
    }

    @Test
    void longResultTablesAreCappedWithANote(@TempDir Path tmp) throws Exception {
        Path dir = ReportFixtures.grid(tmp.resolve("grid"), 120);
        Document d = ReportFixtures.parse(RunReport.write(dir, dir.resolve("report.html")).file());
        Element results = section(d, "results");
        assertEquals(Tables.DEFAULT_CAP + 2, children(results, "tr").size(), "header + cap + elision row");
        assertTrue(results.getTextContent().contains("120 rows; showing the first 25 and the last 25"));
        assertTrue(results.getTextContent().contains("70 rows not shown"));
        JsonNode res = JSON.readTree(dir.resolve("results.json").toFile());
        List<Element> rows = children(children(results, "tbody").get(0), "tr");
        assertEquals(res.get(119).get("test_rmse").doubleValue(),
                Double.parseDouble(children(rows.get(rows.size() - 1), "td").get(6).getTextContent()), 0.0);
    }

    @Test
    void trainRunPageShowsProvenancePredictionsMetricsAndSplits(@TempDir Path tmp) throws Exception {
        Path dir = ReportFixtures.trainRun(tmp.resolve("run"), 80);
        RunReport.Summary s = RunReport.write(dir, dir.resolve("report.html"));
        Document d = ReportFixtures.parse(s.file());
        assertEquals(2, all(d, "img").size());
        String prov = section(d, "model-provenance").getTextContent();
        assertTrue(prov.contains("1 tensors, 6 parameters"), prov);
        assertTrue(prov.contains("gear-model") && prov.contains("abc123"), prov);
        Metrics.Regression m = Metrics.regression(new double[] {1.25, 3.5}, new double[] {1.5, 3.0});
        String preds = section(d, "test-predictions").getTextContent();
        assertTrue(preds.contains(String.format(java.util.Locale.ROOT, "%.6g", m.rmse())), preds);
        assertEquals(String.format(java.util.Locale.ROOT, "%.6g", Math.sqrt((0.0625 + 0.25) / 2)),
                String.format(java.util.Locale.ROOT, "%.6g", m.rmse()));
        Element metrics = section(d, "metrics-per-epoch");
        assertTrue(metrics.getTextContent().contains("80 rows; showing the first 25 and the last 25"));
        assertTrue(metrics.getTextContent().contains("0.0625"), "5/80, the last epoch's val_rmse");
        String splits = section(d, "splits").getTextContent();
        assertTrue(splits.contains("train8") && splits.contains("val1") && splits.contains("test2"), splits);
        String repro = section(d, "reproduce").getTextContent();
        assertTrue(repro.contains("gear train --data-path 'data/my set.csv' --smiles-column smiles --target-column y "
                + "--epochs 30 --split-sizes 0.8 0.1 0.1 --cache"), repro);
        assertTrue(repro.contains("quiet (false), model"), repro);
        assertFalse(s.sections().contains("Results"));
    }

    @Test
    void resultsJsonAsAnObjectWithARowsArray(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("g"));
        Files.writeString(dir.resolve("results.json"),
                "{\"grid\": \"noise\", \"rows\": [{\"method\": \"gear\", \"test_rmse\": 0.30000000000000004}]}");
        Document d = ReportFixtures.parse(RunReport.write(dir, dir.resolve("report.html")).file());
        List<Element> tables = children(section(d, "results"), "table");
        assertEquals(2, tables.size(), "key/value table of the other fields, then the rows");
        assertTrue(tables.get(0).getTextContent().contains("noise"));
        assertEquals("0.30000000000000004", children(tables.get(1), "td").get(1).getTextContent());
    }

    @Test
    void emptyAndBrokenDirectoriesStillGiveAPage(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        Document d = ReportFixtures.parse(RunReport.write(dir, dir.resolve("report.html")).file());
        assertEquals(0, all(d, "img").size());
        Files.writeString(dir.resolve("config.json"), "{not json");
        Files.writeString(dir.resolve("metrics.csv"), "a,b\n\"unterminated\n");
        Files.write(dir.resolve("fake.png"), new byte[] {1, 2, 3});
        Files.write(dir.resolve("model.gear"), new byte[] {1, 2});
        d = ReportFixtures.parse(RunReport.write(dir, dir.resolve("report.html")).file());
        String text = d.getDocumentElement().getTextContent();
        assertTrue(text.contains("config.json is not valid JSON"), text);
        assertTrue(text.contains("fake.png (not a PNG file)"), text);
        assertTrue(text.contains("not a safetensors file"), text);
        assertThrows(BadInputException.class, () -> RunReport.write(tmp.resolve("missing"), tmp.resolve("r.html")));
    }

    @Test
    void modelHeaderIsReadWithoutTheWeights(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("m.safetensors");
        ReportFixtures.writeModelHeader(f);
        ModelHeader h = ModelHeader.read(f);
        assertEquals("gear-model", h.metadata().get("format"));
        assertEquals(1, h.tensors());
        assertEquals(6, h.parameters());
        byte[] b = Files.readAllBytes(f);
        b[0] = (byte) 0xff;
        Files.write(f, b);
        assertTrue(assertThrows(java.io.IOException.class, () -> ModelHeader.read(f)).getMessage().contains(f.toString()));
    }
}
