package gear.experiment.grid;

import gear.eval.ParityPlots;
import gear.eval.Plots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plots of the studies ({@link Studies}), written into the grid directory next to
 * {@code summary.md}:
 *
 * <ul>
 *   <li>{@code noise_<pair>_<split>.png}: clean-test RMSE against the noise fraction, one line per method,
 *       error bars ± one std over folds and seeds;</li>
 *   <li>{@code extrapolation_<pair>_<method>.png}: one parity panel per split type (value, scaffold,
 *       random, as present), the test predictions of all the clean cells pooled, each point coloured by
 *       whether its true value is inside its cell's training range ({@link Extrapolation});</li>
 *   <li>{@code ablation_<pair>_<split>.png}: validation RMSE per epoch, one line per variant (and
 *       {@code gear}), the mean over folds and seeds, from the cells' {@value #METRICS}; and
 *       {@code ablation_gap_<pair>_<split>.png}: validation − training RMSE per epoch, when the cells
 *       recorded the training RMSE.</li>
 * </ul>
 *
 * <p>Cell files that are missing or unreadable leave that cell out of the plot; the legend gives the
 * number of cells behind every line or panel.
 */
public final class StudyPlots {
    /** A cell's per-epoch log, written by the runner (columns {@code phase}, {@code val_rmse}, {@code train_rmse}). */
    public static final String METRICS = "metrics.csv";

    private StudyPlots() {}

    /**
     * Writes the plots of the studies present in {@code studies}.
     *
     * @param dir the grid directory (cells under {@code dir/cells})
     * @param rows all result rows
     */
    public static void write(Path dir, List<ResultRow> rows, Studies.Result studies) throws IOException {
        if (!studies.noise().isEmpty()) {
            noise(dir, studies.noise(), studies.task().metricLabel());
        }
        if (!studies.extrapolation().isEmpty()) {
            extrapolation(dir, rows);
        }
        if (!studies.ablation().isEmpty()) {
            ablation(dir, rows, studies.task());
        }
    }

    /** @return the names of the PNG files {@link #write} writes for these rows (whether or not written yet) */
    public static List<String> files(List<ResultRow> rows, Studies.Result studies) {
        List<String> out = new ArrayList<>();
        Studies.group(studies.noise(), s -> s.pair() + "_" + s.splitType()).keySet().forEach(k -> out.add("noise_" + k + ".png"));
        if (!studies.extrapolation().isEmpty()) {
            Studies.group(clean(rows), r -> r.pair() + "_" + r.method()).keySet()
                    .forEach(k -> out.add("extrapolation_" + k + ".png"));
        }
        Studies.group(studies.ablation(), s -> s.pair() + "_" + s.splitType()).keySet().forEach(k -> {
            out.add("ablation_" + k + ".png");
            out.add("ablation_gap_" + k + ".png");
        });
        return out;
    }

    private static List<ResultRow> clean(List<ResultRow> rows) {
        return rows.stream().filter(r -> r.noiseFraction() == 0).toList();
    }

    private static void noise(Path dir, List<Studies.NoiseStat> stats, String metric) throws IOException {
        for (Map.Entry<List<String>, List<Studies.NoiseStat>> g : Studies.group(stats, s -> List.of(s.pair(), s.splitType()))
                .entrySet()) {
            List<Plots.ErrorSeries> series = new ArrayList<>();
            Studies.group(g.getValue(), Studies.NoiseStat::method).forEach((m, l) -> {
                double[] x = l.stream().mapToDouble(Studies.NoiseStat::fraction).toArray();
                double[] y = l.stream().mapToDouble(s -> s.rmse()[0]).toArray();
                double[] e = l.stream().mapToDouble(s -> s.rmse()[1]).toArray();
                series.add(new Plots.ErrorSeries(m, x, y, e));
            });
            String pair = g.getKey().get(0);
            String split = g.getKey().get(1);
            Plots.errorBars(dir.resolve("noise_" + pair + "_" + split + ".png"), pair + ", " + split
                    + " split: clean-test " + metric + " vs label noise (mean ± std)",
                    "fraction of target training labels corrupted", "test " + metric + " (target units)", series);
        }
    }

    private static void extrapolation(Path dir, List<ResultRow> rows) throws IOException {
        for (Map.Entry<List<String>, List<ResultRow>> g : Studies.group(clean(rows), r -> List.of(r.pair(), r.method()))
                .entrySet()) {
            List<ResultRow> cells = new ArrayList<>(g.getValue());
            cells.sort(java.util.Comparator.comparingInt(r -> Studies.splitRank(r.splitType())));
            List<ParityPlots.Panel> panels = new ArrayList<>();
            for (Map.Entry<String, List<ResultRow>> s : Studies.group(cells, ResultRow::splitType).entrySet()) {
                List<double[]> in = new ArrayList<>();
                List<double[]> out = new ArrayList<>();
                int n = 0;
                for (ResultRow r : s.getValue()) {
                    Extrapolation.Predictions p = predictions(dir, r);
                    if (p == null || !Double.isFinite(r.extrapolation().trainMin())) {
                        continue;
                    }
                    n++;
                    for (int i = 0; i < p.truth().length; i++) {
                        if (!Double.isNaN(p.truth()[i]) && !Double.isNaN(p.predicted()[i])) {
                            (r.extrapolation().inRange(p.truth()[i]) ? in : out).add(new double[] {p.truth()[i], p.predicted()[i]});
                        }
                    }
                }
                if (n > 0) {
                    Map<String, double[][]> groups = new LinkedHashMap<>();
                    groups.put("in training range (" + in.size() + ")", columns(in));
                    groups.put("out of range (" + out.size() + ")", columns(out));
                    panels.add(new ParityPlots.Panel(s.getKey() + " split, " + cells(n), groups));
                }
            }
            if (!panels.isEmpty()) {
                String pair = g.getKey().get(0);
                String method = g.getKey().get(1);
                ParityPlots.parityPanels(dir.resolve("extrapolation_" + pair + "_" + method + ".png"),
                        pair + ": " + method + ", test predictions inside / outside each cell's training range",
                        column(g.getValue().get(0).target()), panels);
            }
        }
    }

    /** @return the column of a row's {@code "dataset (column)"} description, or the description itself */
    static String column(String described) {
        int open = described.lastIndexOf(" (");
        return open >= 0 && described.endsWith(")") ? described.substring(open + 2, described.length() - 1) : described;
    }

    private static Extrapolation.Predictions predictions(Path dir, ResultRow r) {
        try {
            return Extrapolation.read(dir.resolve("cells").resolve(r.cell()));
        } catch (IOException e) {
            return null;
        }
    }

    private static double[][] columns(List<double[]> points) {
        double[][] c = new double[2][points.size()];
        for (int i = 0; i < points.size(); i++) {
            c[0][i] = points.get(i)[0];
            c[1][i] = points.get(i)[1];
        }
        return c;
    }

    private static void ablation(Path dir, List<ResultRow> rows, gear.train.TaskType task) throws IOException {
        String metric = task.metricLabel();
        List<ResultRow> rel = clean(rows).stream()
                .filter(r -> r.method().equals(Ablation.BASE) || Ablation.isAblation(r.method())).toList();
        List<String> order = new ArrayList<>(List.of(Ablation.BASE));
        order.addAll(Ablation.variants());
        for (Map.Entry<List<String>, List<ResultRow>> g : Studies.group(rel, r -> List.of(r.pair(), r.splitType())).entrySet()) {
            Map<String, double[]> val = new LinkedHashMap<>();
            Map<String, double[]> gap = new LinkedHashMap<>();
            for (String m : order) {
                List<double[][]> curves = new ArrayList<>();
                for (ResultRow r : g.getValue()) {
                    if (r.method().equals(m)) {
                        double[][] c = curves(dir.resolve("cells").resolve(r.cell()), task);
                        if (c != null) {
                            curves.add(c);
                        }
                    }
                }
                if (curves.isEmpty()) {
                    continue;
                }
                String name = m + " (" + cells(curves.size()) + ")";
                val.put(name, meanCurve(curves, c -> c[0]));
                double[] gp = meanCurve(curves, c -> {
                    double[] d = new double[c[0].length];
                    for (int i = 0; i < d.length; i++) {
                        d[i] = c[0][i] - c[1][i];
                    }
                    return d;
                });
                if (java.util.Arrays.stream(gp).anyMatch(Double::isFinite)) {
                    gap.put(name, gp);
                }
            }
            String pair = g.getKey().get(0);
            String split = g.getKey().get(1);
            if (!val.isEmpty()) {
                Plots.validationCurves(dir.resolve("ablation_" + pair + "_" + split + ".png"), pair + ", " + split
                        + " split: validation " + metric + " (mean over cells)", "validation " + metric + " (target units)", val,
                        false);
            }
            if (!gap.isEmpty()) {
                Plots.validationCurves(dir.resolve("ablation_gap_" + pair + "_" + split + ".png"), pair + ", " + split
                        + " split: validation − training " + metric + " (mean over cells)",
                        "validation − training " + metric + " (target units)",
                        gap, false);
            }
        }
    }

    /** @return {validation RMSE, training RMSE} per target-phase epoch (NaN where absent), or null */
    static double[][] curves(Path cellDir) {
        return curves(cellDir, gear.train.Regression.INSTANCE);
    }

    /** @return {validation, training} metric of the task type per target-phase epoch (NaN where absent), or null */
    static double[][] curves(Path cellDir, gear.train.TaskType task) {
        String valCol = task.valColumn();
        String trainCol = task.trainColumn();
        Path f = cellDir.resolve(METRICS);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            Map<String, List<String>> cols = CellCsv.read(f);
            if (!cols.containsKey(valCol)) {
                return null;
            }
            List<String> phase = cols.get("phase");
            List<Integer> keep = new ArrayList<>();
            for (int i = 0; i < cols.get(valCol).size(); i++) {
                if (phase == null || phase.get(i).equals("train")) {
                    keep.add(i);
                }
            }
            double[] v = CellCsv.numbers(f, valCol, keep.stream().map(cols.get(valCol)::get).toList());
            double[] t = cols.containsKey(trainCol)
                    ? CellCsv.numbers(f, trainCol, keep.stream().map(cols.get(trainCol)::get).toList())
                    : java.util.stream.DoubleStream.generate(() -> Double.NaN).limit(v.length).toArray();
            return new double[][] {v, t};
        } catch (IOException e) {
            return null;
        }
    }

    /** Mean per epoch over the curves that reach that epoch (NaN values left out). */
    private static double[] meanCurve(List<double[][]> curves, java.util.function.Function<double[][], double[]> f) {
        List<double[]> ys = curves.stream().map(f).toList();
        int len = ys.stream().mapToInt(y -> y.length).max().orElse(0);
        double[] m = new double[len];
        for (int i = 0; i < len; i++) {
            double s = 0;
            int n = 0;
            for (double[] y : ys) {
                if (i < y.length && !Double.isNaN(y[i])) {
                    s += y[i];
                    n++;
                }
            }
            m[i] = n == 0 ? Double.NaN : s / n;
        }
        return m;
    }

    private static String cells(int n) {
        return n + (n == 1 ? " cell" : " cells");
    }
}
