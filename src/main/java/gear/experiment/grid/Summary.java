package gear.experiment.grid;

import gear.data.AtomicFiles;
import gear.eval.Metrics;
import gear.eval.Plots;
import gear.train.Regression;
import gear.train.TaskType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Aggregates of a grid's results (design/GEAR.md §6).
 *
 * <p>Per pair, method and split type: mean ± sample standard deviation over folds and seeds of test
 * RMSE, MAE and R². Headline, per split type and baseline method m: the relative RMSE change of GEAR,
 * {@code (RMSE_m − RMSE_gear) / RMSE_m} with each RMSE the pair's mean over folds and seeds, averaged
 * over the pairs that have results for both (positive = GEAR better); and the same against each pair's
 * best baseline (the non-GEAR method with the lowest mean <em>validation</em> RMSE; never chosen on test). Both
 * are over the clean cells (no label noise); GEAR's ablation variants are not baselines. The studies
 * (label noise, extrapolation, ablation) follow in sections of their own ({@link Studies}); a grid with task sets
 * also gets k-task GEAR against its best single source and the k-task baselines ({@link TaskSets}).
 */
public final class Summary {
    /** The method the headline compares against the others. */
    public static final String GEAR = "gear";
    /** Label of the best-baseline comparison. */
    public static final String BEST = "best baseline";

    private Summary() {}

    /**
     * Mean ± std of one group.
     *
     * @param pair pair id
     * @param method method
     * @param splitType split type
     * @param n number of results (folds × seeds finished)
     * @param rmse mean and std of test RMSE
     * @param mae mean and std of test MAE
     * @param r2 mean and std of test R²
     */
    public record Stat(String pair, String method, String splitType, int n, double[] rmse, double[] mae, double[] r2) {}

    /**
     * GEAR's relative RMSE change against one baseline on one split type.
     *
     * @param splitType split type
     * @param baseline method name, or {@link #BEST}
     * @param mean mean over pairs of the per-pair relative change (a fraction; NaN without pairs)
     * @param perPair the per-pair relative change
     */
    public record Relative(String splitType, String baseline, double mean, Map<String, Double> perPair) {}

    /**
     * @param stats per pair, method and split type over the clean cells (pairs, methods, split types in
     *     first-seen order of the rows)
     * @param relative GEAR against each other method (not its ablation variants) and the best baseline, per
     *     split type, over the clean cells (empty without GEAR results)
     * @param studies the noise, extrapolation and ablation studies ({@link Studies})
     * @param comparisons the statistics of GEAR against each baseline ({@link Comparisons})
     * @param task the task type: the metric's label and direction ({@link MetricText})
     * @param convergence the cells that selected an epoch in the last tenth of their budget, over every finished cell
     *     ({@link Convergence})
     * @param taskSets k-task GEAR against its best single source and the k-task baselines ({@link TaskSets}; empty for a
     *     grid without task sets)
     * @param variants the statistics of each GEAR variant that is not an ablation ({@link Ablation#STRONG_CURV}) against
     *     the baselines ({@link Comparisons#computeFor}), for those in the grid
     */
    public record Result(List<Stat> stats, List<Relative> relative, Studies.Result studies, Comparisons.Result comparisons,
            TaskType task, Convergence.Result convergence, TaskSets.Result taskSets, List<Comparisons.Result> variants) {}

    /**
     * Computes the aggregates: the table and the headline over the clean cells (noise fraction 0), the
     * studies over the cells they concern.
     */
    public static Result compute(List<ResultRow> all) {
        return compute(all, Regression.INSTANCE);
    }

    /** {@link #compute(List)} for a grid of the given task type (its metric's direction and names). */
    public static Result compute(List<ResultRow> all, TaskType task) {
        return compute(all, task, null);
    }

    /**
     * {@link #compute(List, TaskType)} with the task-set comparison ({@link TaskSets}).
     *
     * @param taskSets the grid's pairs, directory and {@code --pairs-from} directories (null: no task-set comparison)
     */
    public static Result compute(List<ResultRow> all, TaskType task, TaskSets.Input taskSets) {
        List<ResultRow> rows = all.stream().filter(r -> r.noiseFraction() == 0).toList();
        Set<String> pairs = new LinkedHashSet<>();
        Set<String> methods = new LinkedHashSet<>();
        Set<String> splits = new LinkedHashSet<>();
        for (ResultRow r : rows) {
            pairs.add(r.pair());
            methods.add(r.method());
            splits.add(r.splitType());
        }
        List<Stat> stats = new ArrayList<>();
        Map<String, Double> meanRmse = new LinkedHashMap<>();
        Map<String, Double> meanVal = new LinkedHashMap<>();
        for (String s : splits) {
            for (String p : pairs) {
                for (String m : methods) {
                    List<ResultRow> g = rows.stream().filter(r -> r.pair().equals(p) && r.method().equals(m) && r.splitType().equals(s)).toList();
                    if (g.isEmpty()) {
                        continue;
                    }
                    Stat st = new Stat(p, m, s, g.size(), Metrics.meanStd(g.stream().mapToDouble(r -> r.result().testRmse()).toArray()),
                            Metrics.meanStd(g.stream().mapToDouble(r -> r.result().testMae()).toArray()),
                            Metrics.meanStd(g.stream().mapToDouble(r -> r.result().testR2()).toArray()));
                    stats.add(st);
                    meanRmse.put(s + "|" + p + "|" + m, st.rmse()[0]);
                    meanVal.put(s + "|" + p + "|" + m, g.stream().mapToDouble(r -> r.result().valRmse()).average().orElse(Double.NaN));
                }
            }
        }
        List<Relative> rel = new ArrayList<>();
        if (methods.contains(GEAR)) {
            for (String s : splits) {
                for (String m : methods) {
                    if (m.equals(GEAR) || Ablation.isVariant(m)) {
                        continue;
                    }
                    Map<String, Double> per = new LinkedHashMap<>();
                    for (String p : pairs) {
                        Double g = meanRmse.get(s + "|" + p + "|" + GEAR);
                        Double o = meanRmse.get(s + "|" + p + "|" + m);
                        if (g != null && o != null && Double.isFinite(g) && Double.isFinite(o) && o != 0) {
                            per.put(p, MetricText.change(task, o, g));
                        }
                    }
                    rel.add(new Relative(s, m, mean(per), per));
                }
                Map<String, Double> best = new LinkedHashMap<>();
                for (String p : pairs) {
                    Double g = meanRmse.get(s + "|" + p + "|" + GEAR);
                    // the best baseline is chosen on the validation metric, never on test (design/GEAR.md §6)
                    double bestVal = task.worst();
                    double b = Double.NaN;
                    for (String m : methods) {
                        Double o = meanRmse.get(s + "|" + p + "|" + m);
                        Double v = meanVal.get(s + "|" + p + "|" + m);
                        if (!m.equals(GEAR) && !Ablation.isVariant(m) && o != null && Double.isFinite(o) && v != null && task.improves(v, bestVal, 0)) {
                            bestVal = v;
                            b = o;
                        }
                    }
                    if (g != null && Double.isFinite(g) && Double.isFinite(b) && b != 0) {
                        best.put(p, MetricText.change(task, b, g));
                    }
                }
                if (methods.stream().anyMatch(m -> !m.equals(GEAR) && !Ablation.isVariant(m))) {
                    rel.add(new Relative(s, BEST, mean(best), best));
                }
            }
        }
        List<Comparisons.Result> variants = methods.stream().filter(m -> Ablation.isVariant(m) && !Ablation.isAblation(m))
                .map(m -> Comparisons.computeFor(all, m, task)).filter(c -> !c.comparisons().isEmpty()).toList();
        return new Result(stats, rel, Studies.compute(all, task), Comparisons.compute(all, task), task,
                Convergence.compute(all), TaskSets.compute(all, taskSets, task), variants);
    }

    /**
     * @return the options a grid gives every cell (its protocol preset and {@code --set}, in key order, "key value"),
     *     then whether tuned values ({@code --tuned}) were given; "the methods' defaults" when there are none
     */
    static String optionsLine(Map<String, String> options) {
        List<String> given = new ArrayList<>();
        boolean tuned = false;
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(options).entrySet()) {
            if (e.getKey().startsWith(Tuned.PREFIX)) {
                tuned = true;
            } else {
                given.add("`" + e.getKey() + " " + e.getValue() + "`");
            }
        }
        String s = given.isEmpty() ? "the methods' defaults" : String.join(", ", given);
        return tuned ? s + "; the tuned values of `--tuned` (config.json `options`, keys `" + Tuned.PREFIX + "…`)" : s;
    }

    private static double mean(Map<String, Double> m) {
        return m.isEmpty() ? Double.NaN : m.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /**
     * @param res the aggregates
     * @param expectedCells number of cells in the grid (to say how complete the summary is)
     * @return {@code summary.md}
     */
    public static String markdown(Result res, int finishedCells, int expectedCells) {
        return markdown(res, finishedCells, expectedCells, null);
    }

    /**
     * {@link #markdown(Result, int, int)} saying under which options the cells ran ({@link #optionsLine}; null: not
     * said).
     */
    public static String markdown(Result res, int finishedCells, int expectedCells, String options) {
        StringBuilder sb = new StringBuilder("# Benchmark summary\n\n");
        sb.append(finishedCells).append(" of ").append(expectedCells).append(" cells finished")
                .append(finishedCells < expectedCells ? " (partial results)" : "").append(".\n\n");
        if (options != null) {
            sb.append("Options of every cell: ").append(options).append(".\n\n");
        }
        for (String w : Convergence.warnings(res.convergence())) {
            sb.append("**").append(w).append("** (see Convergence below)\n\n");
        }
        sb.append("## GEAR against the other methods\n\n");
        if (res.relative().isEmpty()) {
            sb.append("No GEAR results (method `gear` not in the grid or not finished yet).\n\n");
        } else {
            String m = res.task().metricLabel();
            sb.append("Relative ").append(m).append(" change ").append(MetricText.changeFormula(res.task())).append(", each ")
                    .append(m).append(" the pair's mean over folds and seeds, ")
                    .append("averaged over pairs; positive = GEAR better. Best baseline: per pair, the baseline with the ")
                    .append(MetricText.best(res.task())).append(" mean validation ").append(m).append(". Each method's means ")
                    .append("are over its own finished units: while seeds are partly finished these can differ from the ")
                    .append("Statistics section below, which compares the units both methods finished.\n\n");
            sb.append("| split | versus | mean over pairs | pairs |\n|---|---|---|---|\n");
            for (Relative r : res.relative()) {
                sb.append("| ").append(r.splitType()).append(" | ").append(r.baseline()).append(" | ")
                        .append(pct(r.mean())).append(" | ").append(r.perPair().size()).append(" |\n");
            }
            sb.append('\n');
        }
        sb.append(Comparisons.markdown(res.comparisons()));
        res.variants().forEach(v -> sb.append(Comparisons.markdown(v)));
        sb.append(TaskSets.markdown(res.taskSets()));
        sb.append("## Test metrics per pair, method and split (mean ± std over folds and seeds")
                .append(!res.studies().noise().isEmpty() ? "; clean cells only" : "").append(")\n\n");
        sb.append("| pair | split | method | n | ").append(res.task().metricLabel()).append(" | MAE | R² |\n|---|---|---|---|---|---|---|\n");
        for (Stat s : res.stats()) {
            sb.append("| ").append(s.pair()).append(" | ").append(s.splitType()).append(" | ").append(s.method()).append(" | ")
                    .append(s.n()).append(" | ").append(pm(s.rmse())).append(" | ").append(pm(s.mae())).append(" | ")
                    .append(pm(s.r2())).append(" |\n");
        }
        if (!res.relative().isEmpty()) {
            sb.append("\n## Relative ").append(res.task().metricLabel()).append(" change of GEAR per pair\n\n| split | versus | pair | change |\n|---|---|---|---|\n");
            for (Relative r : res.relative()) {
                for (Map.Entry<String, Double> e : r.perPair().entrySet()) {
                    sb.append("| ").append(r.splitType()).append(" | ").append(r.baseline()).append(" | ").append(e.getKey())
                            .append(" | ").append(pct(e.getValue())).append(" |\n");
                }
            }
        }
        sb.append('\n').append(Convergence.markdown(res.convergence()));
        sb.append(Studies.markdown(res.studies()));
        return sb.toString();
    }

    static String pct(double f) {
        return Double.isFinite(f) ? String.format(Locale.ROOT, "%+.1f%%", 100 * f) : "n/a";
    }

    static String pm(double[] ms) {
        return Double.isFinite(ms[0]) ? String.format(Locale.ROOT, "%.4g ± %.2g", ms[0], ms[1]) : "n/a";
    }

    /**
     * Writes {@code summary.md} and, when {@code plots}, {@code rmse_<split>.png} (mean test RMSE per
     * pair, one bar per method, ablation variants left out) and {@code gear_relative.png} (GEAR's mean
     * relative change, in %, against each baseline, one bar per split type), then the plots of the
     * studies ({@link StudyPlots}; they read the cells' files under {@code dir/cells}).
     */
    public static Result write(Path dir, List<ResultRow> rows, int expectedCells, boolean plots) throws IOException {
        return write(Regression.INSTANCE, dir, rows, expectedCells, plots);
    }

    /** {@link #write(Path, List, int, boolean)} for a grid of the given task type (its metric's names and direction). */
    public static Result write(TaskType task, Path dir, List<ResultRow> rows, int expectedCells, boolean plots) throws IOException {
        return write(task, null, dir, rows, expectedCells, plots);
    }

    /**
     * {@link #write(TaskType, Path, List, int, boolean)} with the task-set comparison ({@link TaskSets}; null: none).
     */
    public static Result write(TaskType task, TaskSets.Input taskSets, Path dir, List<ResultRow> rows, int expectedCells,
            boolean plots) throws IOException {
        return write(task, taskSets, dir, rows, expectedCells, plots, null);
    }

    /**
     * {@link #write(TaskType, TaskSets.Input, Path, List, int, boolean)} with the grid's cell options
     * ({@link GridConfig#options}; null: not said), summarized at the top of {@code summary.md} ({@link #optionsLine}).
     */
    public static Result write(TaskType task, TaskSets.Input taskSets, Path dir, List<ResultRow> rows, int expectedCells,
            boolean plots, Map<String, String> options) throws IOException {
        Result res = compute(rows, task, taskSets);
        String label = task.metricLabel();
        AtomicFiles.writeString(dir.resolve("summary.md"), markdown(res, rows.size(), expectedCells,
                options == null ? null : optionsLine(options)));
        if (plots && !res.stats().isEmpty()) {
            Set<String> splits = new LinkedHashSet<>();
            res.stats().forEach(s -> splits.add(s.splitType()));
            for (String sp : splits) {
                List<String> pairs = new ArrayList<>();
                List<String> methods = new ArrayList<>();
                for (Stat s : res.stats()) {
                    if (s.splitType().equals(sp) && !Ablation.isVariant(s.method())) {
                        if (!pairs.contains(s.pair())) {
                            pairs.add(s.pair());
                        }
                        if (!methods.contains(s.method())) {
                            methods.add(s.method());
                        }
                    }
                }
                Map<String, double[]> series = new LinkedHashMap<>();
                for (String m : methods) {
                    double[] v = new double[pairs.size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = Double.NaN;
                        for (Stat s : res.stats()) {
                            if (s.splitType().equals(sp) && s.method().equals(m) && s.pair().equals(pairs.get(i))) {
                                v[i] = s.rmse()[0];
                            }
                        }
                    }
                    series.put(m, v);
                }
                // pairs have different units (K, kcal/mol, Hartree): with STL in the grid, plot M / M_STL
                double[] stl = series.get("stl");
                if (stl != null) {
                    Map<String, double[]> relative = new LinkedHashMap<>();
                    series.forEach((m, v) -> {
                        double[] r = new double[v.length];
                        for (int i = 0; i < v.length; i++) {
                            r[i] = v[i] / stl[i];
                        }
                        relative.put(m, r);
                    });
                    series = relative;
                }
                Plots.bars(dir.resolve("rmse_" + sp + ".png"), stl != null
                        ? "Test " + label + " relative to STL, " + sp + " split"
                        : "Test " + label + ", " + sp + " split", "pair (mean over folds and seeds)",
                        stl != null ? label + " / " + label + " of STL (ratio, " + MetricText.betterWord(task) + " is better)"
                                : label + " (target units)", pairs, series);
            }
            if (!res.relative().isEmpty()) {
                List<String> baselines = new ArrayList<>();
                res.relative().forEach(r -> {
                    if (!baselines.contains(r.baseline())) {
                        baselines.add(r.baseline());
                    }
                });
                Map<String, double[]> series = new LinkedHashMap<>();
                for (String sp : splits) {
                    double[] v = new double[baselines.size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = Double.NaN;
                        for (Relative r : res.relative()) {
                            if (r.splitType().equals(sp) && r.baseline().equals(baselines.get(i))) {
                                v[i] = 100 * r.mean();
                            }
                        }
                    }
                    series.put(sp, v);
                }
                Plots.bars(dir.resolve("gear_relative.png"), "GEAR's relative test-" + label + " change, mean over pairs",
                        "compared with", "change (%, positive = GEAR better)", baselines, series);
            }
        }
        if (plots) {
            StudyPlots.write(dir, rows, res.studies());
        }
        return res;
    }
}
