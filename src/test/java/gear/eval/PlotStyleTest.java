package gear.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tick patterns of at most four significant digits, one colour per method, and plots that still render. */
class PlotStyleTest {
    static String format(String pattern, double v) {
        return new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT)).format(v);
    }

    static int significant(String label) {
        String digits = label.replace("-", "").replace(".", "").replaceFirst("E.*", "").replaceFirst("^0+", "");
        return digits.length();
    }

    @Test
    void ticksHaveAtMostFourSignificantDigits() {
        // the curvature histogram's axis: before, -1.329121589660645
        assertEquals("-1.33", format(PlotStyle.pattern(-2.6, 0.36), -1.329121589660645));
        assertEquals("0.0125", format(PlotStyle.pattern(0.008, 0.032), 0.0125));
        assertEquals("33.6", format(PlotStyle.pattern(0, 60), 33.6));
        assertEquals("1235", format(PlotStyle.pattern(0, 2000), 1234.567));
        assertEquals("1.235E7", format(PlotStyle.pattern(0, 2e7), 12345678));
        assertEquals("2.5E-5", format(PlotStyle.pattern(0, 5e-5), 2.5e-5));
        double[][] ranges = {{-2.6, 0.36}, {0, 1}, {0.01, 0.03}, {30, 60}, {0, 0.4}, {-4, 16}, {1e-5, 1e-4}, {0, 3e5}};
        for (double[] r : ranges) {
            String p = PlotStyle.pattern(r[0], r[1]);
            for (int k = 0; k <= 20; k++) {
                double v = r[0] + (r[1] - r[0]) * k / 20 * Math.PI / 3.1;
                assertTrue(significant(format(p, v)) <= 4, p + " " + v + " -> " + format(p, v));
            }
        }
    }

    @Test
    void aMethodHasOneColourEverywhere() {
        assertEquals(PlotStyle.color("gear", 0), PlotStyle.color("gear", 5));
        assertEquals(PlotStyle.color("gear", 0), PlotStyle.color("GEAR (test)", 3));
        assertNotEquals(PlotStyle.color("gear", 0), PlotStyle.color("gate", 0));
        assertNotEquals(PlotStyle.color("gear", 0), PlotStyle.color("gear-no-curv", 0));
        assertEquals(PlotStyle.PALETTE[2], PlotStyle.color("something else", 2));
    }

    @Test
    void nicelyBinnedHistogramAndLongCurvesRender(@TempDir Path tmp) throws Exception {
        Map<String, double[]> g = new LinkedHashMap<>();
        g.put("source", new double[] {-1.329121589660645, -1.1, -0.2, 0.3});
        Plots.histogram(tmp.resolve("h.png"), "R", "Ricci scalar R (1 / latent length²)", "molecules (count)", g, 30);
        assertEquals(0.1, Plots.niceWidth(1.629 / 30 * 1.5), 1e-12);
        assertEquals(0.05, Plots.niceWidth(0.0453), 1e-12);
        assertEquals(2.5, Plots.niceWidth(2.1), 1e-12);
        double[] x = new double[40];
        double[] y = new double[40];
        for (int i = 0; i < 40; i++) {
            x[i] = i + 1;
            y[i] = 1.0 / (i + 1);
        }
        Plots.lines(tmp.resolve("l.png"), "curve", "epoch", "RMSE (K)", List.of(new Plots.Series("gear", x, y)), true);
        for (String f : List.of("h.png", "l.png")) {
            BufferedImage img = ImageIO.read(tmp.resolve(f).toFile());
            assertEquals(720, img.getWidth());
        }
    }
}
