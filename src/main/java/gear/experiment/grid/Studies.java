package gear.experiment.grid;

import gear.eval.Metrics;
import gear.train.Regression;
import gear.train.TaskType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The three studies of design/GEAR.md §6 beyond the headline, computed from the result rows alone (so
 * that {@code summary.md} follows from {@code results.json}). Each is present only when the grid has
 * such cells; every aggregate is a mean ± sample standard deviation over folds and seeds
 * ({@link Metrics#meanStd}, NaN values left out).
 *
 * <ul>
 *   <li><b>Label noise</b> (a row with noise fraction &gt; 0): clean-test RMSE per pair, split, method
 *       and fraction of corrupted target training labels.</li>
 *   <li><b>Extrapolation</b> (a clean row of the value split): test RMSE, and its in-range and
 *       out-of-range parts ({@link Extrapolation}) per pair, method and split, value and scaffold next to
 *       each other.</li>
 *   <li><b>Ablation</b> (a clean row of an {@link Ablation} variant): test RMSE of {@code gear} and of
 *       each variant, and the train–validation gap (validation RMSE − target training RMSE) at the
 *       selected epoch and at the last epoch: if a term reduces overfitting, removing it widens the gap.</li>
 * </ul>
 */
public final class Studies {
    /** Order in which split types are shown side by side in the extrapolation table and plots. */
    static final List<String> SPLIT_ORDER = List.of("value", "scaffold", "random");

    private Studies() {}

    /**
     * Clean-test RMSE at one noise level.
     *
     * @param pair pair id
     * @param splitType split type
     * @param method method
     * @param fraction fraction of the target training labels corrupted
     * @param n cells
     * @param rmse mean and std of test RMSE
     */
    public record NoiseStat(String pair, String splitType, String method, double fraction, int n, double[] rmse) {}

    /**
     * Test RMSE split by the training range.
     *
     * @param pair pair id
     * @param splitType split type
     * @param method method
     * @param n cells
     * @param rmse mean and std of test RMSE
     * @param rmseIn mean and std of the in-range test RMSE (cells without in-range molecules left out)
     * @param rmseOut mean and std of the out-of-range test RMSE (cells without out-of-range molecules left out)
     * @param outShare mean share of test molecules out of range (NaN without predictions)
     */
    public record ExtrapolationStat(String pair, String splitType, String method, int n, double[] rmse, double[] rmseIn,
            double[] rmseOut, double outShare) {}

    /**
     * One ablation variant (or {@code gear} itself).
     *
     * @param pair pair id
     * @param splitType split type
     * @param method {@code gear} or a variant
     * @param n cells
     * @param rmse mean and std of test RMSE
     * @param change relative change of the mean test RMSE against {@code gear}, (RMSE − RMSE_gear) / RMSE_gear
     *     (positive: worse without the term; NaN for gear itself or without gear)
     * @param trainBest target training RMSE at the selected epoch
     * @param valBest validation RMSE at the selected epoch
     * @param gapBest validation − training RMSE at the selected epoch (per cell, then mean ± std)
     * @param trainLast target training RMSE at the last epoch
     * @param valLast validation RMSE at the last epoch
     * @param gapLast validation − training RMSE at the last epoch
     */
    public record AblationStat(String pair, String splitType, String method, int n, double[] rmse, double change,
            double[] trainBest, double[] valBest, double[] gapBest, double[] trainLast, double[] valLast, double[] gapLast) {}

    /**
     * @param noise the label-noise table (empty without noisy cells)
     * @param extrapolation the extrapolation table (empty without value-split cells)
     * @param ablation the ablation table (empty without ablation variants)
     * @param task the task type: the metric's label and direction ({@link MetricText})
     */
    public record Result(List<NoiseStat> noise, List<ExtrapolationStat> extrapolation, List<AblationStat> ablation,
            TaskType task) {}

    /** Computes the studies the rows hold (regression). */
    public static Result compute(List<ResultRow> rows) {
        return compute(rows, Regression.INSTANCE);
    }

    /** Computes the studies the rows hold, for a grid of the given task type. */
    public static Result compute(List<ResultRow> rows, TaskType task) {
        return new Result(noise(rows), extrapolation(rows), ablation(rows, task), task);
    }

    static boolean hasNoise(List<ResultRow> rows) {
        return rows.stream().anyMatch(r -> r.noiseFraction() > 0);
    }

    private static List<NoiseStat> noise(List<ResultRow> rows) {
        List<NoiseStat> out = new ArrayList<>();
        if (!hasNoise(rows)) {
            return out;
        }
        TreeSet<Double> fractions = new TreeSet<>();
        rows.forEach(r -> fractions.add(r.noiseFraction()));
        group(rows, r -> List.of(r.pair(), r.splitType(), r.method())).forEach((k, g) -> {
            for (double f : fractions) {
                List<ResultRow> at = g.stream().filter(r -> r.noiseFraction() == f).toList();
                if (!at.isEmpty()) {
                    out.add(new NoiseStat(k.get(0), k.get(1), k.get(2), f, at.size(), ms(at, r -> r.result().testRmse())));
                }
            }
        });
        return out;
    }

    private static List<ExtrapolationStat> extrapolation(List<ResultRow> rows) {
        List<ResultRow> clean = rows.stream().filter(r -> r.noiseFraction() == 0).toList();
        List<ExtrapolationStat> out = new ArrayList<>();
        if (clean.stream().noneMatch(r -> r.splitType().equals("value"))) {
            return out;
        }
        List<ResultRow> sorted = new ArrayList<>(clean);
        sorted.sort(Comparator.comparingInt(r -> splitRank(r.splitType()))); // stable: pairs and methods keep row order
        Map<List<String>, List<ResultRow>> byPairMethod = group(clean, r -> List.of(r.pair(), r.method()));
        for (List<String> pm : byPairMethod.keySet()) {
            group(sorted.stream().filter(r -> r.pair().equals(pm.get(0)) && r.method().equals(pm.get(1))).toList(),
                    ResultRow::splitType).forEach((split, g) -> {
                        double share = Metrics.meanStd(g.stream().mapToDouble(r -> {
                            Extrapolation.Stats x = r.extrapolation();
                            return x.nIn() < 0 || x.nIn() + x.nOut() == 0 ? Double.NaN : x.nOut() / (double) (x.nIn() + x.nOut());
                        }).toArray())[0];
                        out.add(new ExtrapolationStat(pm.get(0), split, pm.get(1), g.size(), ms(g, r -> r.result().testRmse()),
                                ms(g, r -> r.extrapolation().rmseIn()), ms(g, r -> r.extrapolation().rmseOut()), share));
                    });
        }
        return out;
    }

    static int splitRank(String split) {
        int i = SPLIT_ORDER.indexOf(split);
        return i < 0 ? SPLIT_ORDER.size() : i;
    }

    private static List<AblationStat> ablation(List<ResultRow> rows, TaskType task) {
        List<AblationStat> out = new ArrayList<>();
        List<ResultRow> rel = rows.stream().filter(r -> r.noiseFraction() == 0
                && (r.method().equals(Ablation.BASE) || Ablation.isAblation(r.method()))).toList();
        if (rel.stream().noneMatch(r -> Ablation.isAblation(r.method()))) {
            return out;
        }
        List<String> order = new ArrayList<>(List.of(Ablation.BASE));
        order.addAll(Ablation.variants());
        group(rel, r -> List.of(r.pair(), r.splitType())).forEach((k, g) -> {
            List<ResultRow> base = g.stream().filter(r -> r.method().equals(Ablation.BASE)).toList();
            double gear = base.isEmpty() ? Double.NaN : ms(base, r -> r.result().testRmse())[0];
            for (String m : order) {
                List<ResultRow> v = g.stream().filter(r -> r.method().equals(m)).toList();
                if (v.isEmpty()) {
                    continue;
                }
                double[] rmse = ms(v, r -> r.result().testRmse());
                double change = m.equals(Ablation.BASE) || !(gear > 0) ? Double.NaN : MetricText.worsening(task, gear, rmse[0]);
                out.add(new AblationStat(k.get(0), k.get(1), m, v.size(), rmse, change, ms(v, r -> r.result().trainRmse()),
                        ms(v, r -> r.result().valRmse()), ms(v, r -> r.result().valRmse() - r.result().trainRmse()),
                        ms(v, r -> r.result().trainRmseLast()), ms(v, r -> r.result().valRmseLast()),
                        ms(v, r -> r.result().valRmseLast() - r.result().trainRmseLast())));
            }
        });
        return out;
    }

    private static double[] ms(List<ResultRow> rows, ToDoubleFunction<ResultRow> f) {
        return Metrics.meanStd(rows.stream().mapToDouble(f).toArray());
    }

    /** Groups items by a key, groups and items in first-seen order. */
    static <T, K> Map<K, List<T>> group(List<T> items, Function<T, K> key) {
        Map<K, List<T>> m = new LinkedHashMap<>();
        for (T t : items) {
            m.computeIfAbsent(key.apply(t), x -> new ArrayList<>()).add(t);
        }
        return m;
    }

    /** @return the Markdown sections of the studies present (empty when none is) */
    public static String markdown(Result res) {
        StringBuilder sb = new StringBuilder();
        if (!res.noise().isEmpty()) {
            noiseMarkdown(res.noise(), res.task().metricLabel(), sb);
        }
        if (!res.extrapolation().isEmpty()) {
            extrapolationMarkdown(res.extrapolation(), res.task().metricLabel(), sb);
        }
        if (!res.ablation().isEmpty()) {
            ablationMarkdown(res.ablation(), res.task(), sb);
        }
        return sb.toString();
    }

    private static void noiseMarkdown(List<NoiseStat> stats, String m, StringBuilder sb) {
        TreeSet<Double> fractions = new TreeSet<>();
        stats.forEach(s -> fractions.add(s.fraction()));
        sb.append("\n## Label noise: clean-test ").append(m).append(" against the fraction of corrupted training labels\n\n")
                .append("Each cell shifts that fraction of its target training labels by ± k standard deviations of them ")
                .append("(validation, test and source labels are clean); mean ± std over folds and seeds (n cells). ")
                .append("Plots: `noise_<pair>_<split>.png`.\n\n| pair | split | method |");
        fractions.forEach(f -> sb.append(" f = ").append(CellKey.fraction(f)).append(" |"));
        sb.append("\n|---|---|---|").append("---|".repeat(fractions.size())).append('\n');
        group(stats, s -> List.of(s.pair(), s.splitType(), s.method())).forEach((k, g) -> {
            sb.append("| ").append(String.join(" | ", k)).append(" |");
            for (double f : fractions) {
                NoiseStat s = g.stream().filter(x -> x.fraction() == f).findFirst().orElse(null);
                sb.append(' ').append(s == null ? "–" : Summary.pm(s.rmse()) + " (" + s.n() + ")").append(" |");
            }
            sb.append('\n');
        });
    }

    private static void extrapolationMarkdown(List<ExtrapolationStat> stats, String m, StringBuilder sb) {
        sb.append("\n## Extrapolation: test ").append(m).append(" inside and outside the training range\n\n")
                .append("In range: test molecules whose true value lies within [min, max] of the cell's training values. ")
                .append("Value split = train on the lowest 80% of values, test on the top 20%. Mean ± std over folds and ")
                .append("seeds (n cells; in/out-of-range means over the cells that have such molecules). ")
                .append("Parity plots: `extrapolation_<pair>_<method>.png`.\n\n")
                .append("| pair | method | split | n | test ").append(m).append(" | in-range ").append(m).append(" | out-of-range ")
                .append(m).append(" | out of range |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (ExtrapolationStat s : stats) {
            sb.append("| ").append(s.pair()).append(" | ").append(s.method()).append(" | ").append(s.splitType()).append(" | ")
                    .append(s.n()).append(" | ").append(Summary.pm(s.rmse())).append(" | ").append(Summary.pm(s.rmseIn()))
                    .append(" | ").append(Summary.pm(s.rmseOut())).append(" | ")
                    .append(Double.isFinite(s.outShare()) ? String.format(java.util.Locale.ROOT, "%.1f%%", 100 * s.outShare()) : "n/a")
                    .append(" |\n");
        }
    }

    private static void ablationMarkdown(List<AblationStat> stats, TaskType task, StringBuilder sb) {
        String m = task.metricLabel();
        sb.append("\n## Ablation: GEAR without one loss term\n\n")
                .append("Each variant sets exactly one weight to 0 (gear-no-auto: α, gear-no-cons: β, gear-no-map: γ, ")
                .append("gear-no-metric: δ, gear-no-curv: ε). Mean ± std over folds and seeds; change = ")
                .append(MetricText.worseningFormula(task)).append(" of the means (positive: worse without the term). Validation curves: ")
                .append("`ablation_<pair>_<split>.png`; gap per epoch: `ablation_gap_<pair>_<split>.png`.\n\n")
                .append("| pair | split | method | n | test ").append(m).append(" | change vs gear |\n|---|---|---|---|---|---|\n");
        for (AblationStat s : stats) {
            sb.append("| ").append(s.pair()).append(" | ").append(s.splitType()).append(" | ").append(s.method()).append(" | ")
                    .append(s.n()).append(" | ").append(Summary.pm(s.rmse())).append(" | ")
                    .append(s.method().equals(Ablation.BASE) ? "–" : Summary.pct(s.change())).append(" |\n");
        }
        sb.append("\n### Overfitting: validation − training ").append(m).append(" of the target\n\n")
                .append("Training ").append(m).append(" over the cell's target training molecules (the labels it trained on), after the epoch; ")
                .append("gap = validation − training ").append(m).append(" per cell, then mean ± std. A term that reduces overfitting ")
                .append("has a smaller gap with it (gear) than without it (its variant); compare the difference of the ")
                .append("means with the stds. n/a: training ").append(m).append(" not recorded (grid run without --ablate or --train-rmse).\n\n")
                .append("| pair | split | method | train (selected) | val (selected) | gap (selected) | train (last) | ")
                .append("val (last) | gap (last) |\n|---|---|---|---|---|---|---|---|---|\n");
        for (AblationStat s : stats) {
            sb.append("| ").append(s.pair()).append(" | ").append(s.splitType()).append(" | ").append(s.method()).append(" | ")
                    .append(Summary.pm(s.trainBest())).append(" | ").append(Summary.pm(s.valBest())).append(" | ")
                    .append(Summary.pm(s.gapBest())).append(" | ").append(Summary.pm(s.trainLast())).append(" | ")
                    .append(Summary.pm(s.valLast())).append(" | ").append(Summary.pm(s.gapLast())).append(" |\n");
        }
    }
}
