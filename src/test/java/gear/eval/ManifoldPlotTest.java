package gear.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** {@link ManifoldPlot}: the colour scales (percentiles, symmetric for signed values, saturation counted) and the layout. */
class ManifoldPlotTest {
    private static ManifoldPlot.Panel panel(double... values) {
        double[] x = new double[values.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        return new ManifoldPlot.Panel("p", x, x.clone(), values);
    }

    @Test
    void sequentialScaleSpansPercentilesOneToNinetyNineAndCountsTheRest() {
        double[] v = new double[101];
        for (int i = 0; i <= 100; i++) {
            v[i] = i; // percentile q of 0..100 is 100 q
        }
        double[] s = ManifoldPlot.scale(new ManifoldPlot.Row("v", false, List.of(panel(v), panel(Double.NaN))));
        assertArrayEquals(new double[] {1, 99, 1, 1}, s, 1e-12);
    }

    @Test
    void divergingScaleIsSymmetricAroundZero() {
        double[] s = ManifoldPlot.scale(new ManifoldPlot.Row("R", true, List.of(panel(-2, -1), panel(-0.5, -0.25))));
        assertEquals(-s[1], s[0], 1e-12);
        assertTrue(s[1] > 1.9 && s[1] <= 2, "99th percentile of |R| in (1.9, 2]: " + s[1]);
    }

    @Test
    void colourMapEnds() {
        assertEquals(new Color(0x440154), ManifoldPlot.colour(new Color[] {new Color(0x440154), new Color(0xFDE725)}, 0));
        assertEquals(new Color(0xFDE725), ManifoldPlot.colour(new Color[] {new Color(0x440154), new Color(0xFDE725)}, 2));
    }

    @Test
    void twoRowsOfTwoPanelsWithAColourBar() throws Exception {
        ManifoldPlot.Panel p = panel(1, 2, 3, Double.NaN);
        byte[] png = ManifoldPlot.png("t", "PC 1", "PC 2", List.of(new ManifoldPlot.Row("R", true, List.of(p, p)),
                new ManifoldPlot.Row("v (K)", false, List.of(p, p))));
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(2 * 500 + 150, img.getWidth());
        assertEquals(44 + 2 * 440, img.getHeight());
    }
}
