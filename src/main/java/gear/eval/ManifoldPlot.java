package gear.eval;

import gear.data.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Scatter panels of 2-D points coloured by a value, in rows that share a colour scale and a colour bar: the picture
 * of the latent manifolds (rows: colourings, e.g. by the Ricci scalar and by the target value; columns: source |
 * target). All panels share the x and y ranges, so that positions can be compared across panels. Points without a
 * colour value (NaN: e.g. a singular metric) are drawn black. Ticks, fonts and the look are {@link PlotStyle}'s.
 *
 * <p>Colour maps: a sequential one (viridis: S. van der Walt and N. Smith, matplotlib, 2015) for values, and a
 * diverging one centred on 0 (coolwarm: K. Moreland, "Diverging color maps for scientific visualization", ISVC 2009)
 * for signed quantities such as curvature, whose range is then symmetric. The scale spans the 1st to 99th percentile
 * (diverging: ±99th percentile of |v|); values beyond saturate at the ends, and the colour bar says so.
 */
public final class ManifoldPlot {
    private static final int PANEL_W = 500;
    private static final int PANEL_H = 440;
    private static final int BAR_W = 150;
    private static final int TOP = 44;
    private static final int LEVELS = 48;
    private static final Color NO_VALUE = Color.BLACK;
    private static final Color[] VIRIDIS = {new Color(0x440154), new Color(0x3B528B), new Color(0x21918C),
        new Color(0x5EC962), new Color(0xFDE725)};
    private static final Color[] COOLWARM = {new Color(0x3B4CC0), new Color(0x8DB0FE), new Color(0xDDDDDD),
        new Color(0xF49A7B), new Color(0xB40426)};

    private ManifoldPlot() {}

    /** One scatter panel: a title and the points (x, y) with their colour values (NaN: no value). */
    public record Panel(String title, double[] x, double[] y, double[] value) {
        /** @throws IllegalArgumentException if the arrays differ in length */
        public Panel {
            if (x.length != y.length || x.length != value.length) {
                throw new IllegalArgumentException("panel '" + title + "': x, y and value differ in length");
            }
        }
    }

    /**
     * A row of panels with one colour scale.
     *
     * @param colourLabel what the colour means, with its unit (the colour bar's title)
     * @param diverging whether the value is signed (diverging map, symmetric range around 0)
     */
    public record Row(String colourLabel, boolean diverging, List<Panel> panels) {}

    /**
     * Writes the picture as PNG atomically.
     *
     * @param xLabel x-axis title (e.g. "PC 1 of M (62.1 % of variance)")
     */
    public static void write(Path png, String title, String xLabel, String yLabel, List<Row> rows) throws IOException {
        AtomicFiles.write(png, png(title, xLabel, yLabel, rows));
    }

    /** @return the picture as PNG bytes */
    public static byte[] png(String title, String xLabel, String yLabel, List<Row> rows) throws IOException {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no rows to draw");
        }
        int cols = rows.stream().mapToInt(r -> r.panels().size()).max().orElse(1);
        double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
        for (Row r : rows) {
            for (Panel p : r.panels()) {
                for (int i = 0; i < p.x().length; i++) {
                    range[0] = Math.min(range[0], p.x()[i]);
                    range[1] = Math.max(range[1], p.x()[i]);
                    range[2] = Math.min(range[2], p.y()[i]);
                    range[3] = Math.max(range[3], p.y()[i]);
                }
            }
        }
        pad(range, 0);
        pad(range, 2);
        BufferedImage img = new BufferedImage(cols * PANEL_W + BAR_W, TOP + rows.size() * PANEL_H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            int w = g.getFontMetrics().stringWidth(title);
            g.drawString(title, Math.max(8, (img.getWidth() - w) / 2), 29);
            for (int r = 0; r < rows.size(); r++) {
                Row row = rows.get(r);
                double[] scale = scale(row);
                for (int c = 0; c < row.panels().size(); c++) {
                    XYChart chart = chart(row.panels().get(c), row.diverging(), scale, range, xLabel, yLabel);
                    g.drawImage(BitmapEncoder.getBufferedImage(chart), c * PANEL_W, TOP + r * PANEL_H, null);
                }
                colourBar(g, cols * PANEL_W, TOP + r * PANEL_H, row, scale);
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", bytes)) {
            throw new IOException("no PNG writer");
        }
        return bytes.toByteArray();
    }

    private static void pad(double[] r, int at) {
        if (!(r[at] < r[at + 1])) {
            double mid = Double.isFinite(r[at]) ? r[at] : 0;
            r[at] = mid - 1;
            r[at + 1] = mid + 1;
        }
        double m = 0.04 * (r[at + 1] - r[at]);
        r[at] -= m;
        r[at + 1] += m;
    }

    /**
     * The colour scale of a row: {lo, hi, clippedLow, clippedHigh} (the counts of values beyond it).
     *
     * @return percentiles 1 and 99 of the finite values (diverging: ±the 99th percentile of |v|)
     */
    static double[] scale(Row row) {
        List<Double> v = new ArrayList<>();
        for (Panel p : row.panels()) {
            for (double d : p.value()) {
                if (Double.isFinite(d)) {
                    v.add(row.diverging() ? Math.abs(d) : d);
                }
            }
        }
        if (v.isEmpty()) {
            return new double[] {-1, 1, 0, 0};
        }
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double lo;
        double hi;
        if (row.diverging()) {
            hi = percentile(s, 0.99);
            hi = hi > 0 ? hi : 1;
            lo = -hi;
        } else {
            lo = percentile(s, 0.01);
            hi = percentile(s, 0.99);
            if (!(lo < hi)) {
                lo -= 0.5;
                hi += 0.5;
            }
        }
        int below = 0;
        int above = 0;
        for (Panel p : row.panels()) {
            for (double d : p.value()) {
                below += d < lo ? 1 : 0;
                above += d > hi ? 1 : 0;
            }
        }
        return new double[] {lo, hi, below, above};
    }

    private static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(sorted.length - 1, i + 1);
        return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }

    /** @return the colour of {@code t} ∈ [0, 1] on a map given by equally spaced anchors */
    static Color colour(Color[] map, double t) {
        double u = Math.max(0, Math.min(1, t)) * (map.length - 1);
        int i = Math.min(map.length - 2, (int) Math.floor(u));
        double f = u - i;
        Color a = map[i];
        Color b = map[i + 1];
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }

    private static XYChart chart(Panel p, boolean diverging, double[] scale, double[] range, String xLabel, String yLabel) {
        XYChart c = new XYChartBuilder().width(PANEL_W).height(PANEL_H).title(p.title()).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(6);
        // points binned into colour levels, one series each (XChart colours by series), plus one for "no value"
        List<List<Integer>> bins = new ArrayList<>();
        for (int k = 0; k <= LEVELS; k++) {
            bins.add(new ArrayList<>());
        }
        for (int i = 0; i < p.x().length; i++) {
            double v = p.value()[i];
            int k = Double.isFinite(v) ? (int) Math.min(LEVELS - 1, Math.max(0,
                    Math.floor((v - scale[0]) / (scale[1] - scale[0]) * LEVELS))) : LEVELS;
            bins.get(k).add(i);
        }
        List<Color> colours = new ArrayList<>();
        for (int k = 0; k <= LEVELS; k++) {
            List<Integer> idx = bins.get(k);
            if (idx.isEmpty()) {
                continue;
            }
            double[] x = new double[idx.size()];
            double[] y = new double[idx.size()];
            for (int j = 0; j < x.length; j++) {
                x[j] = p.x()[idx.get(j)];
                y[j] = p.y()[idx.get(j)];
            }
            XYSeries s = c.addSeries("level " + k, x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            colours.add(k == LEVELS ? NO_VALUE : colour(diverging ? COOLWARM : VIRIDIS, (k + 0.5) / LEVELS));
        }
        if (colours.isEmpty()) { // XChart needs a series to draw the axes
            c.addSeries("none", new double[] {range[0]}, new double[] {range[2]}).setMarker(SeriesMarkers.NONE);
            colours.add(Color.WHITE);
        }
        c.getStyler().setXAxisMin(range[0]).setXAxisMax(range[1]).setYAxisMin(range[2]).setYAxisMax(range[3]);
        PlotStyle.apply(c);
        c.getStyler().setXAxisDecimalPattern(PlotStyle.pattern(range[0], range[1]));
        c.getStyler().setYAxisDecimalPattern(PlotStyle.pattern(range[2], range[3]));
        c.getStyler().setLegendVisible(false);
        c.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        int k = 0;
        for (XYSeries s : c.getSeriesMap().values()) {
            s.setMarkerColor(colours.get(k++));
        }
        return c;
    }

    /** The colour bar of a row: gradient, ticks on round numbers, the label turned upright, the clipping noted. */
    private static void colourBar(Graphics2D g, int x0, int y0, Row row, double[] scale) {
        Color[] map = row.diverging() ? COOLWARM : VIRIDIS;
        int top = y0 + 60;
        int h = PANEL_H - 150;
        int bx = x0 + 10;
        int bw = 22;
        for (int j = 0; j < h; j++) {
            g.setColor(colour(map, 1 - (j + 0.5) / h));
            g.fillRect(bx, top + j, bw, 1);
        }
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(bx, top, bw, h);
        double lo = scale[0];
        double hi = scale[1];
        double step = Plots.niceWidth((hi - lo) / 5);
        DecimalFormat f = new DecimalFormat(PlotStyle.pattern(lo, hi), DecimalFormatSymbols.getInstance(Locale.ROOT));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        FontMetrics fm = g.getFontMetrics();
        for (double t = Math.ceil(lo / step - 1e-9) * step; t <= hi + 1e-9 * step; t += step) {
            int y = top + (int) Math.round((hi - t) / (hi - lo) * h);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(bx + bw, y, bx + bw + 5, y);
            g.setColor(Color.BLACK);
            String s = f.format(Math.abs(t) < 1e-12 * step ? 0 : t);
            g.drawString(s, bx + bw + 8, y + fm.getAscent() / 2 - 1);
        }
        // the label, upright along the bar's right side
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        AffineTransform keep = g.getTransform();
        g.translate(x0 + BAR_W - 14, top + h / 2.0);
        g.rotate(-Math.PI / 2);
        String label = fit(g, row.colourLabel(), PANEL_H - 40);
        g.setColor(Color.BLACK);
        g.drawString(label, -g.getFontMetrics().stringWidth(label) / 2, 0);
        g.setTransform(keep);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.DARK_GRAY);
        List<String> notes = new ArrayList<>();
        if (scale[3] > 0) {
            notes.add((int) scale[3] + " above");
        }
        if (scale[2] > 0) {
            notes.add((int) scale[2] + " below");
        }
        int y = top + h + 22;
        if (!notes.isEmpty()) {
            g.drawString("saturated:", bx, y);
            g.drawString(String.join(", ", notes), bx, y + 15);
            y += 30;
        }
        boolean missing = row.panels().stream().anyMatch(p -> Arrays.stream(p.value()).anyMatch(Double::isNaN));
        if (missing) {
            g.setColor(NO_VALUE);
            g.fillOval(bx, y - 9, 9, 9);
            g.setColor(Color.DARK_GRAY);
            g.drawString("no value", bx + 14, y);
        }
    }

    private static String fit(Graphics2D g, String s, int width) {
        if (g.getFontMetrics().stringWidth(s) <= width) {
            return s;
        }
        String t = s;
        while (t.length() > 4 && g.getFontMetrics().stringWidth(t + "…") > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t + "…";
    }
}
