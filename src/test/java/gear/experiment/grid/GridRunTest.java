package gear.experiment.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import gear.data.BadInputException;
import gear.data.SplitType;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GridRunTest {
    static PairSpec pair;
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    @TempDir
    Path out;

    @BeforeAll
    static void data(@TempDir Path dir) throws IOException {
        pair = GridFixture.demoPair(dir, 120);
    }

    static GridConfig small(int workers, Isolation iso) {
        return GridFixture.config(pair, List.of("stl", "gear"), List.of(SplitType.RANDOM, SplitType.SCAFFOLD), 3,
                List.of(0L, 1L), workers, iso);
    }

    /** A counting runner that throws after {@code okCells} successful cells (shared across worker threads). */
    static java.util.function.Supplier<CellRunner> counting(AtomicInteger calls, int okCells) {
        return () -> (cell, dir) -> {
            if (calls.incrementAndGet() > okCells) {
                throw new IllegalStateException("simulated crash");
            }
            return FakeCellRunner.result(cell);
        };
    }

    @Test
    void enumeratesCellsInOrder() {
        GridConfig c = small(1, Isolation.THREAD);
        List<CellKey> cells = c.cells();
        assertEquals(1 * 2 * 2 * 3 * 2, cells.size());
        assertEquals("demo.stl.random.f0.s0", cells.get(0).id());
        assertEquals("demo.gear.random.f0.s0", cells.get(1).id());
        assertEquals("demo.stl.random.f1.s0", cells.get(2).id());
        assertEquals("demo.gear.scaffold.f2.s1", cells.get(cells.size() - 1).id());
        assertEquals(cells.size(), new HashSet<>(cells).size());
        for (CellKey k : cells) {
            assertEquals(k, CellKey.parse(k.id()));
        }
        GridConfig two = new GridConfig(List.of(pair), List.of("stl"), List.of(SplitType.RANDOM), 4, 2, List.of(0L, 1L, 2L), 0.2,
                Map.of(), null, null, "x", 1, Isolation.THREAD);
        assertEquals(3 * 2, two.cells().size(), "--max-folds 2 of 4 folds, 3 seeds");
        assertThrows(IllegalArgumentException.class, () -> new GridConfig(List.of(pair), List.of("stl"), List.of(SplitType.RANDOM),
                4, 5, List.of(0L), 0.2, Map.of(), null, null, "x", 1, Isolation.THREAD));
    }

    @Test
    void writesResultsFilesAndSummary() throws Exception {
        Grid.Outcome o = new Grid(small(1, Isolation.THREAD), out, QUIET).plots(true).run();
        assertEquals(24, o.total());
        assertEquals(24, o.ran());
        assertTrue(o.failed().isEmpty(), o.failed().toString());
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(String.join(",", ResultRow.COLUMNS), csv.get(0));
        assertEquals(25, csv.size());
        var json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(24, json.size());
        for (CellKey k : small(1, Isolation.THREAD).cells()) {
            assertTrue(Files.isRegularFile(out.resolve("cells").resolve(k.id()).resolve("result.json")), k.id());
        }
        var first = json.get(0);
        assertEquals("demo.stl.random.f0.s0", first.get("cell").asText());
        assertEquals(120, first.get("n_train").asInt() + first.get("n_val").asInt(), "subsampled pool");
        assertTrue(first.get("mean_abs_r_source").isNull());
        assertTrue(json.get(1).get("mean_abs_r_target").isNumber(), "gear rows carry mean |R|");
        var cfg = GridConfig.fromJson(new ObjectMapper().readTree(out.resolve("config.json").toFile()));
        assertEquals(small(1, Isolation.THREAD).cells(), cfg.cells());
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains("24 of 24 cells finished"), md);
        assertTrue(md.contains("| random | stl |") && md.contains("| scaffold | best baseline |"), md);
        assertTrue(Files.size(out.resolve("rmse_random.png")) > 1000);
        assertTrue(Files.size(out.resolve("rmse_scaffold.png")) > 1000);
        assertTrue(Files.size(out.resolve("gear_relative.png")) > 1000);
        // a clean grid has none of the studies' sections or plots
        assertTrue(!md.contains("## Label noise") && !md.contains("## Extrapolation") && !md.contains("## Ablation"), md);
        try (var l = Files.list(out)) {
            assertEquals(List.of(), l.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("noise_") || n.startsWith("extrapolation_") || n.startsWith("ablation")).toList());
        }
        // the summary in the file is the one computed from the rows in the file
        List<ResultRow> rows = new ArrayList<>();
        json.forEach(n -> rows.add(ResultRow.fromJson(n)));
        assertEquals(Summary.markdown(Summary.compute(rows), 24, 24, Summary.optionsLine(gridOptions(out))), md);
        assertTrue(md.contains("\n\nOptions of every cell: "), md);
    }

    /** @return the options of a grid's config.json, as the grid reads them back (what its summary.md states) */
    static java.util.Map<String, String> gridOptions(Path gridDir) throws java.io.IOException {
        return GridConfig.fromJson(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                gridDir.resolve("config.json").toFile())).options();
    }

    @Test
    void resumesOnlyTheMissingCells() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Grid.Outcome first = new Grid(small(1, Isolation.THREAD), out, QUIET).plots(false).runnerFactory(counting(calls, 7)).run();
        assertEquals(7, first.ran());
        assertEquals(17, first.failed().size());
        assertEquals(7, first.rows().size());
        assertEquals(8, Files.readAllLines(out.resolve("results.csv")).size(), "results written for the finished cells");
        assertTrue(Files.readString(out.resolve("summary.md")).contains("7 of 24 cells finished (partial results)"));
        String failedId = first.failed().keySet().iterator().next();
        assertTrue(Files.readString(out.resolve("cells").resolve(failedId).resolve("error.txt")).contains("simulated crash"));

        AtomicInteger calls2 = new AtomicInteger();
        Grid.Outcome second = new Grid(small(1, Isolation.THREAD), out, QUIET).plots(false).runnerFactory(counting(calls2, 1000)).run();
        assertEquals(17, calls2.get(), "only the missing cells run");
        assertEquals(7, second.skipped());
        assertEquals(17, second.ran());
        assertTrue(second.failed().isEmpty());
        assertTrue(Files.notExists(out.resolve("cells").resolve(failedId).resolve("error.txt")));

        AtomicInteger calls3 = new AtomicInteger();
        Grid.Outcome third = new Grid(small(1, Isolation.THREAD), out, QUIET).plots(false).runnerFactory(counting(calls3, 1000)).run();
        assertEquals(0, calls3.get());
        assertEquals(24, third.skipped());
        assertEquals(25, Files.readAllLines(out.resolve("results.csv")).size());
    }

    @Test
    void summaryOnlyRunsNothingAndSummarisesTheFinishedCells() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        new Grid(small(1, Isolation.THREAD), out, QUIET).plots(false).runnerFactory(counting(calls, 5)).run();
        String config = Files.readString(out.resolve("config.json"));
        Files.writeString(out.resolve("config.json"), config + " ");
        AtomicInteger calls2 = new AtomicInteger();
        Grid.Outcome o = new Grid(small(1, Isolation.THREAD), out, QUIET).plots(true).summaryOnly(true)
                .runnerFactory(counting(calls2, 1000)).run();
        assertEquals(0, calls2.get(), "no cell runs");
        assertEquals(0, o.ran());
        assertEquals(5, o.skipped());
        assertEquals(5, o.rows().size());
        assertEquals(6, Files.readAllLines(out.resolve("results.csv")).size());
        assertTrue(Files.readString(out.resolve("summary.md")).contains("5 of 24 cells finished (partial results)"));
        assertTrue(Files.size(out.resolve("rmse_random.png")) > 1000, "plots written");
        assertEquals(config + " ", Files.readString(out.resolve("config.json")), "config.json left as it was");
    }

    @Test
    void changedConfigurationIsRefusedUnlessAskedToRerun() throws Exception {
        new Grid(small(1, Isolation.THREAD), out, QUIET).plots(false).run();
        GridConfig c = small(1, Isolation.THREAD);
        GridConfig other = new GridConfig(c.pairs(), c.methods(), c.splitTypes(), c.folds(), c.maxFolds(), c.seeds(),
                c.testFraction(), Map.of("epochs", "5"), null, null, c.runnerClass(), 1, Isolation.THREAD);
        BadInputException e = assertThrows(BadInputException.class, () -> new Grid(other, out, QUIET).plots(false).run());
        assertTrue(e.getMessage().contains("24 finished cells") && e.getMessage().contains("--rerun-changed"), e.getMessage());
        AtomicInteger calls = new AtomicInteger();
        Grid.Outcome o = new Grid(other, out, QUIET).plots(false).rerunChanged(true).runnerFactory(counting(calls, 1000)).run();
        assertEquals(24, calls.get());
        assertEquals(24, o.ran());
    }

    @Test
    void parallelWorkersGiveTheSameResultsAsOne() throws Exception {
        new Grid(small(1, Isolation.THREAD), out.resolve("w1"), QUIET).plots(false).run();
        Grid.Outcome o = new Grid(small(3, Isolation.THREAD), out.resolve("w3"), QUIET).plots(false).run();
        assertTrue(o.failed().isEmpty());
        assertEquals(Files.readString(out.resolve("w1/results.csv")), Files.readString(out.resolve("w3/results.csv")));
        assertEquals(Files.readString(out.resolve("w1/summary.md")), Files.readString(out.resolve("w3/summary.md")));
    }

    /** Two child JVMs (each loads CDK and the data): about 20 s on a loaded 2-core machine. */
    @Test
    @org.junit.jupiter.api.Tag("slow")
    void childProcessWorkersGiveTheSameResultsAsThreads() throws Exception {
        GridConfig threads = GridFixture.config(pair, List.of("gear"), List.of(SplitType.SCAFFOLD), 2, List.of(0L), 1, Isolation.THREAD);
        GridConfig procs = GridFixture.config(pair, List.of("gear"), List.of(SplitType.SCAFFOLD), 2, List.of(0L), 2, Isolation.PROCESS);
        new Grid(threads, out.resolve("t"), QUIET).plots(false).run();
        Grid.Outcome o = new Grid(procs, out.resolve("p"), QUIET).plots(false).run();
        assertTrue(o.failed().isEmpty(), o.failed().toString());
        assertEquals(2, o.ran());
        assertEquals(Files.readString(out.resolve("t/results.csv")), Files.readString(out.resolve("p/results.csv")));
        assertTrue(Files.isRegularFile(out.resolve("p/cells/demo.gear.scaffold.f0.s0/worker.log")));
    }
}
