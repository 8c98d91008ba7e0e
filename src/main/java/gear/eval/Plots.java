package gear.eval;

import gear.data.AtomicFiles;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * Headless PNG plots (XChart): learning curves, histograms, grouped bars, error bars and scatter plots (parity plots
 * in {@link ParityPlots}), all in the project's one style ({@link PlotStyle}: four-significant-digit ticks, legend below, one palette). Every
 * file is written atomically.
 */
public final class Plots {
    private static final int W = 720;
    static final int H = 540;

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
        double lo = Double.POSITIVE_INFINITY;
        int longest = 0;
        for (Series s : series) {
            XYSeries xy = c.addSeries(s.name(), s.x(), clean(s.y(), logY));
            xy.setMarker(SeriesMarkers.NONE);
            for (double v : s.x()) {
                lo = Math.min(lo, v);
            }
            longest = Math.max(longest, s.x().length);
        }
        if (longest > 12 && Double.isFinite(lo)) {
            // XChart labels every x value of equally spaced data (every epoch: "10111213..." runs together); a
            // hidden point between the first two breaks the equal spacing, and the axis gets round ticks instead
            XYSeries h = c.addSeries(" ", new double[] {lo + 0.5}, new double[] {Double.NaN});
            h.setShowInLegend(false);
            h.setMarker(SeriesMarkers.NONE);
        }
        save(c, png);
    }

    /** Histogram with the given number of equal-width bins over the finite values; y axis "count". */
    public static void histogram(Path png, String title, String xLabel, Map<String, double[]> groups, int bins)
            throws IOException {
        histogram(png, title, xLabel, "count", groups, bins);
    }

    /**
     * Histogram with about the given number of equal-width bins over the finite values (the width rounded up to
     * 1, 2, 2.5 or 5 × 10^k and the first edge to a multiple of it).
     *
     * @param yLabel what is counted (e.g. "test molecules")
     */
    public static void histogram(Path png, String title, String xLabel, String yLabel, Map<String, double[]> groups, int bins)
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
        // bin edges on round numbers (a width of 1, 2, 2.5 or 5 × 10^k), so that the axis ticks fall on them
        double w = niceWidth((hi - lo) / bins);
        lo = Math.floor(lo / w) * w;
        bins = Math.max(1, (int) Math.ceil((hi - lo) / w - 1e-9));
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
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

    /** Grouped bar chart: one group per category, one bar per series (no x-axis title). */
    public static void bars(Path png, String title, String yLabel, List<String> categories, Map<String, double[]> series)
            throws IOException {
        bars(png, title, null, yLabel, categories, series);
    }

    /**
     * Grouped bar chart: one group per category, one bar per series.
     *
     * @param xLabel what the categories are (e.g. "pair"), or null for no x-axis title
     */
    public static void bars(Path png, String title, String xLabel, String yLabel, List<String> categories,
            Map<String, double[]> series) throws IOException {
        CategoryChart c = new CategoryChartBuilder().width(W).height(H).title(title).xAxisTitle(xLabel == null ? "" : xLabel)
                .yAxisTitle(yLabel).build();
        c.getStyler().setXAxisTitleVisible(xLabel != null);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setXAxisLabelRotation(30);
        for (Map.Entry<String, double[]> s : series.entrySet()) {
            c.addSeries(s.getKey(), categories, toList(s.getValue()));
        }
        save(c, png);
    }

    /**
     * A named series of means over x with a spread (e.g. mean ± std of test RMSE over folds and
     * seeds at each noise fraction).
     *
     * @param name legend entry (e.g. the method)
     * @param x the x values (e.g. noise fractions)
     * @param mean the y values
     * @param err half-length of each error bar (e.g. the std); NaN or negative draws none
     */
    public record ErrorSeries(String name, double[] x, double[] mean, double[] err) {
        /** @throws IllegalArgumentException if the arrays differ in length */
        public ErrorSeries {
            if (x.length != mean.length || x.length != err.length) {
                throw new IllegalArgumentException("series '" + name + "': x, mean and err differ in length ("
                        + x.length + ", " + mean.length + ", " + err.length + ")");
            }
        }
    }

    /**
     * Line plot with error bars, one line per series: e.g. clean-test RMSE against the fraction of
     * corrupted training labels, one line per method, bars of ± one std over folds and seeds.
     * Non-finite means are left out of the line; non-finite or negative errors draw no bar.
     */
    public static void errorBars(Path png, String title, String xLabel, String yLabel, List<ErrorSeries> series)
            throws IOException {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setErrorBarsColorSeriesColor(true);
        for (ErrorSeries s : series) {
            int n = 0;
            for (int i = 0; i < s.x().length; i++) {
                n += Double.isFinite(s.x()[i]) && Double.isFinite(s.mean()[i]) ? 1 : 0;
            }
            if (n == 0) {
                continue;
            }
            double[] x = new double[n];
            double[] y = new double[n];
            double[] e = new double[n];
            int k = 0;
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.mean()[i])) {
                    x[k] = s.x()[i];
                    y[k] = s.mean()[i];
                    e[k++] = Double.isFinite(s.err()[i]) && s.err()[i] > 0 ? s.err()[i] : 0;
                }
            }
            c.addSeries(s.name(), x, y, e);
        }
        save(c, png);
    }

    /**
     * Validation curves of several variants (e.g. one per ablated loss term) against epoch
     * 1, 2, …; a thin convenience over {@link #lines}. Curves may have different lengths (early
     * stopping).
     *
     * @param curves variant name → value per epoch, in legend order
     */
    public static void validationCurves(Path png, String title, String yLabel, Map<String, double[]> curves,
            boolean logY) throws IOException {
        List<Series> s = new java.util.ArrayList<>();
        for (Map.Entry<String, double[]> e : curves.entrySet()) {
            double[] x = new double[e.getValue().length];
            for (int i = 0; i < x.length; i++) {
                x[i] = i + 1;
            }
            s.add(new Series(e.getKey(), x, e.getValue()));
        }
        lines(png, title, "epoch", yLabel, s, logY);
    }

    /** @return the smallest of 1, 2, 2.5, 5 × 10^k that is at least {@code raw} (positive) */
    static double niceWidth(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= raw * (1 - 1e-12)) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /**
     * Scatter plot of named groups of points ({@code xy[0]} the x values, {@code xy[1]} the y values; pairs with a
     * non-finite value are skipped), e.g. absolute error against predicted standard deviation.
     */
    public static void scatter(Path png, String title, String xLabel, String yLabel, Map<String, double[][]> groups)
            throws IOException {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(4);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        for (Map.Entry<String, double[][]> g : groups.entrySet()) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int i = 0; i < g.getValue()[0].length; i++) {
                double a = g.getValue()[0][i];
                double b = g.getValue()[1][i];
                if (Double.isFinite(a) && Double.isFinite(b)) {
                    x.add(a);
                    y.add(b);
                }
            }
            if (!x.isEmpty()) {
                c.addSeries(g.getKey(), x, y);
            }
        }
        save(c, png);
    }

    /** @return v with four significant digits */
    static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4g", v);
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

    /** Styles ({@link PlotStyle}) and writes a chart as PNG, atomically. */
    static void save(Chart<?, ?> chart, Path png) throws IOException {
        PlotStyle.apply(chart);
        AtomicFiles.write(png, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }
}
