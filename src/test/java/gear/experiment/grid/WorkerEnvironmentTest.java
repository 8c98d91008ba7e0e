package gear.experiment.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.data.SplitType;
import gear.nn.Malloc;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grid's worker processes run under gear's glibc allocator settings ({@link Malloc}): the child JVM's own
 * environment, as the worker reads it, carries them, and a value already set in the parent is kept.
 */
class WorkerEnvironmentTest {
    @TempDir
    Path dir;

    /** Two child JVMs (CDK and the demo data in each): about 20 s on a loaded 2-core machine. */
    @Test
    @Tag("slow")
    void workerProcessesCarryTheMallocSettings() throws Exception {
        PairSpec pair = GridFixture.demoPair(dir.resolve("data"), 60);
        GridConfig cfg = GridFixture.config(pair, List.of("stl"), List.of(SplitType.RANDOM), 2, List.of(0L), 1, Isolation.PROCESS);
        Path out = dir.resolve("grid");
        Grid.Outcome o = new Grid(cfg, out, new PrintStream(OutputStream.nullOutputStream())).plots(false)
                .workerJvmArgs(List.of("-Dgear.fake.env=" + String.join(",", Malloc.defaults().keySet()))).run();
        assertTrue(o.failed().isEmpty(), o.failed().toString());
        assertEquals(2, o.ran());
        for (CellKey k : cfg.cells()) {
            List<String> lines = Files.readAllLines(out.resolve("cells").resolve(k.id()).resolve("env.txt"));
            StringBuilder expected = new StringBuilder();
            for (Map.Entry<String, String> e : Malloc.defaults().entrySet()) {
                // this JVM's own value when the test runs under one (the user's value is kept), else gear's
                expected.append(e.getKey()).append('=').append(System.getenv().getOrDefault(e.getKey(), e.getValue())).append('\n');
            }
            assertEquals(expected.toString(), String.join("\n", lines) + "\n", "environment of the worker of " + k.id());
        }
    }
}
