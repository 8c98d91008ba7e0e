package gear.eval;

import java.awt.Color;
import java.awt.Font;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.internal.series.AxesChartSeries;
import org.knowm.xchart.internal.series.MarkerSeries;
import org.knowm.xchart.internal.series.Series;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/**
 * The one look of every plot of the project: readable fonts at the size the report shows them, tick labels
 * of at most four significant digits, the legend below the plot, and one palette in which a method (or a
 * task, or a split type) has the same colour in every figure.
 *
 * <p>The palette is Okabe and Ito's colour-blind-safe set (B. Wong, "Points of view: Color blindness",
 * Nature Methods 8, 441 (2011)) plus grey; GEAR is vermillion, its ablation variants darker shades of it.
 */
public final class PlotStyle {
    /** Okabe–Ito colours in the order given to series without a fixed colour. */
    public static final Color[] PALETTE = {new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xE69F00),
        new Color(0xCC79A7), new Color(0x56B4E9), new Color(0x7F7F7F), new Color(0x000000)};
    private static final Map<String, Color> FIXED = new LinkedHashMap<>();
    /** Legend text (names plus symbol room, in characters) that fits one row under a 720-pixel plot. */
    static final int LEGEND_ROW_CHARS = 60;

    static {
        FIXED.put("stl", new Color(0x7F7F7F));
        FIXED.put("mtl", new Color(0x56B4E9));
        FIXED.put("finetune", new Color(0xE69F00));
        FIXED.put("kd", new Color(0xCC79A7));
        FIXED.put("gspkd", new Color(0x009E73));
        FIXED.put("gate", new Color(0x0072B2));
        FIXED.put("gear", new Color(0xD55E00));
        FIXED.put("gear-no-curv", new Color(0x8C3B00));
        FIXED.put("gear-no-auto", new Color(0xF4A582));
        FIXED.put("gear-no-cons", new Color(0xB2182B));
        FIXED.put("gear-no-map", new Color(0x6A3D9A));
        FIXED.put("gear-no-metric", new Color(0x000000));
        FIXED.put("source", new Color(0x0072B2));
        FIXED.put("target", new Color(0xD55E00));
        FIXED.put("random", new Color(0x0072B2));
        FIXED.put("scaffold", new Color(0xE69F00));
        FIXED.put("value", new Color(0x009E73));
        FIXED.put("y = x", new Color(0x7F7F7F));
        FIXED.put("in", new Color(0x0072B2)); // "in training range (n)" of the extrapolation plots
        FIXED.put("out", new Color(0xD55E00)); // "out of range (n)"
    }

    private PlotStyle() {}

    /**
     * The colour of a series: the fixed colour of a method, task or split type named by the series (or by its
     * first word), else the next palette colour.
     *
     * @param name the series name
     * @param index the series' position among those without a fixed colour
     */
    public static Color color(String name, int index) {
        Color c = fixed(name);
        return c != null ? c : PALETTE[Math.floorMod(index, PALETTE.length)];
    }

    /** @return the fixed colour of the name or of its first word, or null */
    static Color fixed(String name) {
        String key = name.toLowerCase(Locale.ROOT).trim();
        Color c = FIXED.get(key);
        if (c == null && key.contains(" ")) {
            c = FIXED.get(key.substring(0, key.indexOf(' ')));
        }
        return c;
    }

    /**
     * The decimal pattern of an axis whose values span {@code [min, max]}: at most four significant digits for the
     * largest magnitude, and no more decimals than the tick spacing (about a tenth of the span) needs; trailing
     * zeros are not printed ({@code -1.329121589660645} on an axis from −2.6 to 0.36 prints as {@code -1.33}).
     * Scientific notation below 1e-4 and from 1e5 on.
     */
    public static String pattern(double min, double max) {
        double big = Math.max(Math.abs(min), Math.abs(max));
        if (!Double.isFinite(big) || big == 0) {
            return "0.###";
        }
        if (big < 1e-4 || big >= 1e5) {
            return "0.###E0";
        }
        int sig = 3 - (int) Math.floor(Math.log10(big));
        double span = max - min;
        int step = span > 0 && Double.isFinite(span) ? 2 - (int) Math.floor(Math.log10(span)) : sig;
        int d = Math.max(0, Math.min(sig, step));
        return d == 0 ? "0" : "0." + "#".repeat(d);
    }

    /** Applies fonts, legend placement, tick formatting and the palette to a chart before it is drawn. */
    public static void apply(Chart<?, ?> chart) {
        Styler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        int legendChars = chart.getSeriesMap().values().stream().filter(Series::isShowInLegend).mapToInt(x -> x.getName().length() + 4).sum();
        // below the plot (the title keeps the full width): one row while it fits, else one entry per line
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(legendChars <= LEGEND_ROW_CHARS ? Styler.LegendLayout.Horizontal : Styler.LegendLayout.Vertical);
        s.setLegendBorderColor(Color.WHITE);
        if (s instanceof AxesChartStyler a) {
            a.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
            a.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            a.setPlotGridLinesColor(new Color(0xDDDDDD));
            a.setPlotBorderVisible(false);
            if (!(chart instanceof org.knowm.xchart.CategoryChart)) {
                a.setXAxisMaxLabelCount(12); // XChart otherwise labels every x value of a short series (every epoch)
            }
            double[] r = ranges(chart);
            if (!a.isYAxisLogarithmic()) {
                a.setYAxisDecimalPattern(pattern(r[2], r[3]));
            }
            if (!a.isXAxisLogarithmic() && !(chart instanceof org.knowm.xchart.CategoryChart)) {
                a.setXAxisDecimalPattern(pattern(r[0], r[1]));
            }
        }
        int free = 0;
        // colours last: the ranges above read the series
        for (Series series : chart.getSeriesMap().values()) {
            Color f = fixed(series.getName());
            Color c = f != null ? f : PALETTE[free++ % PALETTE.length];
            series.setFillColor(c);
            if (series instanceof AxesChartSeries ax) {
                ax.setLineColor(c);
            }
            if (series instanceof MarkerSeries ms) {
                ms.setMarkerColor(c);
            }
        }
    }

    /** {x min, x max, y min, y max} over the finite data of the chart's series (0 for categories). */
    private static double[] ranges(Chart<?, ?> chart) {
        double[] r = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (Series series : chart.getSeriesMap().values()) {
            if (series instanceof AxesChartSeries ax) {
                if (!(chart instanceof org.knowm.xchart.CategoryChart)) {
                    r[0] = fin(Math.min(r[0], ax.getXMin()), r[0]);
                    r[1] = fin(Math.max(r[1], ax.getXMax()), r[1]);
                }
                r[2] = fin(Math.min(r[2], ax.getYMin()), r[2]);
                r[3] = fin(Math.max(r[3], ax.getYMax()), r[3]);
            }
        }
        if (chart instanceof org.knowm.xchart.CategoryChart) {
            r[2] = Math.min(r[2], 0); // bars start at 0
            r[3] = Math.max(r[3], 0);
        }
        return r;
    }

    private static double fin(double v, double otherwise) {
        return Double.isNaN(v) ? otherwise : v;
    }
}
