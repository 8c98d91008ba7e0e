package gear.experiment.report;

import gear.experiment.grid.Ablation;
import gear.experiment.grid.Comparisons;
import gear.experiment.grid.MetricText;
import gear.experiment.grid.ResultRow;
import gear.experiment.grid.Summary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The sections of a benchmark grid's report that lead with the answer, all recomputed from the grid's
 * {@code results.json}: the pivot table of test RMSE per split type (pairs as rows, methods as columns,
 * mean ± std over folds and seeds, the lowest mean of each row in bold), GEAR's relative change with its
 * intervals and tests ({@link Comparisons}); then the per-pair detail; the data sets by file name (full
 * name in a tooltip); and the raw cells, collapsed, with links to each cell's own figures (not inlined, so
 * the page stays small however many cells the grid has).
 */
final class GridSections {
    /** The grid-level figures shown with the answer, in this order (file-name prefixes). */
    static final List<String> HEADLINE_FIGURES = List.of("rmse_", "gear_relative");
    /** The columns of results.json shown in the raw cells table (results.csv has them all). */
    static final List<String> RAW_COLUMNS = List.of("pair", "method", "split_type", "fold", "seed", "n_train", "n_val",
            "n_test", "n_source", "test_rmse", "test_mae", "test_r2", "val_rmse", "best_epoch", "train_seconds");

    private GridSections() {}

    /** Methods in column order: the baselines and GEAR in first-seen order, then the ablation variants. */
    static List<String> methods(List<ResultRow> rows) {
        Set<String> m = new LinkedHashSet<>();
        rows.stream().map(ResultRow::method).filter(x -> !Ablation.isVariant(x)).forEach(m::add);
        rows.stream().map(ResultRow::method).filter(Ablation::isVariant).forEach(m::add);
        return List.copyOf(m);
    }

    /**
     * The answer: per split type the pivot table, then the statistics, then the grid's headline figures.
     *
     * @param stats the grid's aggregates ({@link Summary#compute})
     * @param figures the headline PNG files, already inlined by the caller
     */
    static String answer(List<ResultRow> rows, Summary.Result stats, String figures) {
        StringBuilder b = new StringBuilder();
        List<String> methods = methods(rows);
        Set<String> splits = new LinkedHashSet<>();
        stats.stats().forEach(s -> splits.add(s.splitType()));
        gear.train.TaskType task = stats.task();
        String metric = task.metricLabel();
        b.append(Html.note("Test " + metric + " in each pair's target units, mean ± std over folds and seeds (clean cells); "
                + "the " + MetricText.best(task) + " mean of each row among the methods other than GEAR's ablation variants in bold."));
        for (String sp : splits) {
            b.append(Html.el("h3", "Test " + metric + ", " + sp + " split")).append('\n');
            List<String> header = new ArrayList<>(List.of("pair"));
            header.addAll(methods);
            List<List<String>> body = new ArrayList<>();
            Set<String> pairs = new LinkedHashSet<>();
            stats.stats().stream().filter(s -> s.splitType().equals(sp)).forEach(s -> pairs.add(s.pair()));
            for (String p : pairs) {
                Map<String, Summary.Stat> byMethod = new LinkedHashMap<>();
                stats.stats().stream().filter(s -> s.splitType().equals(sp) && s.pair().equals(p)).forEach(s -> byMethod.put(s.method(), s));
                java.util.stream.DoubleStream finite = byMethod.values().stream().filter(s -> !Ablation.isVariant(s.method()))
                        .mapToDouble(s -> s.rmse()[0]).filter(Double::isFinite);
                double best = (task.higherIsBetter() ? finite.max() : finite.min()).orElse(Double.NaN);
                List<String> row = new ArrayList<>(List.of(Html.esc(p)));
                for (String m : methods) {
                    Summary.Stat s = byMethod.get(m);
                    String text = s == null ? "" : Html.esc(pm(s.rmse(), s.n()));
                    boolean bold = s != null && !Ablation.isVariant(m) && s.rmse()[0] == best;
                    row.add(bold ? "<strong>" + text + "</strong>" : text);
                }
                body.add(row);
            }
            b.append(Html.rawTable(header, body));
        }
        b.append(statistics(stats.comparisons()));
        stats.variants().forEach(v -> b.append(statistics(v)));
        b.append(figures);
        return b.toString();
    }

    /** The statistics table (the one of summary.md, as XHTML). */
    static String statistics(Comparisons.Result res) {
        if (res.comparisons().isEmpty()) {
            return Html.note("No GEAR cells: no relative change to show.");
        }
        String who = res.subject().equals(gear.experiment.grid.Summary.GEAR) ? "GEAR" : res.subject();
        StringBuilder b = new StringBuilder(Html.el("h3", who + "'s relative change")).append('\n');
        if (!who.equals("GEAR")) {
            b.append(Html.note("The GEAR variant " + who + " (" + Ablation.setting(who).orElse("") + ") in GEAR's place: \"GEAR\" below is "
                    + who + "."));
        }
        String metric = res.task().metricLabel();
        b.append(Html.note(MetricText.changeFormula(res.task()) + ", positive = GEAR better; per pair from the mean " + metric
                + "s over the units both finished, then the mean over pairs. At least = the smallest of the baselines' means. Best "
                + "baseline on validation = per pair the baseline with the " + MetricText.best(res.task()) + " validation " + metric
                + " (never chosen on test). "
                + "95 % interval: two-stage bootstrap (pairs, then units), " + res.resamples() + " resamples, seed " + res.seed()
                + ". Wilcoxon: two-sided signed-rank test over the (pair, seed, fold) units."));
        List<List<String>> rows = new ArrayList<>();
        for (Comparisons.Comparison c : res.comparisons()) {
            String versus = switch (c.kind()) {
                case AT_LEAST -> "<strong>at least</strong> (" + Html.esc(c.chosen().getOrDefault("", "none")) + ")";
                case ABLATION -> Html.esc(c.versus() + (gear.experiment.grid.Ablation.isAblation(c.versus()) ? " (ablation)" : " (variant)"));
                default -> Html.esc(c.versus());
            };
            String mean = pct(c.mean());
            rows.add(List.of(Html.esc(c.splitType()), versus, c.kind() == Comparisons.Kind.AT_LEAST ? "<strong>" + mean + "</strong>" : mean,
                    Html.esc(interval(c.ci())), Integer.toString(c.perPair().size()),
                    c.units() == 0 ? "n/a" : c.better() + " of " + c.units(),
                    c.wilcoxon() == null ? "" : Html.esc(c.wilcoxon().n() == 0 ? "n/a"
                            : String.format(Locale.ROOT, "%.2g (%s)", c.wilcoxon().p(), c.wilcoxon().method()))));
        }
        b.append(Html.rawTable(List.of("split", "versus", "mean over pairs", "95 % interval", "pairs", "GEAR better in",
                "Wilcoxon p"), rows));
        return b.toString();
    }

    /**
     * The convergence check ({@link gear.experiment.grid.Convergence}): per phase and method the finished cells, those
     * that selected an epoch in the last tenth of their budget and their share, led by the "not converged" lines.
     */
    static String convergence(gear.experiment.grid.Convergence.Result res) {
        StringBuilder b = new StringBuilder();
        for (String w : gear.experiment.grid.Convergence.warnings(res)) {
            b.append("<p><strong>").append(Html.esc(w)).append("</strong></p>\n");
        }
        b.append(Html.note("Late = the selected epoch b (0-based best_epoch) has b + 1 > 0.9 · E, E the cell's resolved "
                + "epochs (pretraining: pretrain_epochs against source_best_epoch; a pretraining stopped early by patience "
                + "counts as converged). Must be under " + gear.experiment.grid.Convergence.LIMIT_PERCENT + " %; over every "
                + "finished cell" + (res.unknown() > 0 ? " (" + res.unknown() + " without a known epochs budget left out)" : "")
                + "."));
        List<List<String>> body = new ArrayList<>();
        for (String phase : List.of("target", "pretraining")) {
            for (gear.experiment.grid.Convergence.Count c : phase.equals("target") ? res.target() : res.pretraining()) {
                body.add(List.of(phase, c.method(), Integer.toString(c.cells()), Integer.toString(c.late()),
                        gear.experiment.grid.Convergence.pct(c.share()) + (c.notConverged() ? " (not converged)" : "")));
            }
        }
        b.append(Html.table(List.of("phase", "method", "cells", "late", "share"), body));
        return b.toString();
    }

    /** Per pair: one table, methods as rows, test and validation RMSE, MAE, R² and cells per split type. */
    static String detail(List<ResultRow> rows, Summary.Result stats) {
        String metric = stats.task().metricLabel();
        StringBuilder b = new StringBuilder(Html.note("Per pair, mean ± std over folds and seeds; validation " + metric + " is what "
                + "model selection saw. Units: the pair's target units (R² has none)."));
        Set<String> pairs = new LinkedHashSet<>();
        stats.stats().forEach(s -> pairs.add(s.pair()));
        for (String p : pairs) {
            b.append(Html.el("h3", p)).append('\n');
            List<List<String>> body = new ArrayList<>();
            for (Summary.Stat s : stats.stats()) {
                if (s.pair().equals(p)) {
                    double[] val = gear.eval.Metrics.meanStd(rows.stream().filter(r -> r.noiseFraction() == 0 && r.pair().equals(p)
                            && r.method().equals(s.method()) && r.splitType().equals(s.splitType()))
                            .mapToDouble(r -> r.result().valRmse()).toArray());
                    body.add(List.of(s.splitType(), s.method(), Integer.toString(s.n()), pm(s.rmse(), s.n()), pm(val, s.n()),
                            pm(s.mae(), s.n()), pm(s.r2(), s.n())));
                }
            }
            b.append(Html.table(List.of("split", "method", "cells", "test " + metric, "val " + metric, "test MAE", "test R²"), body));
        }
        return b.toString();
    }

    /** The data sets of each pair by file name, the full name (path and column) in a tooltip. */
    static String datasets(List<ResultRow> rows) {
        Map<String, String[]> pairs = new LinkedHashMap<>();
        rows.forEach(r -> pairs.putIfAbsent(r.pair(), new String[] {r.source(), r.target()}));
        List<List<String>> body = new ArrayList<>();
        pairs.forEach((p, st) -> body.add(List.of(Html.esc(p), named(st[0]), named(st[1]))));
        return Html.note("Hover a name for its full path and column; the pairs' definitions are in config.json (Configuration).")
                + Html.rawTable(List.of("pair", "source", "target"), body);
    }

    /** A data set shown by its file name (without directories), the full text as its title. */
    static String named(String full) {
        String shown = shortName(full);
        return shown.equals(full) ? Html.esc(full) : "<span title=\"" + Html.esc(full) + "\">" + Html.esc(shown) + "</span>";
    }

    /** {@code /a/b/set.csv (col)} → {@code set.csv (col)}; a registry name stays as it is. */
    static String shortName(String full) {
        int paren = full.lastIndexOf(" (");
        String file = paren > 0 ? full.substring(0, paren) : full;
        String rest = paren > 0 ? full.substring(paren) : "";
        int slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
        return slash >= 0 ? file.substring(slash + 1) + rest : full;
    }

    /**
     * The raw cells, collapsed: the main columns of results.json and links to each cell's PNG files.
     *
     * @param dir the grid directory (links are relative to it, as the report lies in it by default)
     */
    static String rawCells(List<ResultRow> rows, Path dir) throws IOException {
        List<List<String>> body = new ArrayList<>();
        for (ResultRow r : rows) {
            Object[] v = r.values();
            List<String> row = new ArrayList<>(List.of(Html.esc(r.cell())));
            for (String c : RAW_COLUMNS) {
                Object x = v[ResultRow.COLUMNS.indexOf(c)];
                String text = x == null || (x instanceof Double d && !Double.isFinite(d)) ? "" : x.toString();
                row.add(Html.esc(text));
            }
            row.add(links(dir, r.cell()));
            body.add(row);
        }
        List<String> header = new ArrayList<>(List.of("cell"));
        header.addAll(RAW_COLUMNS);
        header.add("figures");
        return "<details><summary>" + Html.esc(rows.size() + " cells (click to show); every column is in results.csv")
                + "</summary>\n<div class=\"raw\">" + Html.rawTable(header, body) + "</div></details>\n";
    }

    private static String links(Path dir, String cell) throws IOException {
        Path cd = dir.resolve("cells").resolve(cell);
        if (!Files.isDirectory(cd)) {
            return "";
        }
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(cd)) {
            for (Path p : s.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")).sorted().toList()) {
                String rel = "cells/" + cell + "/" + p.getFileName();
                String name = p.getFileName().toString().replaceFirst("(?i)\\.png$", "");
                out.add("<a href=\"" + Html.esc(rel) + "\">" + Html.esc(name) + "</a>");
            }
        }
        return String.join(" ", out);
    }

    /** Mean ± std to 4 and 2 significant digits; the mean alone for one cell (no spread to show). */
    static String pm(double[] ms, int n) {
        if (!Double.isFinite(ms[0])) {
            return "n/a";
        }
        return n < 2 ? String.format(Locale.ROOT, "%.4g (1 cell)", ms[0]) : String.format(Locale.ROOT, "%.4g ± %.2g", ms[0], ms[1]);
    }

    static String pct(double f) {
        return Double.isFinite(f) ? String.format(Locale.ROOT, "%+.1f %%", 100 * f) : "n/a";
    }

    static String interval(gear.experiment.stats.Bootstrap.Interval ci) {
        return Double.isFinite(ci.lo()) ? "[" + pct(ci.lo()) + ", " + pct(ci.hi()) + "]" : "n/a";
    }
}
