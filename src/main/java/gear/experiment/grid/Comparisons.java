package gear.experiment.grid;

import gear.experiment.stats.Bootstrap;
import gear.experiment.stats.SignedRank;
import gear.train.Regression;
import gear.train.TaskType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The statistics of design/GEAR.md §6 over a grid's clean cells, per split type: GEAR's relative test-RMSE
 * change {@code (RMSE_m − RMSE_gear) / RMSE_m} against each baseline m (positive = GEAR better), its mean
 * over pairs and the smallest of those means ("at least", the paper's form); against each pair's best
 * baseline chosen on <em>validation</em> RMSE (never on test); against GEAR's ablation variants (e.g.
 * {@code gear-no-curv}). For each comparison: a paired Wilcoxon signed-rank test over the (pair, seed,
 * fold) units where both methods finished, on the per-unit relative change ({@link SignedRank}), and a
 * 95 % two-stage bootstrap interval of the mean over pairs (pairs, then each pair's units, resampled;
 * {@link Bootstrap}, seeded).
 *
 * <p>A pair's relative change is that of its mean RMSEs over the units both methods have; the mean over
 * pairs weighs every pair equally. The validation choice is made once per pair on the full data (mean
 * validation RMSE over the pair's units) and kept fixed in the bootstrap. Baselines are the methods other
 * than {@value Summary#GEAR} and its {@link Ablation} variants. A variant that is not an ablation
 * ({@link Ablation#STRONG_CURV}) also gets statistics of its own against the baselines ({@link #computeFor}).
 */
public final class Comparisons {
    /** Coverage of the intervals. */
    public static final double LEVEL = 0.95;
    /** The {@code versus} label of the per-pair best baseline chosen on validation. */
    public static final String BEST_ON_VALIDATION = "best baseline on validation";
    /** The {@code versus} label of the smallest mean over the baselines. */
    public static final String AT_LEAST = "at least (smallest over baselines)";

    private Comparisons() {}

    /** What a comparison is against. */
    public enum Kind {
        /** one baseline method */
        BASELINE,
        /** the smallest mean over the baselines */
        AT_LEAST,
        /** the per-pair best baseline chosen on validation */
        BEST_ON_VALIDATION,
        /** a GEAR variant ({@link Ablation}) */
        ABLATION,
        /** a task set's best single source: per unit, the pair GEAR cell with the best validation score ({@link TaskSets}) */
        BEST_SINGLE_SOURCE
    }

    /**
     * GEAR against one method (or choice of methods) on one split type.
     *
     * @param splitType split type
     * @param versus the method, or {@link #AT_LEAST} / {@link #BEST_ON_VALIDATION}
     * @param kind what {@code versus} is
     * @param mean mean over pairs of the per-pair relative change (a fraction)
     * @param ci 95 % bootstrap interval of {@code mean}
     * @param perPair the per-pair relative change
     * @param chosen for {@link Kind#BEST_ON_VALIDATION}, the baseline chosen per pair; for {@link Kind#AT_LEAST},
     *     the baseline attaining the minimum (key {@code ""}); empty otherwise
     * @param units (pair, seed, fold) units where both finished
     * @param better units where GEAR's test RMSE is lower
     * @param wilcoxon the signed-rank test over the units (null for {@link Kind#AT_LEAST})
     */
    public record Comparison(String splitType, String versus, Kind kind, double mean, Bootstrap.Interval ci,
            Map<String, Double> perPair, Map<String, String> chosen, int units, int better, SignedRank.Result wilcoxon) {}

    /**
     * @param comparisons per split type: each baseline, at least, best on validation, ablation variants
     * @param resamples bootstrap resamples
     * @param seed bootstrap seed
     * @param task the task type: the metric's label and direction ({@link MetricText})
     * @param subject the method compared with the others: {@value Summary#GEAR}, or a variant ({@link #computeFor})
     */
    public record Result(List<Comparison> comparisons, int resamples, long seed, TaskType task, String subject) {}

    /**
     * The test and validation RMSE of every method on one split type, by pair (or task set) and (seed, fold) unit
     * ({@link #unit}); NaN where a cell is missing.
     */
    record Split(String type, List<String> pairs, List<List<String>> units,
            Map<String, double[][]> test, Map<String, double[][]> val, TaskType task) {
        int[] sizes() {
            return units.stream().mapToInt(List::size).toArray();
        }

        /**
         * @return this split without the pairs where GEAR has no finite test value (a partial grid; a complete one has
         *     GEAR everywhere): they have no change to contribute, and left in, the bootstrap would draw them and then
         *     skip them. Within a kept pair, a resample can still draw only units one side lacks; that pair is then
         *     skipped in that resample, as before. May have no pairs.
         */
        Split withGearPairsOnly() {
            double[][] g = test.get(Summary.GEAR);
            List<Integer> keep = new ArrayList<>();
            for (int p = 0; p < pairs.size(); p++) {
                if (g != null && java.util.Arrays.stream(g[p]).anyMatch(Double::isFinite)) {
                    keep.add(p);
                }
            }
            if (keep.size() == pairs.size()) {
                return this;
            }
            Map<String, double[][]> t = new LinkedHashMap<>();
            Map<String, double[][]> v = new LinkedHashMap<>();
            test.forEach((m, a) -> t.put(m, keep.stream().map(p -> a[p]).toArray(double[][]::new)));
            val.forEach((m, a) -> v.put(m, keep.stream().map(p -> a[p]).toArray(double[][]::new)));
            return new Split(type, keep.stream().map(pairs::get).toList(), keep.stream().map(units::get).toList(), t, v,
                    task);
        }

        /** @return this split with one more column of test values under {@code name} (its validation values NaN) */
        Split with(String name, double[][] testValues) {
            Map<String, double[][]> t = new LinkedHashMap<>(test);
            Map<String, double[][]> v = new LinkedHashMap<>(val);
            t.put(name, testValues);
            v.put(name, nan(units));
            return new Split(type, pairs, units, t, v, task);
        }
    }

    /** Computes the comparisons with {@link Bootstrap#defaults()}. */
    public static Result compute(List<ResultRow> rows) {
        return compute(rows, Bootstrap.defaults());
    }

    /** Computes the comparisons of a grid of the given task type with {@link Bootstrap#defaults()}. */
    public static Result compute(List<ResultRow> rows, TaskType task) {
        return compute(rows, Bootstrap.defaults(), task);
    }

    /** {@link #compute(List, Bootstrap, TaskType)} for regression. */
    public static Result compute(List<ResultRow> rows, Bootstrap boot) {
        return compute(rows, boot, Regression.INSTANCE);
    }

    /**
     * @param rows the grid's rows (cells with label noise are left out)
     * @param boot the bootstrap (resamples and seed)
     * @param task the task type (the metric's direction)
     * @return the comparisons (none without GEAR cells)
     */
    public static Result compute(List<ResultRow> rows, Bootstrap boot, TaskType task) {
        List<ResultRow> clean = rows.stream().filter(r -> r.noiseFraction() == 0).toList();
        List<Comparison> out = new ArrayList<>();
        Set<String> splits = new LinkedHashSet<>();
        clean.forEach(r -> splits.add(r.splitType()));
        for (String s : splits) {
            Split sp = gearSplit(s, clean, task);
            if (sp != null) {
                out.addAll(againstMethods(sp, boot.draw(sp.sizes())));
            }
        }
        return new Result(out, boot.resamples(), boot.seed(), task, Summary.GEAR);
    }

    /**
     * @return the split of one split type as GEAR's statistics see it ({@link Split#withGearPairsOnly}), or null where
     *     it has no GEAR rows or none with a finite test value
     */
    static Split gearSplit(String type, List<ResultRow> rows, TaskType task) {
        Split sp = split(type, rows, task);
        if (!sp.test().containsKey(Summary.GEAR)) {
            return null;
        }
        sp = sp.withGearPairsOnly();
        return sp.pairs().isEmpty() ? null : sp;
    }

    /**
     * @return GEAR against each baseline of the split (every method but GEAR and its variants), the smallest of those
     *     means (at least) and the baseline chosen per pair on validation, then against each variant; one set of draws
     */
    static List<Comparison> againstMethods(Split sp, List<Bootstrap.Resample> draws) {
        List<String> baselines = sp.test().keySet().stream().filter(m -> !m.equals(Summary.GEAR) && !Ablation.isVariant(m))
                .toList();
        List<Comparison> out = new ArrayList<>();
        List<Comparison> base = new ArrayList<>();
        for (String m : baselines) {
            base.add(compare(sp, m, Kind.BASELINE, perPairConstant(sp, m), draws));
        }
        out.addAll(base);
        if (!base.isEmpty()) {
            out.add(atLeast(sp, base, baselines, draws));
            out.add(compare(sp, BEST_ON_VALIDATION, Kind.BEST_ON_VALIDATION, chooseOnValidation(sp, baselines), draws));
        }
        for (String v : sp.test().keySet().stream().filter(Ablation::isVariant).toList()) {
            out.add(compare(sp, v, Kind.ABLATION, perPairConstant(sp, v), draws));
        }
        return out;
    }

    /**
     * The statistics of a GEAR variant against the baselines, as if it were GEAR: its cells take GEAR's place, GEAR's
     * own cells and the other variants are left out.
     *
     * @param rows the grid's rows
     * @param variant a variant's name ({@link Ablation#isVariant})
     * @param task the task type
     * @return the comparisons with {@code subject} the variant (none without its cells)
     */
    public static Result computeFor(List<ResultRow> rows, String variant, TaskType task) {
        List<ResultRow> as = rows.stream().filter(r -> r.method().equals(variant) || !r.method().equals(Summary.GEAR)
                && !Ablation.isVariant(r.method())).map(r -> r.method().equals(variant) ? r.withMethod(Summary.GEAR) : r).toList();
        Result r = compute(as, Bootstrap.defaults(), task);
        return new Result(r.comparisons(), r.resamples(), r.seed(), task, variant);
    }

    /** @return the test and validation values of the given (clean) rows of one split type */
    static Split split(String type, List<ResultRow> rows, TaskType task) {
        List<String> pairs = new ArrayList<>();
        Map<String, Set<String>> unitSets = new LinkedHashMap<>();
        Set<String> methods = new LinkedHashSet<>();
        for (ResultRow r : rows) {
            if (r.splitType().equals(type)) {
                if (!pairs.contains(r.pair())) {
                    pairs.add(r.pair());
                }
                unitSets.computeIfAbsent(r.pair(), k -> new TreeSet<>()).add(unit(r));
                methods.add(r.method());
            }
        }
        List<List<String>> units = pairs.stream().map(p -> List.copyOf(unitSets.get(p))).toList();
        Map<String, double[][]> test = new LinkedHashMap<>();
        Map<String, double[][]> val = new LinkedHashMap<>();
        for (String m : methods) {
            test.put(m, nan(units));
            val.put(m, nan(units));
        }
        for (ResultRow r : rows) {
            if (r.splitType().equals(type)) {
                int p = pairs.indexOf(r.pair());
                int u = units.get(p).indexOf(unit(r));
                test.get(r.method())[p][u] = r.result().testRmse();
                val.get(r.method())[p][u] = r.result().valRmse();
            }
        }
        return new Split(type, pairs, units, test, val, task);
    }

    /** @return the (seed, fold) unit of a row, as a key that sorts by seed, then fold */
    static String unit(ResultRow r) {
        return String.format(java.util.Locale.ROOT, "s%020d.f%06d", r.seed(), r.fold());
    }

    static double[][] nan(List<List<String>> units) {
        double[][] a = new double[units.size()][];
        for (int i = 0; i < a.length; i++) {
            a[i] = new double[units.get(i).size()];
            java.util.Arrays.fill(a[i], Double.NaN);
        }
        return a;
    }

    static String[] perPairConstant(Split sp, String m) {
        String[] c = new String[sp.pairs().size()];
        java.util.Arrays.fill(c, m);
        return c;
    }

    /** Per pair, the baseline with the best (lowest RMSE) mean validation score over the pair's units (null if none has one). */
    private static String[] chooseOnValidation(Split sp, List<String> baselines) {
        String[] c = new String[sp.pairs().size()];
        for (int p = 0; p < c.length; p++) {
            double best = sp.task().worst();
            for (String m : baselines) {
                double v = mean(sp.val().get(m)[p], null);
                if (sp.task().improves(v, best, 0)) {
                    best = v;
                    c[p] = m;
                }
            }
        }
        return c;
    }

    /** Mean of the finite entries at the given indices (all when null); NaN if none. */
    private static double mean(double[] x, int[] idx) {
        double s = 0;
        int n = 0;
        int len = idx == null ? x.length : idx.length;
        for (int k = 0; k < len; k++) {
            double v = x[idx == null ? k : idx[k]];
            if (Double.isFinite(v)) {
                s += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** The relative change of pair p over the given units (those where both methods finished), NaN if none. */
    private static double pairChange(Split sp, String m, int p, int[] idx) {
        double[] g = sp.test().get(Summary.GEAR)[p];
        double[] o = sp.test().get(m)[p];
        double sg = 0;
        double so = 0;
        int n = 0;
        int len = idx == null ? g.length : idx.length;
        for (int k = 0; k < len; k++) {
            int u = idx == null ? k : idx[k];
            if (Double.isFinite(g[u]) && Double.isFinite(o[u])) {
                sg += g[u];
                so += o[u];
                n++;
            }
        }
        return n == 0 || so == 0 ? Double.NaN : MetricText.change(sp.task(), so, sg);
    }

    /** Mean over the draws of the pair changes against the per-pair method {@code against[p]}. */
    private static double statistic(Split sp, String[] against, Bootstrap.Resample r) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < r.groups().length; i++) {
            int p = r.groups()[i];
            if (against[p] == null) {
                continue;
            }
            double c = pairChange(sp, against[p], p, r.units()[i]);
            if (Double.isFinite(c)) {
                s += c;
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /**
     * GEAR ({@value Summary#GEAR}) against the method {@code against[p]} of each pair p (null: pair left out): the mean
     * over pairs of the per-pair change, its interval over the draws and the signed-rank test over the units where both
     * have a value.
     */
    static Comparison compare(Split sp, String versus, Kind kind, String[] against, List<Bootstrap.Resample> draws) {
        Map<String, Double> perPair = new LinkedHashMap<>();
        Map<String, String> chosen = new LinkedHashMap<>();
        List<Double> diffs = new ArrayList<>();
        int better = 0;
        double[][] g = sp.test().get(Summary.GEAR);
        for (int p = 0; p < against.length; p++) {
            if (against[p] == null) {
                continue;
            }
            double c = pairChange(sp, against[p], p, null);
            if (Double.isFinite(c)) {
                perPair.put(sp.pairs().get(p), c);
            }
            if (kind == Kind.BEST_ON_VALIDATION) {
                chosen.put(sp.pairs().get(p), against[p]);
            }
            double[] o = sp.test().get(against[p])[p];
            for (int u = 0; u < o.length; u++) {
                if (Double.isFinite(g[p][u]) && Double.isFinite(o[u]) && o[u] != 0) {
                    diffs.add(MetricText.change(sp.task(), o[u], g[p][u]));
                    better += MetricText.better(sp.task(), g[p][u], o[u]) ? 1 : 0;
                }
            }
        }
        double mean = perPair.isEmpty() ? Double.NaN : perPair.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        Bootstrap.Interval ci = Bootstrap.interval(draws, r -> statistic(sp, against, r), LEVEL);
        SignedRank.Result w = SignedRank.test(diffs.stream().mapToDouble(Double::doubleValue).toArray());
        return new Comparison(sp.type(), versus, kind, mean, ci, perPair, chosen, diffs.size(), better, w);
    }

    /** The smallest of the baselines' means; its interval from the smallest per resample. */
    private static Comparison atLeast(Split sp, List<Comparison> base, List<String> baselines,
            List<Bootstrap.Resample> draws) {
        Comparison min = null;
        for (Comparison c : base) {
            if (Double.isFinite(c.mean()) && (min == null || c.mean() < min.mean())) {
                min = c;
            }
        }
        List<String[]> against = baselines.stream().map(m -> perPairConstant(sp, m)).toList();
        ToDoubleFunction<Bootstrap.Resample> smallest = r -> {
            double lo = Double.POSITIVE_INFINITY;
            for (String[] a : against) {
                double v = statistic(sp, a, r);
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                }
            }
            return lo;
        };
        Bootstrap.Interval ci = Bootstrap.interval(draws, smallest, LEVEL);
        return new Comparison(sp.type(), AT_LEAST, Kind.AT_LEAST, min == null ? Double.NaN : min.mean(), ci,
                min == null ? Map.of() : min.perPair(), min == null ? Map.of() : Map.of("", min.versus()),
                min == null ? 0 : min.units(), min == null ? 0 : min.better(), null);
    }

    /**
     * The statistics as a Markdown section of {@code summary.md}: one table over the split types (each
     * baseline, at least, best on validation, ablation variants), then the validation choice per pair.
     *
     * @return the section, or "" when there is no comparison (no GEAR cells)
     */
    public static String markdown(Result res) {
        if (res.comparisons().isEmpty()) {
            return "";
        }
        boolean gear = res.subject().equals(Summary.GEAR);
        StringBuilder sb = new StringBuilder(gear ? "## Statistics: GEAR against each baseline\n\n"
                : "## Statistics: " + res.subject() + " against each baseline\n\n");
        if (!gear) {
            sb.append("The GEAR variant ").append(res.subject()).append(" (").append(Ablation.setting(res.subject()).orElse(""))
                    .append(") in GEAR's place: \"GEAR\" in this table is ").append(res.subject()).append(".\n\n");
        }
        String m = res.task().metricLabel();
        sb.append("Relative test-").append(m).append(" change ").append(MetricText.changeFormula(res.task()))
                .append(", positive = GEAR better. Per pair, the change of ")
                .append("the mean ").append(m).append("s over the (seed, fold) units both methods finished; the mean weighs every pair equally. ")
                .append("*At least*: the smallest of the baselines' means (the paper's form). *Best baseline on validation*: per pair, ")
                .append("the baseline with the ").append(MetricText.best(res.task())).append(" mean validation ").append(m)
                .append(" (never chosen on test). 95 % interval: two-stage percentile ")
                .append("bootstrap (pairs, then each pair's units, with replacement; ").append(res.resamples()).append(" resamples, seed ")
                .append(res.seed()).append("). Wilcoxon: two-sided signed-rank test of the per-unit relative changes over the ")
                .append("(pair, seed, fold) units (zero changes dropped; exact p for at most ").append(SignedRank.EXACT_MAX)
                .append(" units without ties, else the normal approximation with the continuity correction; ")
                .append("Hipparchus).\n\n");
        sb.append("| split | versus | mean over pairs | 95 % interval | pairs | units | GEAR better in | Wilcoxon p |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (Comparison c : res.comparisons()) {
            String versus = switch (c.kind()) {
                case AT_LEAST -> "**at least** (" + c.chosen().getOrDefault("", "none") + ")";
                case ABLATION -> c.versus() + (Ablation.isAblation(c.versus()) ? " (ablation)" : " (variant)");
                default -> c.versus();
            };
            String mean = c.kind() == Kind.AT_LEAST ? "**" + Summary.pct(c.mean()) + "**" : Summary.pct(c.mean());
            sb.append("| ").append(c.splitType()).append(" | ").append(versus).append(" | ").append(mean).append(" | ")
                    .append(interval(c.ci())).append(" | ").append(c.perPair().size()).append(" | ").append(c.units())
                    .append(" | ").append(c.units() == 0 ? "n/a" : c.better() + " of " + c.units()).append(" | ")
                    .append(c.wilcoxon() == null ? "" : p(c.wilcoxon())).append(" |\n");
        }
        sb.append("\n### Best baseline per pair, chosen on validation ").append(m).append("\n\n| split | pair | chosen | GEAR's change |\n|---|---|---|---|\n");
        for (Comparison c : res.comparisons()) {
            if (c.kind() == Kind.BEST_ON_VALIDATION) {
                c.chosen().forEach((pair, chosen) -> sb.append("| ").append(c.splitType()).append(" | ").append(pair).append(" | ")
                        .append(chosen).append(" | ").append(Summary.pct(c.perPair().getOrDefault(pair, Double.NaN))).append(" |\n"));
            }
        }
        return sb.append('\n').toString();
    }

    /** @return {@code [lo, hi]} in percent, or n/a */
    static String interval(Bootstrap.Interval ci) {
        return Double.isFinite(ci.lo()) ? "[" + Summary.pct(ci.lo()) + ", " + Summary.pct(ci.hi()) + "]" : "n/a";
    }

    /** @return the p-value to 2 significant digits with how it was computed */
    static String p(SignedRank.Result w) {
        return w.n() == 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.2g (%s, n = %d)", w.p(), w.method(), w.n());
    }
}
