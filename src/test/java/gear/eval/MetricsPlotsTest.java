package gear.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsPlotsTest {

    @Test
    void regressionMetricsByHandAndMissingSkipped() {
        // errors 1, -1, 2 over truths 1, 2, 3 (mean 2): sse 6, sae 4, sst 2
        Metrics.Regression r = Metrics.regression(new double[] {2, 1, 5, 99}, new double[] {1, 2, 3, Double.NaN});
        assertEquals(3, r.n());
        assertEquals(Math.sqrt(2), r.rmse(), 1e-12);
        assertEquals(4.0 / 3, r.mae(), 1e-12);
        assertEquals(1 - 6.0 / 2, r.r2(), 1e-12);
        double[] ms = Metrics.meanStd(new double[] {1, 2, 3, Double.NaN});
        assertEquals(2, ms[0], 1e-12);
        assertEquals(1, ms[1], 1e-12);
    }

    @Test
    void plotsAreReadablePngs(@TempDir Path dir) throws Exception {
        Plots.lines(dir.resolve("lc.png"), "curve", "epoch", "loss",
                List.of(new Plots.Series("train", new double[] {1, 2, 3}, new double[] {1, 0.5, 0.25})), true);
        ParityPlots.parity(dir.resolve("p.png"), "parity", "K",
                Map.of("test", new double[][] {{1, 2, 3, Double.NaN}, {1.1, 1.9, 3.2, 0}}));
        Plots.histogram(dir.resolve("h.png"), "R", "R", Map.of("source", new double[] {0.1, 0.2, 0.2, Double.NaN}), 10);
        Plots.bars(dir.resolve("b.png"), "rmse", "RMSE", List.of("a", "b"), Map.of("stl", new double[] {1, 2}));
        for (String f : new String[] {"lc.png", "p.png", "h.png", "b.png"}) {
            var img = ImageIO.read(dir.resolve(f).toFile());
            assertTrue(img != null && img.getWidth() > 100, f);
        }
        try (var s = Files.list(dir)) {
            assertEquals(4, s.count(), "no temporary files left behind");
        }
    }
}
