package gear.experiment.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.data.SplitType;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two drivers of different configurations on one output directory (two pair subsets, or a grid and its later tuning
 * stage): each driver's child workers run with that driver's configuration, not with {@code OUT/config.json}, which
 * the other driver rewrote when it started. Before, such a worker failed ("no pair ... in the grid") or read the
 * other grid's options.
 */
class TwoDriversTest {
    @TempDir
    Path dir;

    static GridConfig config(PairSpec pair) {
        return new GridConfig(List.of(pair), List.of("stl"), List.of(SplitType.RANDOM), 2, 1, List.of(0L), 0.2,
                Map.of("epochs", "3"), null, null, FakeCellRunner.class.getName(), 1, Isolation.PROCESS);
    }

    /** Three child JVMs with the fake runner: a few seconds. */
    @Test
    void aWorkerRunsWithItsOwnDriversConfigurationWhenAnotherDriverRewroteConfigJson() throws Exception {
        PairSpec demo = GridFixture.demoPair(dir.resolve("data"), 60);
        PairSpec other = new PairSpec("other", demo.source(), demo.target(), 60);
        Path out = dir.resolve("grid");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Grid a = new Grid(config(demo), out, quiet).plots(false);
        Grid.Outcome first = a.run();
        assertTrue(first.failed().isEmpty(), first.failed().toString());
        // the second driver starts: OUT/config.json now names only the pair "other"
        Grid.Outcome second = new Grid(config(other), out, quiet).plots(false).run();
        assertTrue(second.failed().isEmpty(), second.failed().toString());
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"other\""));
        // the first driver goes on with a cell of its own pair (a fresh seed): its worker must not read that file
        GridConfig more = new GridConfig(List.of(demo), List.of("stl"), List.of(SplitType.RANDOM), 2, 1, List.of(1L), 0.2,
                Map.of("epochs", "3"), null, null, FakeCellRunner.class.getName(), 1, Isolation.PROCESS);
        Grid late = new Grid(more, out, quiet).plots(false);
        CellKey k = more.cells().get(0);
        ResultRow r = late.runChild(k);
        assertEquals(late.fingerprint(k), r.fingerprint());
        try (var files = Files.list(out.resolve("workers"))) {
            assertEquals(3, files.count(), "one worker configuration per driver configuration");
        }
    }
}
