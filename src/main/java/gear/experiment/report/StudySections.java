package gear.experiment.report;

import com.fasterxml.jackson.databind.JsonNode;
import gear.experiment.grid.CellKey;
import gear.experiment.grid.ResultRow;
import gear.experiment.grid.Studies;
import gear.experiment.grid.StudyPlots;
import gear.experiment.grid.Summary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The sections of a grid's studies (label noise, extrapolation, ablation; see {@link Studies}): each
 * appears only when the grid's {@code results.json} has such cells, and holds the study's table,
 * recomputed by the report from {@code results.json} (means and standard deviations to 6 significant
 * digits), followed by the study's figures ({@link StudyPlots}), which the generic Figures section then
 * leaves out.
 */
final class StudySections {
    private StudySections() {}

    /**
     * The rendered sections.
     *
     * @param sections title → XHTML, in page order
     * @param figures the PNG files these sections inline (to leave out of the Figures section)
     * @param images how many images they inline
     */
    record Rendered(List<String[]> sections, List<Path> figures, int images) {}

    /**
     * @param dir the grid directory
     * @param results the parsed {@code results.json} (null or not a grid's rows: no sections)
     */
    static Rendered render(Path dir, JsonNode results) {
        return render(dir, results, gear.train.Regression.INSTANCE);
    }

    /** {@link #render(Path, JsonNode)} for a grid of the given task type (its metric's label and direction). */
    static Rendered render(Path dir, JsonNode results, gear.train.TaskType task) {
        List<ResultRow> rows = rows(results);
        List<String[]> sections = new ArrayList<>();
        List<Path> figures = new ArrayList<>();
        if (rows.isEmpty()) {
            return new Rendered(sections, figures, 0);
        }
        Studies.Result st = Summary.compute(rows, task).studies();
        String m = task.metricLabel();
        List<String> files = StudyPlots.files(rows, st);
        int images = 0;
        if (!st.noise().isEmpty()) {
            images += add(sections, figures, dir, files, "noise_", "Label noise", noise(st.noise(), m));
        }
        if (!st.extrapolation().isEmpty()) {
            images += add(sections, figures, dir, files, "extrapolation_", "Extrapolation", extrapolation(st.extrapolation(), m));
        }
        if (!st.ablation().isEmpty()) {
            images += add(sections, figures, dir, files, "ablation", "Ablation", ablation(st.ablation(), task));
        }
        return new Rendered(sections, figures, images);
    }

    /** @return the rows of a grid's results.json, or none when it is not one (a run's or another tool's file) */
    static List<ResultRow> rows(JsonNode results) {
        List<ResultRow> rows = new ArrayList<>();
        if (results == null || !results.isArray()) {
            return rows;
        }
        for (JsonNode n : results) {
            if (!n.isObject() || !n.hasNonNull("cell") || !n.hasNonNull("method") || !n.hasNonNull("split_type")) {
                return List.of();
            }
            try {
                rows.add(ResultRow.fromJson(n));
            } catch (RuntimeException e) {
                return List.of();
            }
        }
        return rows;
    }

    private static int add(List<String[]> sections, List<Path> figures, Path dir, List<String> files, String prefix, String title,
            String table) {
        List<Path> pngs = files.stream().filter(f -> f.startsWith(prefix)).map(dir::resolve).filter(Files::isRegularFile).toList();
        Figures.Rendered figs = Figures.inline(dir, pngs);
        figures.addAll(pngs);
        sections.add(new String[] {title, table + (pngs.isEmpty()
                ? Html.note("No plots of this study in the directory (written at the end of a grid run).") : figs.xhtml())});
        return figs.images();
    }

    static String ms(double[] v) {
        return Double.isFinite(v[0]) ? fmt(v[0]) + " ± " + fmt(v[1]) : "n/a";
    }

    static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "n/a";
    }

    private static String noise(List<Studies.NoiseStat> stats, String m) {
        TreeSet<Double> fractions = new TreeSet<>();
        stats.forEach(s -> fractions.add(s.fraction()));
        List<List<String>> rows = new ArrayList<>();
        for (Studies.NoiseStat s : stats) {
            rows.add(List.of(s.pair(), s.splitType(), s.method(), CellKey.fraction(s.fraction()), Integer.toString(s.n()), fmt(s.rmse()[0]),
                    fmt(s.rmse()[1])));
        }
        return Html.note("Clean-test " + m + " against the fraction of corrupted target training labels, mean and std over "
                + "folds and seeds (n cells), recomputed from results.json. Fractions: "
                + String.join(", ", fractions.stream().map(CellKey::fraction).toList()) + ".")
                + Html.table(List.of("pair", "split", "method", "noise fraction", "n", "test " + m + " mean", "test " + m + " std"), rows);
    }

    private static String extrapolation(List<Studies.ExtrapolationStat> stats, String m) {
        List<List<String>> rows = new ArrayList<>();
        for (Studies.ExtrapolationStat s : stats) {
            rows.add(List.of(s.pair(), s.method(), s.splitType(), Integer.toString(s.n()), ms(s.rmse()), ms(s.rmseIn()),
                    ms(s.rmseOut()), fmt(s.outShare())));
        }
        return Html.note("Test " + m + " inside and outside each cell's training range ([min, max] of its target training values), "
                + "mean ± std over folds and seeds, recomputed from results.json; value split = train on the lowest 80% of "
                + "values, test on the top 20%.")
                + Html.table(List.of("pair", "method", "split", "n", "test " + m, "in-range " + m, "out-of-range " + m,
                        "share out of range"), rows);
    }

    private static String ablation(List<Studies.AblationStat> stats, gear.train.TaskType task) {
        String m = task.metricLabel();
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> gaps = new ArrayList<>();
        for (Studies.AblationStat s : stats) {
            rows.add(List.of(s.pair(), s.splitType(), s.method(), Integer.toString(s.n()), ms(s.rmse()), fmt(s.change())));
            gaps.add(List.of(s.pair(), s.splitType(), s.method(), ms(s.trainBest()), ms(s.valBest()), ms(s.gapBest()),
                    ms(s.trainLast()), ms(s.valLast()), ms(s.gapLast())));
        }
        return Html.note("GEAR with one loss weight set to 0 per variant; mean ± std over folds and seeds, recomputed from "
                + "results.json; change = " + gear.experiment.grid.MetricText.worseningFormula(task) + ".")
                + Html.table(List.of("pair", "split", "method", "n", "test " + m, "change vs gear"), rows)
                + Html.note("Overfitting: target validation − training " + m + " per cell (gap), at the selected and at the last "
                        + "epoch. A term that reduces overfitting has a smaller gap with it (gear) than without it.")
                + Html.table(List.of("pair", "split", "method", "train (selected)", "val (selected)", "gap (selected)",
                        "train (last)", "val (last)", "gap (last)"), gaps);
    }
}
