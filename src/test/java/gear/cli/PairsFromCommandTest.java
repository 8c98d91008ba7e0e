package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.experiment.grid.TaskSetToyGrid;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --pairs-from} of {@code gear benchmark} and {@code gear report} on the toy grids of {@link TaskSetToyGrid}: the
 * task set's comparison with its best single source on stdout, in summary.md and in the report; another protocol's pair
 * grid refused with exit code 2 and a message, no stack trace.
 */
class PairsFromCommandTest {
    /** The task set's comparison with its best single source, as stdout and summary.md give it on the toy grids. */
    private static final String LINE = "task sets, random split: k-task GEAR against best single source: +9.8%";
    private static final String ROW = "| random | **best single source** (pair GEAR, chosen on validation) | +9.8% |";

    static String[] benchmark(Path pairs, String methods, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("benchmark", "--pairs", pairs.toString(), "--methods", methods, "--split-types",
                "random", "--folds", "3", "--max-folds", "1", "--seeds", "0,1,2,3", "--epochs", "3", "-o", out.toString(),
                "--no-plots", "--no-load-cache", "--isolation", "thread", "--runner", TaskSetToyGrid.Runner.class.getName()));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    @Test
    void benchmarkAndReportCompareTheTaskSetWithItsBestSingleSource(@TempDir Path dir) throws Exception {
        TaskSetToyGrid.files(dir);
        Path b = dir.resolve("B");
        Path a = dir.resolve("A");
        pairGrid(dir, b);
        MainTest.Result r = MainTest.run(benchmark(dir.resolve("a.json"), "gear,mtl,stl", a, "--pairs-from", b.toString()));
        assertEquals(0, r.code(), r.err());
        // seeds 0-3 chosen on validation: p1, p1, p2, p1, test 12, 13, 11, 15 against 10-13: (51 - 46) / 51
        assertTrue(r.out().contains("task sets, random split: k-task GEAR against best single source: +9.8%"), r.out());
        assertTrue(Files.readString(a.resolve("summary.md")).contains("| random | **best single source** (pair GEAR, chosen on "
                + "validation) | +9.8% |"));
        Path html = dir.resolve("r.html");
        MainTest.Result rep = MainTest.run("report", a.toString(), "-o", html.toString(), "--pairs-from", b.toString());
        assertEquals(0, rep.code(), rep.err());
        String page = Files.readString(html);
        assertTrue(page.contains("Task sets: k-task GEAR against its best single source"), page);
        assertTrue(page.contains("+9.8%"), page);
        assertFalse(page.contains("Missing pair cells"), page);
        // the grid records the pair grids it read, and the report's Reproduce lines give them to --pairs-from
        assertEquals(b.toAbsolutePath().normalize().toString(), new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(a.resolve("config.json").toFile()).get("pairs_from").get(0).asText());
        String reproduce = page.substring(page.indexOf("Reproduce"));
        reproduce = reproduce.substring(0, reproduce.indexOf("--summary-only") + 200);
        assertTrue(reproduce.contains("--pairs-from " + b.toAbsolutePath().normalize() + " -o"), reproduce);
        assertTrue(reproduce.contains("--pairs-from " + b.toAbsolutePath().normalize() + " --summary-only"), reproduce);

        // a pair grid with another target split (another target subsample): exit 2 with the reason
        Path c = dir.resolve("C");
        assertEquals(0, MainTest.run(benchmark(dir.resolve("c.json"), "gear", c)).code());
        MainTest.Result refused = MainTest.run(benchmark(dir.resolve("a.json"), "gear,mtl,stl", a, "--summary-only",
                "--pairs-from", c.toString()));
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("target splits of task set ks") && refused.err().contains("differ"), refused.err());
        assertFalse(refused.err().contains("\tat "), "no stack trace: " + refused.err());
        MainTest.Result repRefused = MainTest.run("report", a.toString(), "-o", html.toString(), "--pairs-from", c.toString());
        assertEquals(2, repRefused.code(), repRefused.err());
        assertTrue(repRefused.err().contains("differ"), repRefused.err());
        // a pair grid run with another epoch budget: exit 2 naming the option, from gear benchmark and gear report
        Path e = dir.resolve("E");
        List<String> other = new ArrayList<>(List.of(benchmark(dir.resolve("b.json"), "gear", e)));
        other.set(other.indexOf("--epochs") + 1, "5");
        assertEquals(0, MainTest.run(other.toArray(new String[0])).code());
        MainTest.Result epochs = MainTest.run(benchmark(dir.resolve("a.json"), "gear,mtl,stl", a, "--summary-only",
                "--pairs-from", e.toString()));
        assertEquals(2, epochs.code(), epochs.err());
        assertTrue(epochs.err().contains("ran with other options") && epochs.err().contains("epochs 3 against 5"), epochs.err());
        assertFalse(epochs.err().contains("\tat "), "no stack trace: " + epochs.err());
        MainTest.Result repEpochs = MainTest.run("report", a.toString(), "-o", html.toString(), "--pairs-from", e.toString());
        assertEquals(2, repEpochs.code(), repEpochs.err());
        assertTrue(repEpochs.err().contains("epochs 3 against 5"), repEpochs.err());
        MainTest.Result noDir = MainTest.run("report", a.toString(), "-o", html.toString(), "--pairs-from",
                dir.resolve("nope").toString());
        assertEquals(2, noDir.code());
        assertTrue(noDir.err().contains("--pairs-from " + dir.resolve("nope") + ": not a directory"), noDir.err());
    }

    /**
     * {@code gear report} without {@code --pairs-from} reads the pair grids the task-set grid recorded in its config.json
     * and says so; {@code --pairs-from} wins; a recorded grid that is gone leaves the comparison out with a note (exit 0, no
     * stack trace).
     */
    @Test
    void reportReadsThePairGridsTheGridRecorded(@TempDir Path dir) throws Exception {
        TaskSetToyGrid.files(dir);
        Path b = dir.resolve("B");
        Path a = dir.resolve("A");
        pairGrid(dir, b);
        assertEquals(0, MainTest.run(benchmark(dir.resolve("a.json"), "gear,mtl,stl", a, "--pairs-from", b.toString())).code());
        Path html = dir.resolve("r.html");
        String recorded = b.toAbsolutePath().normalize().toString();
        MainTest.Result rep = MainTest.run("report", a.toString(), "-o", html.toString());
        assertEquals(0, rep.code(), rep.err());
        assertTrue(rep.err().contains("pair cells of the task sets from the grid's config.json (pairs_from): " + recorded),
                rep.err());
        String page = Files.readString(html);
        assertTrue(page.contains("+9.8%"), "the recorded grid's pair cells are read: " + page);
        assertFalse(page.contains("Missing pair cells"), page);

        // --pairs-from wins over the recorded directories: a grid with another epoch budget is refused
        Path e = dir.resolve("E");
        List<String> other = new ArrayList<>(List.of(benchmark(dir.resolve("b.json"), "gear", e)));
        other.set(other.indexOf("--epochs") + 1, "5");
        assertEquals(0, MainTest.run(other.toArray(new String[0])).code());
        MainTest.Result given = MainTest.run("report", a.toString(), "-o", html.toString(), "--pairs-from", e.toString());
        assertEquals(2, given.code(), given.err());
        assertTrue(given.err().contains("epochs 3 against 5"), given.err());

        // the recorded grid moved away: the report renders without the comparison and names the directory
        Files.move(b, dir.resolve("B-moved"));
        MainTest.Result gone = MainTest.run("report", a.toString(), "-o", html.toString());
        assertEquals(0, gone.code(), gone.err());
        assertFalse(gone.err().contains("\tat "), "no stack trace: " + gone.err());
        assertTrue(gone.err().contains("names pair grids that no longer exist: " + recorded) && gone.err().contains(
                "--pairs-from"), gone.err());
        page = Files.readString(html);
        String sets = page.substring(page.indexOf("<section id=\"task-sets"));
        sets = sets.substring(0, sets.indexOf("</section>"));
        assertTrue(sets.contains("no longer exist: " + recorded), sets);
        assertFalse(sets.contains("+9.8%") || sets.contains("Missing pair cells"), "no comparison: " + sets);
        assertTrue(page.contains("Per-pair detail"), "the rest of the report is there");
        // and --pairs-from with the moved grid restores it
        MainTest.Result moved = MainTest.run("report", a.toString(), "-o", html.toString(), "--pairs-from",
                dir.resolve("B-moved").toString());
        assertEquals(0, moved.code(), moved.err());
        assertTrue(moved.err().contains("pair cells of the task sets from --pairs-from " + dir.resolve("B-moved")), moved.err());
        assertTrue(Files.readString(html).contains("+9.8%"));
    }

    /**
     * {@code gear benchmark --summary-only} without {@code --pairs-from} reads the pair grids the task-set grid recorded in
     * its config.json, as {@code gear report} does, and says so; {@code --pairs-from} wins; a recorded grid that is gone
     * leaves the comparison out of stdout and summary.md with a message naming it (exit 0, no stack trace).
     */
    @Test
    void summaryOnlyReadsThePairGridsTheGridRecorded(@TempDir Path dir) throws Exception {
        TaskSetToyGrid.files(dir);
        Path b = dir.resolve("B");
        Path a = dir.resolve("A");
        pairGrid(dir, b);
        assertEquals(0, MainTest.run(benchmark(dir.resolve("a.json"), "gear,mtl,stl", a, "--pairs-from", b.toString())).code());
        String recorded = b.toAbsolutePath().normalize().toString();
        Files.delete(a.resolve("summary.md"));
        MainTest.Result r = MainTest.run(benchmark(dir.resolve("a.json"), "gear,mtl,stl", a, "--summary-only"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("pair cells of the task sets from the grid's config.json (pairs_from): " + recorded),
                r.err());
        assertTrue(r.out().contains(LINE), "the recorded grid's pair cells are read: " + r.out());
        String summary = Files.readString(a.resolve("summary.md"));
        assertTrue(summary.contains(ROW), summary);
        assertFalse(summary.contains("Missing pair cells") || summary.contains("missing pair cells"), summary);

        // --pairs-from wins over the recorded directories: a grid with another epoch budget is refused
        Path e = dir.resolve("E");
        List<String> other = new ArrayList<>(List.of(benchmark(dir.resolve("b.json"), "gear", e)));
        other.set(other.indexOf("--epochs") + 1, "5");
        assertEquals(0, MainTest.run(other.toArray(new String[0])).code());
        MainTest.Result given = MainTest.run(benchmark(dir.resolve("a.json"), "gear,mtl,stl", a, "--summary-only",
                "--pairs-from", e.toString()));
        assertEquals(2, given.code(), given.err());
        assertTrue(given.err().contains("epochs 3 against 5"), given.err());

        // the recorded grid moved away: the summary renders without the comparison and the message names the directory
        Files.move(b, dir.resolve("B-moved"));
        MainTest.Result gone = MainTest.run(benchmark(dir.resolve("a.json"), "gear,mtl,stl", a, "--summary-only"));
        assertComparisonLeftOut(gone, recorded);
        assertTrue(gone.err().contains("--pairs-from"), gone.err());
        summary = Files.readString(a.resolve("summary.md"));
        assertFalse(summary.contains("best single source") || summary.contains("issing pair cells"), "no comparison: " + summary);
        assertTrue(summary.contains("stl"), "the rest of the summary is there: " + summary);
        // config.json still records it (--summary-only leaves it as it is), and --pairs-from with the moved grid restores it
        assertEquals(List.of(recorded), recordedPairGrids(a));
        MainTest.Result moved = MainTest.run(benchmark(dir.resolve("a.json"), "gear,mtl,stl", a, "--summary-only",
                "--pairs-from", dir.resolve("B-moved").toString()));
        assertEquals(0, moved.code(), moved.err());
        assertTrue(moved.err().contains("pair cells of the task sets from --pairs-from " + dir.resolve("B-moved")), moved.err());
        assertTrue(moved.out().contains(LINE), moved.out());
        assertTrue(Files.readString(a.resolve("summary.md")).contains(ROW));
    }

    /**
     * A rerun of {@code gear benchmark} (not {@code --summary-only}) without {@code --pairs-from} resumes the task-set grid
     * keeping the pair grids its config.json records, says so on stderr and still compares the task set with its best single
     * source; {@code --pairs-from} replaces them; a recorded grid that is gone stays recorded, and the comparison is left
     * out with a message naming it (exit 0).
     */
    @Test
    void aRerunKeepsThePairGridsTheGridRecorded(@TempDir Path dir) throws Exception {
        TaskSetToyGrid.files(dir);
        Path b = dir.resolve("B");
        Path a = dir.resolve("A");
        pairGrid(dir, b);
        assertEquals(0, MainTest.run(benchmark(dir.resolve("a.json"), "gear,stl", a, "--pairs-from", b.toString())).code());
        String recorded = b.toAbsolutePath().normalize().toString();
        Files.delete(a.resolve("summary.md"));
        // resumed with one more method: its cells run, the others are kept
        MainTest.Result r = MainTest.run(benchmark(dir.resolve("a.json"), "gear,mtl,stl", a));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("24 cells: 16 finished before, 8 run now, 0 failed"), r.out());
        assertTrue(r.err().contains("config.json: keeping the pair grids it records (pairs_from): " + recorded
                + " (--pairs-from replaces them)"), r.err());
        assertEquals(List.of(recorded), recordedPairGrids(a));
        assertTrue(r.out().contains(LINE), "the recorded grid's pair cells are read: " + r.out());
        assertTrue(Files.readString(a.resolve("summary.md")).contains(ROW));

        // --pairs-from replaces the recorded directories
        Path b2 = dir.resolve("B2");
        pairGrid(dir, b2);
        MainTest.Result given = MainTest.run(benchmark(dir.resolve("a.json"), "gear,mtl,stl", a, "--pairs-from", b2.toString()));
        assertEquals(0, given.code(), given.err());
        assertFalse(given.err().contains("keeping"), given.err());
        assertTrue(given.err().contains("pair cells of the task sets from --pairs-from " + b2), given.err());
        String recorded2 = b2.toAbsolutePath().normalize().toString();
        assertEquals(List.of(recorded2), recordedPairGrids(a));
        assertTrue(given.out().contains(LINE), given.out());

        // the recorded grid moved away: a rerun keeps it recorded, leaves the comparison out and names it
        Files.move(b2, dir.resolve("B2-moved"));
        MainTest.Result gone = MainTest.run(benchmark(dir.resolve("a.json"), "gear,mtl,stl", a));
        assertComparisonLeftOut(gone, recorded2);
        assertEquals(List.of(recorded2), recordedPairGrids(a));
    }

    /** Runs the pair grid (gear on b.json) into {@code out}. */
    private static void pairGrid(Path dir, Path out) {
        assertEquals(0, MainTest.run(benchmark(dir.resolve("b.json"), "gear", out)).code());
    }

    /** A run whose recorded pair grid is gone: exit 0, no stack trace, the directory named, no comparison on stdout. */
    private static void assertComparisonLeftOut(MainTest.Result gone, String recorded) {
        assertEquals(0, gone.code(), gone.err());
        assertFalse(gone.err().contains("\tat "), "no stack trace: " + gone.err());
        assertTrue(gone.err().contains("names pair grids that no longer exist: " + recorded), gone.err());
        assertFalse(gone.out().contains("best single source"), "no comparison: " + gone.out());
    }

    private static List<String> recordedPairGrids(Path grid) throws Exception {
        List<String> dirs = new ArrayList<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(grid.resolve("config.json").toFile()).path("pairs_from")
                .forEach(d -> dirs.add(d.asText()));
        return dirs;
    }
}
