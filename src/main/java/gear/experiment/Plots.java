package gear.experiment;

import gear.data.AtomicFiles;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Headless PNG plots (XChart): learning curves, parity plots, histograms and grouped bars. Every
 * file is written atomically.
 */
public final class Plots {
    private static final int W = 800;
    private static final int H = 600;

    private Plots() {}

    /** A named series of y values over x. */
    public record Series(String name, double[] x, double[] y) {}

    /**
     * Line plot of several series (e.g. train loss and validation RMSE per epoch).
     *
     * @param logY whether the y axis is logarithmic (all values must be positive)
     */
    public static void lines(Path png, String title, String xLabel, String yLabel, List<Series> series, boolean logY)
            throws IOException {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        c.getStyler().setYAxisLogarithmic(logY);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        for (Series s : series) {
            XYSeries xy = c.addSeries(s.name(), s.x(), clean(s.y(), logY));
            xy.setMarker(SeriesMarkers.NONE);
        }
        save(c, png);
    }

    /** Scatter of predicted against true values with the y = x diagonal; NaN truths are skipped. */
    public static void parity(Path png, String title, String unit, Map<String, double[][]> groups) throws IOException {
        XYChart c = new XYChartBuilder().width(H).height(H).title(title)
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
        save(c, png);
    }

    /** Histogram with the given number of equal-width bins over the finite values. */
    public static void histogram(Path png, String title, String xLabel, Map<String, double[]> groups, int bins)
            throws IOException {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] v : groups.values()) {
            for (double d : v) {
                if (Double.isFinite(d)) {
                    lo = Math.min(lo, d);
                    hi = Math.max(hi, d);
                }
            }
        }
        if (!(lo < hi)) {
            lo = Double.isFinite(lo) ? lo - 0.5 : 0;
            hi = lo + 1;
        }
        double w = (hi - lo) / bins;
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(xLabel).yAxisTitle("count").build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        for (Map.Entry<String, double[]> g : groups.entrySet()) {
            double[] counts = new double[bins + 1];
            for (double d : g.getValue()) {
                if (Double.isFinite(d)) {
                    counts[Math.min(bins - 1, (int) ((d - lo) / w))]++;
                }
            }
            counts[bins] = counts[bins - 1];
            double[] x = new double[bins + 1];
            for (int i = 0; i <= bins; i++) {
                x[i] = lo + i * w;
            }
            c.addSeries(g.getKey(), x, counts).setMarker(SeriesMarkers.NONE);
        }
        save(c, png);
    }

    /** Grouped bar chart: one group per category, one bar per series. */
    public static void bars(Path png, String title, String yLabel, List<String> categories, Map<String, double[]> series)
            throws IOException {
        CategoryChart c = new CategoryChartBuilder().width(W).height(H).title(title).yAxisTitle(yLabel).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setXAxisLabelRotation(30);
        for (Map.Entry<String, double[]> s : series.entrySet()) {
            c.addSeries(s.getKey(), categories, toList(s.getValue()));
        }
        save(c, png);
    }

    private static List<Double> toList(double[] v) {
        Double[] d = new Double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = Double.isFinite(v[i]) ? v[i] : 0.0;
        }
        return List.of(d);
    }

    private static double[] clean(double[] y, boolean logY) {
        double[] c = y.clone();
        for (int i = 0; i < c.length; i++) {
            if (!Double.isFinite(c[i]) || (logY && c[i] <= 0)) {
                c[i] = Double.NaN;
            }
        }
        return c;
    }

    private static void save(Chart<?, ?> chart, Path png) throws IOException {
        AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }
}
