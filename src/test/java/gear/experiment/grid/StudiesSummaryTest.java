package gear.experiment.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.data.SplitType;
import gear.eval.Metrics;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A grid with all three studies ({@link StudyGridFixture}): summary.md's study sections follow from results.json,
 * every row's in/out-of-range numbers follow from the cell's files, and every study plot is a readable PNG.
 */
class StudiesSummaryTest {
    static final List<String> METHODS = StudyGridFixture.METHODS;
    @TempDir
    static Path dir;
    static Path out;
    static Grid grid;
    static JsonNode json;

    @BeforeAll
    static void run() throws Exception {
        grid = StudyGridFixture.run(dir);
        out = dir.resolve("grid");
        json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
    }

    static List<JsonNode> rows(Predicate<JsonNode> p) {
        return StudyGridFixture.select(json, p);
    }

    static Predicate<JsonNode> is(String method, String split, double noise) {
        return StudyGridFixture.is(method, split, noise);
    }

    static String pm(List<JsonNode> rows, java.util.function.ToDoubleFunction<JsonNode> f) {
        double[] ms = Metrics.meanStd(rows.stream().mapToDouble(f).toArray());
        return Double.isFinite(ms[0]) ? String.format(Locale.ROOT, "%.4g ± %.2g", ms[0], ms[1]) : "n/a";
    }

    /** @return the line of the section that starts with {@code heading} that starts with {@code start} */
    static String line(String md, String heading, String start) {
        return md.substring(md.indexOf(heading)).lines().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + start));
    }

    @Test
    void summaryFollowsFromResultsJson() throws Exception {
        String md = Files.readString(out.resolve("summary.md"));
        List<ResultRow> parsed = new ArrayList<>();
        json.forEach(n -> parsed.add(ResultRow.fromJson(n)));
        assertEquals(Summary.markdown(Summary.compute(parsed), 56, 56, Summary.optionsLine(GridRunTest.gridOptions(out))), md);
        assertTrue(md.contains("## Label noise") && md.contains("## Extrapolation") && md.contains("## Ablation"), md);
        assertTrue(md.contains("(mean ± std over folds and seeds; clean cells only)"), md);
        // numbers recomputed here from the JSON fields alone
        String noise = line(md, "## Label noise", "| demo | value | stl |");
        assertTrue(noise.contains(pm(rows(is("stl", "value", 0.0)), n -> n.get("test_rmse").asDouble()) + " (2)"), noise);
        assertTrue(noise.contains(pm(rows(is("stl", "value", 0.2)), n -> n.get("test_rmse").asDouble()) + " (2)"), noise);
        String ex = line(md, "## Extrapolation", "| demo | gear | value | 2 |");
        List<JsonNode> gv = rows(is("gear", "value", 0.0));
        assertTrue(ex.contains(pm(gv, n -> n.get("test_rmse").asDouble()) + " | n/a | "
                + pm(gv, n -> n.get("test_rmse_out_of_range").asDouble()) + " | 100.0% |"), ex + ": no test value in the training range");
        String exs = line(md, "## Extrapolation", "| demo | gear | scaffold | 2 |");
        List<JsonNode> gs = rows(is("gear", "scaffold", 0.0));
        assertTrue(exs.contains(pm(gs, n -> n.get("test_rmse_in_range").asDouble())), exs);
        String gap = line(md, "### Overfitting", "| demo | scaffold | gear-no-curv | ");
        List<JsonNode> nc = rows(is("gear-no-curv", "scaffold", 0.0));
        assertTrue(gap.contains(pm(nc, n -> n.get("val_rmse_last").asDouble() - n.get("train_rmse_last").asDouble())), gap);
        assertTrue(gap.contains(pm(nc, n -> n.get("val_rmse").asDouble() - n.get("train_rmse").asDouble())), gap);
        // headline: the variants are not baselines
        assertFalse(md.contains("| value | gear-no-curv | +"), md);
        assertTrue(md.contains("| value | best baseline |"), md);
        // extrapolation rows list value and scaffold next to each other, value first
        int v = md.indexOf("| demo | stl | value |", md.indexOf("## Extrapolation"));
        int s = md.indexOf("| demo | stl | scaffold |", md.indexOf("## Extrapolation"));
        assertTrue(v > 0 && s > v && md.substring(v, s).lines().count() == 1, "adjacent rows");
    }

    @Test
    void rowsCarryNoiseAndRangeNumbersOfTheirCells() throws Exception {
        int outOfRange = 0;
        for (JsonNode n : json) {
            CellKey k = CellKey.parse(n.get("cell").asText());
            assertEquals(k.noise(), n.get("noise_fraction").asDouble());
            assertEquals(k.noise() > 0 ? 2.0 : Double.NaN, n.get("noise_sigma").isNull() ? Double.NaN : n.get("noise_sigma").asDouble());
            Cell c = grid.cell(k);
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            gear.data.MoleculeDataset clean = grid.table(c.pair().target());
            for (int i : c.train()) {
                lo = Math.min(lo, clean.target(i, 0));
                hi = Math.max(hi, clean.target(i, 0));
            }
            assertEquals(lo, n.get("train_min").asDouble(), 0.0, "clean training range");
            assertEquals(hi, n.get("train_max").asDouble(), 0.0);
            List<String> lines = Files.readAllLines(out.resolve("cells").resolve(k.id()).resolve("test_predictions.csv"));
            double ssIn = 0;
            double ssOut = 0;
            int nIn = 0;
            int nOut = 0;
            for (String l : lines.subList(1, lines.size())) {
                String[] f = l.split(",");
                double t = Double.parseDouble(f[f.length - 2]);
                double e = Double.parseDouble(f[f.length - 1]) - t;
                if (t >= lo && t <= hi) {
                    ssIn += e * e;
                    nIn++;
                } else {
                    ssOut += e * e;
                    nOut++;
                }
            }
            assertEquals(nIn, n.get("n_test_in_range").asInt());
            assertEquals(nOut, n.get("n_test_out_of_range").asInt());
            assertEquals(nOut == 0 ? Double.NaN : Math.sqrt(ssOut / nOut),
                    n.get("test_rmse_out_of_range").isNull() ? Double.NaN : n.get("test_rmse_out_of_range").asDouble(), 1e-12);
            assertEquals(nIn == 0 ? Double.NaN : Math.sqrt(ssIn / nIn),
                    n.get("test_rmse_in_range").isNull() ? Double.NaN : n.get("test_rmse_in_range").asDouble(), 1e-12);
            if (k.splitType() == SplitType.VALUE) {
                assertTrue(nOut >= lines.size() - 1 - 1, "value split: (nearly) every test molecule is above the training range");
                outOfRange++;
            }
            assertTrue(Double.isFinite(n.get("train_rmse").asDouble()) && Double.isFinite(n.get("train_rmse_last").asDouble()));
        }
        assertEquals(28, outOfRange);
    }

    @Test
    void everyStudyPlotIsAReadablePng() throws Exception {
        List<ResultRow> rows = new ArrayList<>();
        json.forEach(n -> rows.add(ResultRow.fromJson(n)));
        List<String> expected = new ArrayList<>(List.of("noise_demo_value.png", "noise_demo_scaffold.png"));
        METHODS.forEach(m -> expected.add("extrapolation_demo_" + m + ".png"));
        expected.addAll(List.of("ablation_demo_value.png", "ablation_gap_demo_value.png", "ablation_demo_scaffold.png",
                "ablation_gap_demo_scaffold.png"));
        assertEquals(expected, StudyPlots.files(rows, Summary.compute(rows).studies()));
        for (String f : expected) {
            BufferedImage img = ImageIO.read(out.resolve(f).toFile());
            assertTrue(img != null && img.getWidth() >= 600, f);
            if (f.startsWith("extrapolation_")) {
                assertEquals(1000, img.getWidth(), f + ": value and scaffold panels side by side");
            }
        }
        try (Stream<Path> s = Files.list(out)) {
            List<String> pngs = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().toList();
            List<String> all = new ArrayList<>(expected);
            all.addAll(List.of("rmse_value.png", "rmse_scaffold.png", "gear_relative.png"));
            assertEquals(all.stream().sorted().toList(), pngs, "no other files, no temporary files");
        }
    }
}
