package gear.eval;

import gear.data.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Parity plots (predicted against true values with the y = x diagonal) in the style of {@link Plots}: one chart, panels
 * side by side, and the groups of an extrapolation plot (in / out of the training range). Every file is written
 * atomically.
 */
public final class ParityPlots {
    private ParityPlots() {}

    /** Scatter of predicted against true values with the y = x diagonal; NaN truths are skipped. */
    public static void parity(Path png, String title, String unit, Map<String, double[][]> groups) throws IOException {
        Plots.save(parityChart(title, unit, groups, Plots.H), png);
    }

    /**
     * One panel of {@link #parityPanels}.
     *
     * @param title panel title
     * @param groups legend name → {truths, predictions} (as for {@link #parity})
     */
    public record Panel(String title, Map<String, double[][]> groups) {}

    /**
     * Parity plots side by side in one PNG, with a common title above (e.g. one method's test predictions
     * on the value split and on the scaffold split, coloured in range / out of range). Each panel is
     * {@link #parity}'s chart at 500 × 500 pixels.
     *
     * @throws IllegalArgumentException without panels
     */
    public static void parityPanels(Path png, String title, String unit, List<Panel> panels) throws IOException {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("no panels for " + png);
        }
        int side = 500;
        int top = 40;
        BufferedImage img = new BufferedImage(side * panels.size(), side + top, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            int w = g.getFontMetrics().stringWidth(title);
            g.drawString(title, Math.max(8, (img.getWidth() - w) / 2), 26);
            for (int i = 0; i < panels.size(); i++) {
                Panel p = panels.get(i);
                g.drawImage(BitmapEncoder.getBufferedImage(parityChart(p.title(), unit, p.groups(), side)), i * side, top, null);
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", bytes)) {
            throw new IOException("no PNG writer for " + png);
        }
        AtomicFiles.write(png, bytes.toByteArray());
    }

    private static XYChart parityChart(String title, String unit, Map<String, double[][]> groups, int side) {
        XYChart c = new XYChartBuilder().width(side).height(side).title(title)
                .xAxisTitle("true " + unit).yAxisTitle("predicted " + unit).build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(4);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, double[][]> g : groups.entrySet()) {
            double[][] tp = g.getValue();
            int n = 0;
            for (double t : tp[0]) {
                n += Double.isNaN(t) ? 0 : 1;
            }
            double[] x = new double[n];
            double[] y = new double[n];
            int k = 0;
            for (int i = 0; i < tp[0].length; i++) {
                if (!Double.isNaN(tp[0][i])) {
                    x[k] = tp[0][i];
                    y[k++] = tp[1][i];
                    lo = Math.min(lo, Math.min(tp[0][i], tp[1][i]));
                    hi = Math.max(hi, Math.max(tp[0][i], tp[1][i]));
                }
            }
            if (n > 0) {
                c.addSeries(g.getKey(), x, y);
            }
        }
        if (lo < hi) {
            XYSeries d = c.addSeries("y = x", new double[] {lo, hi}, new double[] {lo, hi});
            d.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            d.setMarker(SeriesMarkers.NONE);
            d.setLineColor(Color.GRAY);
        }
        PlotStyle.apply(c);
        // points lie along the diagonal: the upper-left corner is free for the legend
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        c.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Vertical);
        return c;
    }

    /**
     * Splits (truth, prediction) pairs into the two groups of an extrapolation parity plot: rows whose
     * true value is at most {@code threshold} ("in range", e.g. the training range of a value split)
     * and rows above it ("out of range"). NaN truths are dropped. The result is ready for
     * {@link #parity(Path, String, String, Map)}; a group with no rows is still present (empty).
     *
     * @param inName legend name of the {@code truth ≤ threshold} group
     * @param outName legend name of the {@code truth > threshold} group
     * @return ordered map name → {truths, predictions}
     */
    public static Map<String, double[][]> splitByThreshold(double[] truth, double[] predicted, double threshold,
            String inName, String outName) {
        return splitByRange(truth, predicted, Double.NEGATIVE_INFINITY, threshold, inName, outName);
    }

    /**
     * Splits (truth, prediction) pairs by whether the true value lies in {@code [lo, hi]} (e.g. the
     * range of the training values: "in range") or outside it ("out of range"). NaN truths are dropped;
     * both groups are present, possibly empty.
     *
     * @return ordered map {@code inName, outName} → {truths, predictions}
     */
    public static Map<String, double[][]> splitByRange(double[] truth, double[] predicted, double lo, double hi,
            String inName, String outName) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException("truth and predictions differ in length (" + truth.length + ", "
                    + predicted.length + ")");
        }
        int nin = 0;
        int nout = 0;
        for (double t : truth) {
            if (!Double.isNaN(t)) {
                boolean in = t >= lo && t <= hi;
                nin += in ? 1 : 0;
                nout += in ? 0 : 1;
            }
        }
        double[][] in = new double[2][nin];
        double[][] out = new double[2][nout];
        int a = 0;
        int b = 0;
        for (int i = 0; i < truth.length; i++) {
            if (Double.isNaN(truth[i])) {
                continue;
            }
            if (truth[i] >= lo && truth[i] <= hi) {
                in[0][a] = truth[i];
                in[1][a++] = predicted[i];
            } else {
                out[0][b] = truth[i];
                out[1][b++] = predicted[i];
            }
        }
        Map<String, double[][]> m = new java.util.LinkedHashMap<>();
        m.put(inName, in);
        m.put(outName, out);
        return m;
    }

    /**
     * Parity plot coloured by extrapolation: points with true value ≤ {@code threshold} are "in
     * training range", the others "out of range" (see {@link #splitByThreshold}).
     */
    public static void parityByThreshold(Path png, String title, String unit, double[] truth, double[] predicted,
            double threshold) throws IOException {
        parity(png, title, unit, splitByThreshold(truth, predicted, threshold,
                "in training range (true <= " + Plots.fmt(threshold) + ")", "out of range (true > " + Plots.fmt(threshold) + ")"));
    }
}
