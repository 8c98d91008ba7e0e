package gear.experiment.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.data.SplitType;
import gear.demo.DemoData;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A grid whose cells a launcher runs elsewhere (the Spark driver of {@code gear benchmark --engine spark}) only schedules:
 * checking the cells' options with the real runner, fingerprints, collecting the rows, results, summary and plots, none
 * of it loads libtorch in the driver's JVM. Observed in a fresh JVM ({@link Probe}; the test JVM has libtorch loaded by
 * other tests) through the libraries mapped into the process ({@code /proc/self/maps}); the same probe then loads
 * libtorch and must see it, so the check can fail.
 */
class DriverNoTorchTest {
    /** The driver's side, in a JVM of its own: args {@code DATA_DIR OUT_DIR}; prints what it saw. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            DemoData.Result d = DemoData.generate(Path.of(args[0]), 1);
            PairSpec p = new PairSpec("demo", new DataRef(d.source().path().toString(), DemoData.SOURCE_COLUMN),
                    new DataRef(d.target().path().toString(), DemoData.TARGET_COLUMN), 100);
            String runner = CellRunners.defaultRunnerClass().orElseThrow();
            Map<String, String> options = Map.of("epochs", "1");
            CellRunners.create(runner).checkOptions(options); // as gear benchmark checks them before the grid
            GridConfig cfg = new GridConfig(List.of(p), List.of("stl", "gear"), List.of(SplitType.RANDOM), 2, 1,
                    List.of(0L), 0.2, options, null, null, runner, 1, Isolation.PROCESS);
            // the cells run in child JVMs, as on a Spark executor with process isolation (SparkCellLauncher.CellTask)
            CellLauncher elsewhere = (grid, todo, listener) -> {
                for (CellKey k : todo) {
                    listener.finished(k, grid.runChild(k));
                }
            };
            Grid.Outcome o = new Grid(cfg, Path.of(args[1]), new PrintStream(OutputStream.nullOutputStream()))
                    .launcher(elsewhere).run();
            System.out.println("ran " + o.ran() + " failed " + o.failed());
            System.out.println("libtorch after the grid: " + libtorchMapped());
            gear.nn.Torch.ensure();
            System.out.println("libtorch after Torch.ensure: " + libtorchMapped());
        }

        static boolean libtorchMapped() throws java.io.IOException {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(l -> l.contains("libtorch"));
        }
    }

    @Test
    void theDriverOfALaunchedGridDoesNotLoadLibtorch(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "needs /proc/self/maps (Linux)");
        Path log = dir.resolve("probe.log");
        Process pr = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), Probe.class.getName(), dir.resolve("data").toString(),
                dir.resolve("grid").toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(pr.waitFor(300, TimeUnit.SECONDS), "the probe did not end");
        String out = Files.readString(log);
        assertEquals(0, pr.exitValue(), out);
        assertTrue(out.contains("ran 2 failed {}"), out);
        assertTrue(Files.isRegularFile(dir.resolve("grid").resolve("summary.md")), out);
        assertTrue(out.contains("libtorch after Torch.ensure: true"), "the probe sees a loaded libtorch: " + out);
        assertTrue(out.contains("libtorch after the grid: false"), "the driver loaded libtorch: " + out);
    }
}
