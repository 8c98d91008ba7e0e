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
        assertEquals(0, MainTest.run(benchmark(dir.resolve("b.json"), "gear", b)).code());
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
        // without --pairs-from: p1's cells are missing, listed, nothing fails
        MainTest.Result alone = MainTest.run("report", a.toString(), "-o", html.toString());
        assertEquals(0, alone.code(), alone.err());
        assertTrue(Files.readString(html).contains("Missing pair cells (4"), Files.readString(html));

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
}
