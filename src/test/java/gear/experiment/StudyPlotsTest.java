package gear.experiment;

import gear.eval.Metrics;
import gear.eval.ParityPlots;
import gear.eval.Plots;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plots added for the noise, extrapolation and ablation studies. */
class StudyPlotsTest {

    @Test
    void splitByThresholdPartitionsOnTheTruthAndDropsNaN() {
        double[] t = {1, 5, 3, Double.NaN, 3.5, 10};
        double[] p = {1.1, 4, 2.9, 7, 3.0, 6};
        Map<String, double[][]> g = ParityPlots.splitByThreshold(t, p, 3.0, "in", "out");
        assertEquals(List.of("in", "out"), List.copyOf(g.keySet()));
        assertArrayEquals(new double[] {1, 3}, g.get("in")[0]);
        assertArrayEquals(new double[] {1.1, 2.9}, g.get("in")[1]);
        assertArrayEquals(new double[] {5, 3.5, 10}, g.get("out")[0]);
        assertArrayEquals(new double[] {4, 3.0, 6}, g.get("out")[1]);
        assertThrows(IllegalArgumentException.class, () -> ParityPlots.splitByThreshold(t, new double[2], 0, "a", "b"));
    }

    @Test
    void splitByRangeKeepsTheClosedIntervalInRange(@TempDir Path dir) throws Exception {
        double[] t = {1, 2, 3, Double.NaN, 4, 0.5};
        double[] p = {1.5, 2.5, 3.5, 9, 4.5, 0.4};
        Map<String, double[][]> g = ParityPlots.splitByRange(t, p, 1, 3, "in", "out");
        assertArrayEquals(new double[] {1, 2, 3}, g.get("in")[0]);
        assertArrayEquals(new double[] {1.5, 2.5, 3.5}, g.get("in")[1]);
        assertArrayEquals(new double[] {4, 0.5}, g.get("out")[0]);
        assertArrayEquals(new double[] {4.5, 0.4}, g.get("out")[1]);
        ParityPlots.parityPanels(dir.resolve("panels.png"), "two panels", "K",
                List.of(new ParityPlots.Panel("value", g), new ParityPlots.Panel("scaffold", ParityPlots.splitByRange(t, p, 0, 5, "in", "out"))));
        var img = ImageIO.read(dir.resolve("panels.png").toFile());
        assertEquals(1000, img.getWidth());
        assertEquals(540, img.getHeight());
        assertThrows(IllegalArgumentException.class, () -> ParityPlots.parityPanels(dir.resolve("x.png"), "t", "K", List.of()));
    }

    @Test
    void studyPlotsAreReadablePngs(@TempDir Path dir) throws Exception {
        double[] f = {0, 0.1, 0.2, 0.4};
        Plots.errorBars(dir.resolve("noise.png"), "RMSE vs label noise", "fraction corrupted", "test RMSE", List.of(
                new Plots.ErrorSeries("stl", f, new double[] {1, 1.2, 1.5, 2.1}, new double[] {0.1, 0.1, Double.NaN, 0.3}),
                new Plots.ErrorSeries("gear", f, new double[] {0.9, 1.0, Double.NaN, 1.6}, new double[] {0.05, 0.1, 0.1, 0.2})));
        ParityPlots.parityByThreshold(dir.resolve("extrap.png"), "value extrapolation", "K",
                new double[] {1, 2, 3, 4, 5}, new double[] {1.2, 2.1, 2.8, 3.5, 4.1}, 3.5);
        Map<String, double[]> curves = new LinkedHashMap<>();
        curves.put("full", new double[] {1, 0.8, 0.7, 0.65});
        curves.put("no metric loss", new double[] {1, 0.9, 0.85});
        Plots.validationCurves(dir.resolve("ablation.png"), "validation RMSE", "RMSE", curves, false);
        for (String name : new String[] {"noise.png", "extrap.png", "ablation.png"}) {
            var img = ImageIO.read(dir.resolve(name).toFile());
            assertTrue(img != null && img.getWidth() > 100, name);
        }
        try (var s = Files.list(dir)) {
            assertEquals(3, s.count(), "no temporary files left behind");
        }
        assertThrows(IllegalArgumentException.class,
                () -> new Plots.ErrorSeries("x", new double[2], new double[2], new double[1]));
    }
}
