package gear.experiment.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.data.AtomicFiles;
import gear.data.BadInputException;
import gear.experiment.grid.PairGrids;
import gear.experiment.grid.ResultRow;
import gear.train.Provenance;
import gear.train.Regression;
import gear.train.TaskType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code gear report}: one self-contained XHTML page for a run or grid directory.
 *
 * <p>Every section is optional and appears only when its files exist; a file that cannot be read
 * gives a note in the page instead of failing the report.
 *
 * <p>A benchmark grid (a {@code results.json} of grid rows) leads with the answer: the pivot tables of test
 * RMSE, GEAR's relative change with intervals and tests, and the headline figures ({@link GridSections});
 * then the per-pair detail, the studies (label noise, extrapolation, ablation; {@link StudySections}), the
 * data sets by file name, how to reproduce it ({@link Reproduce}: a {@code gear benchmark} line for the whole
 * grid), its Markdown files and configuration (collapsed), other top-level figures, and the raw cells last
 * and collapsed, each with links to its own plots (not inlined: the page of a 100-cell grid stays far under
 * 2 MB).
 *
 * <p>Any other directory (a run): how to reproduce (from config.json), model provenance (safetensors
 * headers of {@code *.gear} and {@code *.safetensors} files, see {@link ModelHeader}; this and the results, CSV and cell
 * sections in {@link RunSections}), results
 * (results.json, else results.csv), Markdown files (summary.md first), for a GATE or GEAR transfer run the picture of
 * its two latent manifolds ({@link LatentSection}), test predictions (with RMSE/MAE/R²
 * recomputed when a truth and a prediction column are recognised), per-epoch metrics (metrics.csv), other
 * CSV files, split sizes (splits.json), the figures (see {@link Figures}), configuration (config.json
 * pretty-printed) and the cell directories.
 *
 * <p>Tables wider than the page scroll inside their own box, so that the page fits a laptop's screen. An
 * inline script at the end of the page records on {@code <body>} how many images the browser decoded
 * ({@code data-images-loaded}) and the page's and the window's widths, for headless render checks.
 */
public final class RunReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KNOWN = Set.of("results.csv", "metrics.csv", "test_predictions.csv");
    private static final long MAX_TEXT = 1L << 20;
    private static final String TASK_SETS = "Task sets: k-task GEAR against its best single source";

    private RunReport() {}

    /**
     * What was written.
     *
     * @param file the page
     * @param images the number of images inlined
     * @param sections the section titles, in page order
     * @param pairGrids the other grids whose pair cells the task sets' comparison read, and where they were named
     *     ({@link PairGrids#NONE} when the directory is not a grid with task sets)
     */
    public record Summary(Path file, int images, List<String> sections, PairGrids pairGrids) {}

    /**
     * Writes the report of {@code dir} to {@code out} atomically.
     *
     * @throws BadInputException if {@code dir} is not a directory
     * @throws IOException if the directory cannot be listed or the page cannot be written
     */
    public static Summary write(Path dir, Path out) throws IOException {
        return write(dir, out, List.of());
    }

    /**
     * {@link #write(Path, Path)}; a grid with task sets gets their comparison with the best single source
     * ({@link gear.experiment.grid.TaskSets}), its pair cells from the grid and from other grids ({@link PairGrids}:
     * {@code pairsFrom}, else those the grid's config.json records; the comparison is left out, with a note, when a recorded
     * one no longer exists).
     *
     * @param pairsFrom other grid directories whose finished pair cells supply the task sets' pair GEAR cells (empty: those
     *     recorded in the grid's config.json)
     * @throws BadInputException also when a matched pair cell's target split differs from its task set's
     */
    public static Summary write(Path dir, Path out, List<Path> pairsFrom) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir + ": not a directory (gear report takes a run or grid directory)");
        }
        Page page = new Page();
        Path incomplete = dir.resolve(gear.train.RunGuard.INCOMPLETE);
        if (Files.isRegularFile(incomplete)) {
            String why = readText(incomplete, page);
            page.section("INCOMPLETE RUN", Html.note("This directory does not hold a finished run: "
                    + (why == null ? "" : why.trim()) + " What follows are the files as they are, not results."));
        }
        JsonNode config = readJson(dir.resolve("config.json"), page);
        JsonNode results = readJson(dir.resolve("results.json"), page);
        List<ResultRow> gridRows = StudySections.rows(results);
        TaskType task = taskType(config);
        Set<Path> shown = new HashSet<>();
        shown.add(out);
        int images = 0;
        StudySections.Rendered studies = StudySections.render(dir, results, task);
        PairGrids pairGrids = PairGrids.of(config, pairsFrom);
        gear.experiment.grid.TaskSets.Input sets = taskSetInput(config, dir, pairGrids);
        if (gridRows.isEmpty() || sets == null || sets.pairs().stream().noneMatch(gear.experiment.grid.PairSpec::isTaskSet)) {
            pairGrids = PairGrids.NONE; // nothing reads pair grids
        }
        if (!gridRows.isEmpty()) {
            boolean leftOut = !pairGrids.gone().isEmpty();
            images += gridSections(dir, gridRows, task, page, shown, leftOut ? null : sets,
                    leftOut ? pairGrids.describe() + "." : null);
            images += studies(studies, page, shown);
            page.section("Data sets", GridSections.datasets(gridRows));
        }
        if (config != null) {
            page.section("Reproduce", reproduce(withPairsFrom(config, pairsFrom), dir.resolve("config.json")));
        }
        RunSections.modelsSection(dir, page);
        if (gridRows.isEmpty()) {
            RunSections.resultsSection(dir, results, page);
        }
        for (Path md : RunSections.files(dir, ".md")) {
            String text = readText(md, page);
            if (text != null) {
                String body = Markdown.toXhtml(text, 2);
                page.section(md.getFileName().toString(), gridRows.isEmpty() ? body
                        : Html.collapsed("The grid's " + md.getFileName() + " (the same numbers as above, as text)", body));
            }
        }
        if (gridRows.isEmpty()) {
            images += studies(studies, page, shown);
            LatentSection.Rendered latent = LatentSection.render(dir, config);
            if (latent != null) {
                page.section("Latent manifolds", latent.xhtml());
                images += latent.images();
            }
        }
        Path preds = dir.resolve("test_predictions.csv");
        if (Files.isRegularFile(preds)) {
            page.section("Test predictions", Predictions.render(preds, task));
        }
        Path metrics = dir.resolve("metrics.csv");
        if (Files.isRegularFile(metrics)) {
            page.section("Metrics per epoch", RunSections.csv(metrics));
        }
        for (Path c : RunSections.files(dir, ".csv")) {
            if (!KNOWN.contains(c.getFileName().toString())) {
                page.section(c.getFileName().toString(), RunSections.csv(c));
            }
        }
        JsonNode splits = readJson(dir.resolve("splits.json"), page);
        if (splits != null && splits.isObject()) {
            List<List<String>> rows = new ArrayList<>();
            splits.fields().forEachRemaining(e -> rows.add(List.of(e.getKey(),
                    e.getValue().isArray() ? Integer.toString(e.getValue().size()) : Tables.text(e.getValue()))));
            page.section("Splits", Html.note("Sizes from splits.json (indices are 0-based data rows).")
                    + Html.table(List.of("part", "rows"), rows));
        }
        // a grid's cells keep their own figures: linked from the raw cells, not inlined (the page stays small)
        Figures.Rendered figs = gridRows.isEmpty() ? Figures.render(dir, shown) : Figures.render(dir, shown, 1);
        if (gridRows.isEmpty() || figs.images() > 0) {
            page.section(gridRows.isEmpty() ? "Figures" : "Other figures", figs.xhtml());
        }
        images += figs.images();
        if (config != null) {
            String pretty = Html.pre(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
            page.section("Configuration", gridRows.isEmpty() ? pretty : Html.collapsed("config.json (pairs, options, paths)", pretty));
        }
        if (gridRows.isEmpty()) {
            RunSections.cellsSection(dir, page);
        } else {
            page.section("Raw cells", GridSections.rawCells(gridRows, dir));
        }
        String title = "gear report: " + dir.toAbsolutePath().normalize().getFileName();
        String meta = "Directory " + dir.toAbsolutePath().normalize() + "; generated "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " by gear " + Provenance.buildVersion() + ".";
        AtomicFiles.writeString(out, page.render(title, meta, images));
        return new Summary(out, images, page.titles(), pairGrids);
    }

    /**
     * @param config the run's or grid's parsed {@code config.json} (null: none)
     * @return the task type it names ({@code task_type}), regression when it names none or one not known
     */
    static TaskType taskType(JsonNode config) {
        if (config == null || !config.hasNonNull("task_type")) {
            return Regression.INSTANCE;
        }
        try {
            return TaskType.parse(config.get("task_type").asText());
        } catch (IllegalArgumentException e) {
            return Regression.INSTANCE;
        }
    }

    /** @return the task-set comparison's input of a grid's config.json (null when it has no readable pairs) */
    private static gear.experiment.grid.TaskSets.Input taskSetInput(JsonNode config, Path dir, PairGrids pairGrids) {
        if (config == null || !config.has("pairs")) {
            return null;
        }
        try {
            return new gear.experiment.grid.TaskSets.Input(gear.experiment.grid.ConfigFields.pairs(config), dir,
                    pairGrids.dirs());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The answer and the per-pair detail of a grid (see {@link GridSections}), and a grid with task sets their comparison
     * with the best single source (or {@code leftOut}, why it is left out); returns the images inlined.
     */
    private static int gridSections(Path dir, List<ResultRow> rows, TaskType task, Page page, Set<Path> shown,
            gear.experiment.grid.TaskSets.Input taskSets, String leftOut) throws IOException {
        gear.experiment.grid.Summary.Result stats = gear.experiment.grid.Summary.compute(rows, task, taskSets);
        if (stats.taskSets().refusal() != null) {
            throw new BadInputException(dir + ": " + stats.taskSets().refusal());
        }
        List<Path> headline = new ArrayList<>();
        for (String prefix : GridSections.HEADLINE_FIGURES) {
            for (Path p : RunSections.files(dir, ".png")) {
                if (p.getFileName().toString().startsWith(prefix)) {
                    headline.add(p);
                }
            }
        }
        Figures.Rendered figs = Figures.inline(dir, headline);
        shown.addAll(headline);
        page.section("Answer", GridSections.answer(rows, stats, figs.xhtml()));
        if (leftOut != null) {
            page.section(TASK_SETS, Html.note(leftOut));
        }
        if (!stats.taskSets().isEmpty()) {
            String md = gear.experiment.grid.TaskSets.markdown(stats.taskSets());
            page.section(TASK_SETS,
                    Markdown.toXhtml(md.substring(md.indexOf('\n') + 1), 1));
        }
        page.section("Per-pair detail", GridSections.detail(rows, stats));
        page.section("Convergence", GridSections.convergence(stats.convergence()));
        return figs.images();
    }

    private static int studies(StudySections.Rendered studies, Page page, Set<Path> shown) {
        studies.sections().forEach(t -> page.section(t[0], t[1]));
        shown.addAll(studies.figures());
        return studies.images();
    }

    /**
     * @return a grid's config.json with the report's {@code --pairs-from} directories (absolute) in place of those it
     *     recorded, so that the rebuilt command reads the pair cells the report read; the config itself otherwise
     */
    static JsonNode withPairsFrom(JsonNode config, List<Path> pairsFrom) {
        if (pairsFrom.isEmpty() || !Reproduce.isGrid(config) || !config.isObject()) {
            return config;
        }
        com.fasterxml.jackson.databind.node.ObjectNode c = ((com.fasterxml.jackson.databind.node.ObjectNode) config).deepCopy();
        com.fasterxml.jackson.databind.node.ArrayNode a = c.putArray(gear.experiment.grid.Grid.PAIRS_FROM);
        pairsFrom.forEach(d -> a.add(d.toAbsolutePath().normalize().toString()));
        return c;
    }

    private static String reproduce(JsonNode config, Path configFile) {
        Reproduce.Result r = Reproduce.from(config, configFile.toString());
        StringBuilder b = new StringBuilder();
        if (Reproduce.isGrid(config)) {
            b.append(Html.note("Rebuilt from config.json. The first line recomputes every cell into a new directory; the "
                    + "second rewrites results, summary, statistics and plots from the finished cells of this one."));
            r.commandLines().forEach(l -> b.append(Html.pre(l)));
        } else if (r.commandLines().isEmpty()) {
            b.append(Html.note("config.json names no command; its full content is under Configuration."));
        } else {
            b.append(Html.note("Rebuilt from config.json (option names follow its keys; check against "
                    + "gear " + (r.command() == null ? "COMMAND" : r.command()) + " --help):"));
            for (String l : r.commandLines()) {
                b.append(Html.pre(l));
            }
        }
        if (!r.omitted().isEmpty()) {
            b.append(Html.note("Not expressible on a command line: " + String.join(", ", r.omitted())));
        }
        return b.toString();
    }

    private static JsonNode readJson(Path file, Page page) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        String text = readText(file, page);
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            page.problem(file.getFileName() + " is not valid JSON: " + e.getMessage());
            return null;
        }
    }

    private static String readText(Path file, Page page) {
        try {
            if (Files.size(file) > MAX_TEXT) {
                page.problem(file.getFileName() + " is larger than " + (MAX_TEXT >> 20) + " MiB; not shown");
                return null;
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            page.problem("could not read " + file.getFileName() + ": " + e);
            return null;
        }
    }
}
