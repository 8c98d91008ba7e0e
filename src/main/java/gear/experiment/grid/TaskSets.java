package gear.experiment.grid;

import gear.data.BadInputException;
import gear.experiment.stats.Bootstrap;
import gear.train.TaskType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The statistics of a grid's task sets (issue 17; docs/KTASKS.md): per split type, k-task GEAR against its <em>best
 * single source</em> and against the k-task baselines (every other method of the task-set cells, {@code stl}
 * included) and GEAR's ablation variants, with the statistics of the pairwise grid ({@link Comparisons#compare}: mean
 * over task sets of the per-set relative change, paired Wilcoxon signed-rank test over the (task set, seed, fold)
 * units, two-stage bootstrap interval).
 *
 * <p>The best single source of a unit (task set, split type, seed, fold) is the GEAR cell of the set's pairs (one
 * source each, the set's target; matched by the source's and the target's data reference, split type, seed and fold)
 * with the best <em>validation</em> score at that unit; it is never chosen on test. The pair cells come from the grid
 * itself (pairs of the same pairs file) and from other grid directories ({@code --pairs-from}). A unit where one of
 * the set's pair cells is missing, or has no validation score to choose on, is left out of that comparison and listed
 * ({@link Missing#why}). Each matched pair cell must have the task set's target split at that unit and the k-task GEAR
 * cell's options ({@link PairCellCheck}); otherwise the comparison is refused ({@link Result#refusal}).
 */
public final class TaskSets {
    /** The {@code versus} label of the best single source. */
    public static final String BEST_SINGLE_SOURCE = "best single source";
    /** The origin label of the grid's own pair cells. */
    public static final String THIS_GRID = "this grid";

    private TaskSets() {}

    /**
     * What the comparison reads besides the grid's rows.
     *
     * @param pairs the grid's pairs and task sets
     * @param gridDir the grid's directory (its cells' {@code splits.json} for the split check; null: none)
     * @param pairsFrom other grid directories whose finished pair cells supply pair GEAR cells
     */
    public record Input(List<PairSpec> pairs, Path gridDir, List<Path> pairsFrom) {
        public Input {
            pairs = List.copyOf(pairs);
            pairsFrom = List.copyOf(pairsFrom);
        }
    }

    /**
     * The source chosen at one unit.
     *
     * @param splitType split type
     * @param taskSet task set id
     * @param seed seed
     * @param fold fold
     * @param source the chosen pair's source
     * @param cell the chosen pair cell's id
     * @param origin where it came from ({@link #THIS_GRID} or a {@code --pairs-from} directory)
     * @param valRmse its validation score
     * @param testRmse its test score
     * @param gearTestRmse the k-task GEAR cell's test score at the unit
     * @param gearValRmse the k-task GEAR cell's validation score at the unit (what shows whether a loss to the best
     *     single source is there on validation too)
     * @param sourceValRmse every source's pair GEAR cell's validation score at the unit, in the set's order of sources
     *     (whether k-task GEAR lies between its sources, pulled by a weaker one)
     */
    public record Choice(String splitType, String taskSet, long seed, int fold, String source, String cell, String origin,
            double valRmse, double testRmse, double gearTestRmse, double gearValRmse, Map<String, Double> sourceValRmse) {}

    /** {@link Missing#why()} of a pair cell that no grid has. */
    public static final String NO_CELL = "no finished cell";
    /** {@link Missing#why()} of a pair cell without a validation score (nothing to choose the best single source on). */
    public static final String NO_VALIDATION = "no validation score";

    /**
     * A pair cell that no grid has, or whose validation score is missing (not finite): its unit is left out of the
     * best-single-source comparison, which needs every source's validation score to choose.
     *
     * @param splitType split type
     * @param taskSet task set id
     * @param seed seed
     * @param fold fold
     * @param source the pair's source
     * @param target the pair's target
     * @param why {@link #NO_CELL} (with the cell of other split sizes, where there is one) or {@link #NO_VALIDATION}
     *     (with the cell)
     */
    public record Missing(String splitType, String taskSet, long seed, int fold, String source, String target, String why) {
        /** A pair cell that no grid has. */
        public Missing(String splitType, String taskSet, long seed, int fold, String source, String target) {
            this(splitType, taskSet, seed, fold, source, target, NO_CELL);
        }
    }

    /**
     * @param comparisons per split type: the best single source, each k-task baseline, at least, best baseline on
     *     validation, each ablation variant
     * @param choices the best single source of every unit that has all its pair cells
     * @param missing the pair cells not found, per unit of a finished k-task GEAR cell
     * @param fingerprinted matched pair cells whose target split was compared by fingerprint
     * @param sizesOnly matched pair cells compared by split sizes only (a side without a recorded fingerprint)
     * @param optionsCompared matched pair cells whose options were compared with the k-task cell's ({@link CellOptions})
     * @param optionsUnknown matched pair cells whose options (or the k-task cell's) could not be read, so not compared
     * @param origins where pair cells were looked for ({@link #THIS_GRID}, then each {@code --pairs-from} directory)
     * @param resamples bootstrap resamples
     * @param seed bootstrap seed
     * @param task the task type
     * @param refusal why the comparison was refused (a target split that differs, an unreadable directory), or null
     */
    public record Result(List<Comparisons.Comparison> comparisons, List<Choice> choices, List<Missing> missing,
            int fingerprinted, int sizesOnly, int optionsCompared, int optionsUnknown, List<String> origins, int resamples,
            long seed, TaskType task, String refusal) {
        /** @return whether there is nothing to show (no task set in the grid) */
        public boolean isEmpty() {
            return origins.isEmpty();
        }
    }

    /** @return the result of a grid without task sets */
    public static Result none(TaskType task) {
        return new Result(List.of(), List.of(), List.of(), 0, 0, 0, 0, List.of(), 0, 0, task, null);
    }

    /** Computes the comparison with {@link Bootstrap#defaults()}. */
    public static Result compute(List<ResultRow> rows, Input in, TaskType task) {
        return compute(rows, in, Bootstrap.defaults(), task);
    }

    /**
     * @param rows the grid's rows (cells with label noise are left out)
     * @param in the grid's pairs, directory and {@code --pairs-from} directories (null: {@link #none})
     * @return the comparisons; a refusal instead when a matched pair cell's target split differs or a directory cannot
     *     be read
     */
    public static Result compute(List<ResultRow> rows, Input in, Bootstrap boot, TaskType task) {
        if (in == null || in.pairs().stream().noneMatch(PairSpec::isTaskSet)) {
            return none(task);
        }
        List<String> origins = new ArrayList<>(List.of(THIS_GRID));
        in.pairsFrom().forEach(d -> origins.add(d.toString()));
        try {
            return run(rows, in, boot, task, origins);
        } catch (BadInputException e) {
            return new Result(List.of(), List.of(), List.of(), 0, 0, 0, 0, origins, boot.resamples(), boot.seed(), task,
                    e.getMessage());
        }
    }

    private static Result run(List<ResultRow> rows, Input in, Bootstrap boot, TaskType task, List<String> origins) {
        Map<String, PairSpec> sets = new LinkedHashMap<>();
        Set<String> ownPairs = new LinkedHashSet<>();
        Set<String> wanted = new LinkedHashSet<>();
        for (PairSpec p : in.pairs()) {
            if (p.isTaskSet()) {
                sets.put(p.id(), p);
                p.sources().forEach(s -> wanted.add(pairKey(s.toString(), p.target().toString())));
            } else {
                ownPairs.add(p.id());
            }
        }
        List<ResultRow> clean = rows.stream().filter(r -> r.noiseFraction() == 0).toList();
        List<PairCell> pool = new ArrayList<>();
        for (ResultRow r : clean) {
            if (ownPairs.contains(r.pair())) {
                pool.add(new PairCell(r, in.gridDir() == null ? null : in.gridDir().resolve("cells").resolve(r.cell()),
                        in.gridDir(), THIS_GRID));
            }
        }
        for (Path d : in.pairsFrom()) {
            pool.addAll(PairCell.read(d));
        }
        // keyed by the unit and the split sizes: one source and target can be paired under two target subsamples
        // (gap-exc and gap-exc-500), whose cells are two pairs, not two versions of one; a unit with cells of other
        // sizes alone misses its cell, or is refused (PairCellCheck names both) where the pair has none of its sizes
        Map<String, PairCell> index = new LinkedHashMap<>();
        Map<String, PairCell> anySize = new LinkedHashMap<>();
        for (PairCell l : pool) {
            ResultRow r = l.row();
            if (!r.method().equals(Summary.GEAR) || r.noiseFraction() != 0 || !wanted.contains(pairKey(r.source(), r.target()))) {
                continue;
            }
            String unit = unitKey(pairKey(r.source(), r.target()), r.splitType(), r.seed(), r.fold());
            anySize.putIfAbsent(unit, l);
            String k = sized(unit, r);
            PairCell prev = index.putIfAbsent(k, l);
            if (prev != null && !(same(prev.row().result().testRmse(), r.result().testRmse())
                    && same(prev.row().result().valRmse(), r.result().valRmse()))) {
                throw new BadInputException("two different pair GEAR cells for " + r.source() + " → " + r.target() + ", "
                        + r.splitType() + " split, seed " + r.seed() + ", fold " + r.fold() + ": " + prev.where() + " and "
                        + l.where() + "; give one grid per pair (--pairs-from)");
            }
        }
        List<ResultRow> setRows = clean.stream().filter(r -> sets.containsKey(r.pair())).toList();
        // the (source → target, split type) pairs with a cell of a k-task unit's split sizes somewhere: for those, a unit
        // whose only cells have other sizes (another subsample's pair) misses its cell; for the others the pair grid ran
        // under another protocol, which is refused (below)
        Set<String> sizedPairs = new LinkedHashSet<>();
        for (ResultRow g : setRows.stream().filter(r -> r.method().equals(Summary.GEAR)).toList()) {
            for (DataRef src : sets.get(g.pair()).sources()) {
                String pk = pairKey(src.toString(), sets.get(g.pair()).target().toString());
                if (index.containsKey(sized(unitKey(pk, g.splitType(), g.seed(), g.fold()), g))) {
                    sizedPairs.add(pk + "\u0000" + g.splitType());
                }
            }
        }
        Set<String> splits = new LinkedHashSet<>();
        setRows.forEach(r -> splits.add(r.splitType()));
        Map<String, ResultRow> gearRows = new LinkedHashMap<>();
        setRows.stream().filter(r -> r.method().equals(Summary.GEAR))
                .forEach(r -> gearRows.put(r.pair() + "|" + r.splitType() + "|" + Comparisons.unit(r), r));
        List<Comparisons.Comparison> out = new ArrayList<>();
        List<Choice> choices = new ArrayList<>();
        List<Missing> missing = new ArrayList<>();
        PairCellCheck check = new PairCellCheck();
        for (String s : splits) {
            Comparisons.Split sp = Comparisons.gearSplit(s, setRows, task);
            if (sp == null) {
                continue;
            }
            double[][] best = Comparisons.nan(sp.units());
            for (int p = 0; p < sp.pairs().size(); p++) {
                PairSpec set = sets.get(sp.pairs().get(p));
                for (int u = 0; u < sp.units().get(p).size(); u++) {
                    ResultRow g = gearRows.get(set.id() + "|" + s + "|" + sp.units().get(p).get(u));
                    if (g == null || !Double.isFinite(g.result().testRmse())) {
                        continue;
                    }
                    Path gDir = in.gridDir() == null ? null : in.gridDir().resolve("cells").resolve(g.cell());
                    PairCell chosen = null;
                    double bestVal = task.worst();
                    boolean complete = true;
                    Map<String, Double> sourceVal = new LinkedHashMap<>();
                    for (DataRef src : set.sources()) {
                        String pk = pairKey(src.toString(), set.target().toString());
                        String unit = unitKey(pk, s, g.seed(), g.fold());
                        PairCell c = index.get(sized(unit, g));
                        PairCell other = anySize.get(unit);
                        if (c == null && other != null && sizedPairs.contains(pk + "\u0000" + s)) {
                            missing.add(new Missing(s, set.id(), g.seed(), g.fold(), src.toString(), set.target().toString(),
                                    NO_CELL + " of this target split (" + other.where() + " has other split sizes: another "
                                    + "target subsample)"));
                            complete = false;
                            continue;
                        }
                        c = c != null ? c : other; // other sizes only: refused by the check below
                        if (c == null) {
                            missing.add(new Missing(s, set.id(), g.seed(), g.fold(), src.toString(), set.target().toString()));
                            complete = false;
                            continue;
                        }
                        check.check(g, gDir, in.gridDir(), c);
                        if (!Double.isFinite(c.row().result().valRmse())) { // listed, never skipped silently
                            missing.add(new Missing(s, set.id(), g.seed(), g.fold(), src.toString(), set.target().toString(),
                                    NO_VALIDATION + " (cell " + c.where() + ")"));
                            complete = false;
                            continue;
                        }
                        sourceVal.put(src.toString(), c.row().result().valRmse());
                        if (task.improves(c.row().result().valRmse(), bestVal, 0)) {
                            bestVal = c.row().result().valRmse();
                            chosen = c;
                        }
                    }
                    if (complete && chosen != null) { // chosen on validation, never on test
                        ResultRow c = chosen.row();
                        best[p][u] = c.result().testRmse();
                        String src = set.sources().stream().map(DataRef::toString).filter(x -> x.equals(c.source())).findFirst()
                                .orElse(c.source());
                        choices.add(new Choice(s, set.id(), g.seed(), g.fold(), src, c.cell(), chosen.origin(),
                                c.result().valRmse(), c.result().testRmse(), g.result().testRmse(), g.result().valRmse(),
                                java.util.Collections.unmodifiableMap(sourceVal)));
                    }
                }
            }
            List<Bootstrap.Resample> draws = boot.draw(sp.sizes());
            Comparisons.Split withBest = sp.with(BEST_SINGLE_SOURCE, best);
            out.add(Comparisons.compare(withBest, BEST_SINGLE_SOURCE, Comparisons.Kind.BEST_SINGLE_SOURCE,
                    Comparisons.perPairConstant(withBest, BEST_SINGLE_SOURCE), draws));
            // the k-task baselines, at least, the best baseline on validation and the variants: the pairwise statistics
            out.addAll(Comparisons.againstMethods(sp, draws));
        }
        return new Result(out, choices, missing, check.fingerprinted(), check.sizesOnly(), check.optionsCompared(),
                check.optionsUnknown(), origins, boot.resamples(), boot.seed(), task, null);
    }

    /**
     * @return whether k-task GEAR beats its best single source: by the mean change and by where the 95 % interval lies
     *     (a positive mean whose interval reaches 0 or below is not called a win); one unit gives no interval (its
     *     bootstrap resamples the one change, a zero-width interval that says nothing about the noise)
     */
    static String verdict(Comparisons.Comparison c) {
        String side = c.mean() > 0 ? "is ahead of" : c.mean() < 0 ? "is behind" : "is level with";
        if (c.units() < 2) {
            return side + " its best single source on its one unit (no interval from one unit)";
        }
        if (!Double.isFinite(c.ci().lo()) || !Double.isFinite(c.ci().hi())) {
            return side + " its best single source on average (no interval)";
        }
        if (c.mean() == 0) {
            return "is level with its best single source on average";
        }
        if (c.mean() > 0) {
            return c.ci().lo() > 0 ? "beats its best single source"
                    : "is ahead of its best single source on average, within the noise (the interval reaches 0)";
        }
        return c.ci().hi() < 0 ? "does not beat its best single source (behind it; the interval lies below 0)"
                : "does not beat its best single source (behind it on average; the interval reaches 0)";
    }

    /** @return " (method)" for the baseline a best-on-validation or at-least row stands for in a task set, else "" */
    private static String chosenIn(Comparisons.Comparison c, String set) {
        String m = switch (c.kind()) {
            case BEST_ON_VALIDATION -> c.chosen().get(set);
            case AT_LEAST -> c.chosen().get("");
            default -> null;
        };
        return m == null ? "" : " (" + m + ")";
    }

    private static boolean same(double a, double b) {
        return Double.compare(a, b) == 0;
    }

    private static String pairKey(String source, String target) {
        return source + "\u0000" + target;
    }

    private static String unitKey(String pair, String split, long seed, int fold) {
        return pair + "\u0000" + split + "\u0000" + seed + "\u0000" + fold;
    }

    /** @return the unit key with the row's training, validation and test sizes */
    private static String sized(String unit, ResultRow r) {
        return unit + "\u0000" + r.nTrain() + "/" + r.nVal() + "/" + r.nTest();
    }

    /**
     * The section of {@code summary.md}: the refusal, or the table of comparisons per split type, the change per task
     * set, the source chosen per unit (and how often each was chosen) and the missing pair cells.
     *
     * @return the section, or "" for a grid without task sets
     */
    public static String markdown(Result res) {
        if (res.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("## Task sets: k-task GEAR against its best single source and the k-task baselines\n\n");
        if (res.refusal() != null) {
            return sb.append("**Refused:** ").append(res.refusal()).append("\n\n").toString();
        }
        String m = res.task().metricLabel();
        sb.append("GEAR here is the task set's k-task GEAR cell. Relative test-").append(m).append(" change ")
                .append(MetricText.changeFormula(res.task())).append(", positive = k-task GEAR better; per task set from the mean ")
                .append(m).append("s over the (seed, fold) units both have, then the mean over task sets. *Best single source*: ")
                .append("per unit, among the GEAR cells of the set's pairs (one source each, the same target, split type, seed ")
                .append("and fold), the one with the ").append(MetricText.best(res.task())).append(" validation ").append(m)
                .append(" (never chosen on test); a unit with a missing pair cell is left out of it. The other rows are the ")
                .append("task set's own cells (k-task baselines; stl on the target alone), the smallest of their means (*at ")
                .append("least*) and per task set the baseline with the ").append(MetricText.best(res.task()))
                .append(" mean validation ").append(m).append(" (*best baseline on validation*). 95 % interval: two-stage ")
                .append("percentile bootstrap (task sets, then units; ").append(res.resamples()).append(" resamples, seed ")
                .append(res.seed()).append("). Wilcoxon: two-sided signed-rank test over the (task set, seed, fold) units ")
                .append("(the statistics of the pairwise grid above). Pair cells from: ").append(String.join(", ", res.origins()))
                .append(". Target splits of the matched pair cells: ").append(res.fingerprinted())
                .append(" equal by fingerprint, ").append(res.sizesOnly()).append(" by sizes only (no fingerprint recorded).")
                .append(" Options of the matched pair cells (every option both record, and the tuned values' file hash where ")
                .append("both ran with tuned values): ").append(res.optionsCompared()).append(" equal to the k-task GEAR cell's, ")
                .append(res.optionsUnknown()).append(" not compared (no config.json in the cell, and no grid config.json that ")
                .append("gives its fingerprint).\n\n");
        if (res.comparisons().isEmpty()) {
            sb.append("No k-task GEAR cell finished yet.\n\n");
        } else {
            sb.append("| split | versus | mean over task sets | 95 % interval | task sets | units | k-task GEAR better in | Wilcoxon p |\n")
                    .append("|---|---|---|---|---|---|---|---|\n");
            for (Comparisons.Comparison c : res.comparisons()) {
                String versus = switch (c.kind()) {
                    case BEST_SINGLE_SOURCE -> "**" + c.versus() + "** (pair GEAR, chosen on validation)";
                    case AT_LEAST -> "at least (" + c.chosen().getOrDefault("", "none") + ")";
                    case ABLATION -> c.versus() + " (ablation)";
                    default -> c.versus();
                };
                sb.append("| ").append(c.splitType()).append(" | ").append(versus).append(" | ").append(Summary.pct(c.mean()))
                        .append(" | ").append(Comparisons.interval(c.ci())).append(" | ").append(c.perPair().size()).append(" | ")
                        .append(c.units()).append(" | ").append(c.units() == 0 ? "n/a" : c.better() + " of " + c.units())
                        .append(" | ").append(c.wilcoxon() == null ? "" : Comparisons.p(c.wilcoxon())).append(" |\n");
            }
            sb.append('\n');
            for (Comparisons.Comparison c : res.comparisons()) {
                if (c.kind() == Comparisons.Kind.BEST_SINGLE_SOURCE && Double.isFinite(c.mean())) {
                    sb.append("**").append(c.splitType()).append(" split: k-task GEAR ").append(verdict(c)).append("** (")
                            .append(Summary.pct(c.mean())).append(", 95 % interval ").append(Comparisons.interval(c.ci()))
                            .append(c.wilcoxon() == null ? "" : ", Wilcoxon p " + Comparisons.p(c.wilcoxon())).append(").\n\n");
                }
            }
            sb.append("### Per task set\n\n| split | task set | versus | change |\n|---|---|---|---|\n");
            for (Comparisons.Comparison c : res.comparisons()) {
                String versus = switch (c.kind()) {
                    case AT_LEAST -> "at least";
                    default -> c.versus();
                };
                c.perPair().forEach((set, v) -> sb.append("| ").append(c.splitType()).append(" | ").append(set).append(" | ")
                        .append(versus).append(chosenIn(c, set)).append(" | ").append(Summary.pct(v)).append(" |\n"));
            }
        }
        if (!res.choices().isEmpty()) {
            sb.append("\n### Best single source per unit, chosen on validation ").append(m).append("\n\n| split | task set | seed | fold | ")
                    .append("chosen source | pair cell | validation ").append(m).append(" | its test ").append(m)
                    .append(" | k-task GEAR test ").append(m).append(" | k-task GEAR validation ").append(m)
                    .append(" | every source's pair GEAR validation ").append(m)
                    .append(" |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (Choice c : res.choices()) {
                sb.append("| ").append(c.splitType()).append(" | ").append(c.taskSet()).append(" | ").append(c.seed()).append(" | ")
                        .append(c.fold()).append(" | ").append(c.source()).append(" | ").append(c.cell())
                        .append(c.origin().equals(THIS_GRID) ? "" : " (" + c.origin() + ")").append(" | ").append(num(c.valRmse()))
                        .append(" | ").append(num(c.testRmse())).append(" | ").append(num(c.gearTestRmse())).append(" | ")
                        .append(num(c.gearValRmse())).append(" | ").append(perSource(c)).append(" |\n");
                counts.merge(c.splitType() + " | " + c.taskSet() + " | " + c.source(), 1, Integer::sum);
            }
            sb.append("\n| split | task set | source | units where it was the best |\n|---|---|---|---|\n");
            counts.forEach((k, n) -> sb.append("| ").append(k).append(" | ").append(n).append(" |\n"));
        }
        if (!res.missing().isEmpty()) {
            sb.append("\n### Missing pair cells (").append(res.missing().size())
                    .append("; their units are left out of the best-single-source comparison)\n\n")
                    .append("| split | task set | seed | fold | pair (source → target) | missing |\n|---|---|---|---|---|---|\n");
            for (Missing x : res.missing()) {
                sb.append("| ").append(x.splitType()).append(" | ").append(x.taskSet()).append(" | ").append(x.seed()).append(" | ")
                        .append(x.fold()).append(" | ").append(x.source()).append(" → ").append(x.target()).append(" | ")
                        .append(x.why()).append(" |\n");
            }
        }
        return sb.append('\n').toString();
    }

    /** @return "source: score; …" in the set's order of sources */
    private static String perSource(Choice c) {
        List<String> parts = new ArrayList<>();
        c.sourceValRmse().forEach((src, v) -> parts.add(src + ": " + num(v)));
        return String.join("; ", parts);
    }

    /** @return the lines printed after a grid run: the refusal, or each comparison and the count of missing pair cells */
    public static List<String> lines(Result res) {
        List<String> out = new ArrayList<>();
        if (res.isEmpty()) {
            return out;
        }
        if (res.refusal() != null) {
            out.add("task sets: refused: " + res.refusal());
            return out;
        }
        for (Comparisons.Comparison c : res.comparisons()) {
            out.add(String.format(Locale.ROOT, "task sets, %s split: k-task GEAR against %s: %s %s, %s units, Wilcoxon p %s",
                    c.splitType(), c.versus(), Summary.pct(c.mean()), Comparisons.interval(c.ci()), c.units(),
                    c.wilcoxon() == null ? "n/a" : Comparisons.p(c.wilcoxon())));
        }
        if (!res.missing().isEmpty()) {
            long noVal = res.missing().stream().filter(x -> x.why().startsWith(NO_VALIDATION)).count();
            out.add("task sets: " + res.missing().size() + " pair cells missing (listed in summary.md; give the grids that hold "
                    + "them with --pairs-from)" + (noVal == 0 ? "" : "; " + noVal + " of them finished without a validation score"));
        }
        return out;
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "n/a";
    }
}
