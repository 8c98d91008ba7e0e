package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.demo.DemoData;
import gear.experiment.grid.CellLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler-neutral entry points ({@code --list-cells}, {@code --run-cell}) give the same results as a whole
 * run; a cell held by a live worker is not started twice; a worker JVM dies with its killed parent.
 */
class BenchmarkScaleTest {
    static final String FAKE = BenchmarkCommandTest.FAKE;
    @TempDir
    static Path data;
    static Path pairs;

    @BeforeAll
    static void demo() throws IOException {
        DemoData.generate(data.resolve("demo"), 1);
        pairs = data.resolve("pairs.json");
        Files.writeString(pairs, BenchmarkCommandTest.pairsJson(DemoData.SOURCE_COLUMN, DemoData.TARGET_COLUMN,
                "demo/" + DemoData.SOURCE_FILE));
    }

    static List<String> args(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("benchmark", "--pairs", pairs.toString(), "--methods", "stl,gear", "--split-types",
                "random", "--folds", "2", "--seeds", "0", "-o", out.toString(), "--no-plots", "--no-load-cache", "--runner", FAKE,
                "--isolation", "thread"));
        a.addAll(List.of(extra));
        return a;
    }

    static MainTest.Result run(Path out, String... extra) {
        return MainTest.run(args(out, extra).toArray(String[]::new));
    }

    @Test
    void listAndRunCellsOneByOneEqualsAWholeRun(@TempDir Path whole, @TempDir Path byCell) throws IOException {
        assertEquals(0, run(whole).code());
        MainTest.Result list = run(byCell, "--list-cells");
        assertEquals(0, list.code(), list.err());
        List<String> ids = list.out().lines().toList();
        assertEquals(List.of("demo-pair.stl.random.f0.s0", "demo-pair.gear.random.f0.s0", "demo-pair.stl.random.f1.s0",
                "demo-pair.gear.random.f1.s0"), ids);
        assertFalse(Files.exists(byCell.resolve("config.json")), "listing writes nothing");
        List<String> backwards = new ArrayList<>(ids);
        java.util.Collections.reverse(backwards); // order does not matter
        for (String id : backwards) {
            MainTest.Result r = run(byCell, "--run-cell", id);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith(id + ": test RMSE"), r.out());
            assertTrue(Files.isRegularFile(byCell.resolve("cells").resolve(id).resolve("result.json")));
        }
        MainTest.Result again = run(byCell, "--run-cell", ids.get(0));
        assertEquals(0, again.code());
        assertTrue(again.out().contains("already finished"), again.out());
        MainTest.Result sum = run(byCell, "--summary-only");
        assertEquals(0, sum.code(), sum.err());
        assertEquals(Files.readString(whole.resolve("results.csv")), Files.readString(byCell.resolve("results.csv")));
        MainTest.Result bad = run(byCell, "--run-cell", "demo-pair.kd.random.f0.s0");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("not a cell of this grid"), bad.err());
        assertEquals(2, run(byCell, "--run-cell", "nonsense").code());
        assertEquals(2, run(byCell, "--list-cells", "--run-cell", ids.get(0)).code());
        assertEquals(2, run(byCell, "--master", "local[2]").code(), "--master needs --engine spark");
        MainTest.Result engine = run(byCell, "--engine", "mars");
        assertEquals(2, engine.code());
        assertTrue(engine.err().contains("--engine 'mars': expected local or spark"), engine.err());
        assertEquals(2, run(byCell, "--engine", "spark").code(), "--engine spark needs --master");
    }

    @Test
    void busyCellIsNotStartedTwice(@TempDir Path out) throws IOException {
        String id = "demo-pair.stl.random.f0.s0";
        try (CellLock held = CellLock.acquire(out.resolve("cells").resolve(id), id)) {
            MainTest.Result r = run(out, "--run-cell", id);
            assertEquals(1, r.code());
            assertTrue(r.err().contains("is being run by another live worker (pid " + ProcessHandle.current().pid()), r.err());
            MainTest.Result all = run(out);
            assertEquals(1, all.code(), "the busy cell is reported, the others run");
            assertTrue(all.out().contains("4 cells: 0 finished before, 3 run now, 1 failed"), all.out());
        }
        assertEquals(0, run(out, "--run-cell", id).code(), "free again once the holder let go");
    }

    /** kill -9 of a benchmark leaves no worker JVM behind; a second run meanwhile does not take the worker's cell. */
    @Test
    void workersDieWithTheirKilledParent(@TempDir Path out) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        List<String> a = args(out, "--worker-jvm-args", "-Dgear.fake.sleepMs=120000 -Xmx256m", "--workers", "1");
        a.set(a.indexOf("thread"), "process");
        cmd.addAll(a);
        Process parent = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.resolve("parent.log").toFile()).start();
        try {
            String id = "demo-pair.stl.random.f0.s0";
            Path lock = out.resolve("cells").resolve(id).resolve(CellLock.FILE);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(Files.isRegularFile(lock) && Files.readString(lock).startsWith("pid")) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.isRegularFile(lock), "the worker took its cell: " + Files.readString(out.resolve("parent.log")));
            List<ProcessHandle> workers = parent.descendants().toList();
            assertFalse(workers.isEmpty());
            MainTest.Result second = run(out, "--run-cell", id);
            assertEquals(1, second.code(), "a cell taken by a live worker is not started twice");
            assertTrue(second.err().contains("another live worker"), second.err());
            parent.destroyForcibly(); // SIGKILL: no shutdown hook runs
            parent.waitFor(10, TimeUnit.SECONDS);
            for (ProcessHandle w : workers) {
                w.onExit().get(15, TimeUnit.SECONDS);
                assertFalse(w.isAlive(), "orphan worker " + w.pid());
            }
            assertEquals(0, run(out, "--run-cell", id).code(), "the killed worker's cell runs again");
            // the whole grid, continued after the kill, gives the results of an uninterrupted run
            MainTest.Result rest = run(out);
            assertEquals(0, rest.code(), rest.err());
            Path whole = Files.createTempDirectory(out.getParent(), "whole");
            assertEquals(0, run(whole).code());
            assertEquals(Files.readString(whole.resolve("results.csv")), Files.readString(out.resolve("results.csv")));
            assertEquals(List.of(), temporaries(out), "no half-written file");
        } finally {
            parent.destroyForcibly();
            parent.descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * kill -9 of {@code gear benchmark} at seeded random points anywhere in the span of an uninterrupted run (before
     * the first cell, inside a cell, between cells, while results are written): its worker JVMs die with it, and the
     * same command run again finishes with the results of the uninterrupted run and no half-written file.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2})
    @org.junit.jupiter.api.Tag("faults")
    void killedAtARandomPointThenRunAgainGivesTheSameResults(long seed, @TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole");
        Path killed = dir.resolve("killed");
        long t0 = System.nanoTime();
        Process full = child(whole);
        assertEquals(0, full.waitFor(), "the uninterrupted grid failed; see " + whole + ".log");
        long span = System.nanoTime() - t0;
        long delay = (long) (new java.util.Random(seed).nextDouble() * span);
        Process p = child(killed);
        TimeUnit.NANOSECONDS.sleep(delay);
        List<ProcessHandle> workers = p.descendants().toList();
        p.destroyForcibly(); // SIGKILL: no shutdown hook runs
        p.waitFor(10, TimeUnit.SECONDS);
        for (ProcessHandle w : workers) {
            w.onExit().get(15, TimeUnit.SECONDS);
            assertFalse(w.isAlive(), "orphan worker " + w.pid() + " after a kill at " + delay / 1_000_000 + " ms");
        }
        // what a kill in the middle of a write leaves, wherever the kill fell: the killed parent's temporary files
        String own = "." + ProcessHandle.current().pid() + ".tmp";
        for (Path d : List.of(killed, Files.createDirectories(killed.resolve("cells").resolve("demo-pair.stl.random.f0.s0")))) {
            Files.writeString(d.resolve(gear.data.AtomicFiles.temporary(d, "results.csv").getFileName().toString()
                    .replace(own, "." + p.pid() + ".tmp")), "half");
        }
        MainTest.Result again = run(killed);
        assertEquals(0, again.code(), "after a kill at " + delay / 1_000_000 + " ms of " + span / 1_000_000 + " ms: "
                + again.err());
        assertEquals(Files.readString(whole.resolve("results.csv")), Files.readString(killed.resolve("results.csv")));
        assertEquals(List.of(), temporaries(killed), "no half-written file after a kill at " + delay / 1_000_000 + " ms");
    }

    /** The temporary files under {@code dir}, relative to it. */
    private static List<String> temporaries(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tmp")).map(f -> dir.relativize(f).toString())
                    .sorted().toList();
        }
    }

    /** Starts the grid of {@link #args} in a child JVM with one worker JVM whose cells take 0.5 s each. */
    private static Process child(Path out) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        List<String> a = args(out, "--worker-jvm-args", "-Dgear.fake.sleepMs=500 -Xmx256m", "--workers", "1");
        a.set(a.indexOf("thread"), "process");
        cmd.addAll(a);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(Path.of(out + ".log").toFile()).start();
    }
}
