package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import gear.TestData;
import gear.run.RunDirectory;
import gear.transfer.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random points: {@code gear train} and {@code gear transfer} run in a child JVM that is killed
 * (SIGKILL) after a seeded random delay anywhere in the span of an uninterrupted run of the same command (before
 * the run directory exists, during featurization, between or inside epochs, while the last files are written, or
 * after the end); the same command with {@code --resume} then finishes, leaving no lock, no unfinished-run marker
 * and no temporary file, and its results equal those of the uninterrupted run. ({@link TrainKillResumeTest} and
 * {@link TransferKillResumeTest} kill at a fixed point and also check the lock while the child lives.)
 */
@Tag("faults")
class RandomKillResumeTest {
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void trainKilledAtARandomPointResumesToTheSameResult(long seed, @TempDir Path dir) throws Exception {
        List<String> lines = Files.readAllLines(TestData.data("esol_delaney_logS.csv"));
        Path csv = dir.resolve("esol120.csv");
        Files.write(csv, lines.subList(0, 121));
        List<String> args = List.of("train", "-i", csv.toString(), "-t", "logS_exp_molL", "--epochs", "4",
                "--hidden-size", "16", "--seed", "3", "--cache-dir", "none", "-q");
        Path whole = dir.resolve("whole");
        Path killed = dir.resolve("killed");
        killAtRandomThenResume(args, whole, killed, new Random(seed));
        assertEquals(Files.readString(whole.resolve(RunDirectory.TEST_PREDICTIONS)),
                Files.readString(killed.resolve(RunDirectory.TEST_PREDICTIONS)));
        assertEquals(Files.readAllLines(whole.resolve(RunDirectory.METRICS)).size(),
                Files.readAllLines(killed.resolve(RunDirectory.METRICS)).size());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2})
    void transferKilledAtARandomPointResumesToTheSameResult(long seed, @TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(Files.createDirectories(dir.resolve("data")));
        Path whole = dir.resolve("whole");
        Path killed = dir.resolve("killed");
        List<String> all = new ArrayList<>(TransferRunDirTest.args(data, "finetune", whole, "--epochs", "4"));
        int o = all.indexOf("-o"); // the output directory is given per run below
        all.remove(o + 1);
        all.remove(o);
        killAtRandomThenResume(all, whole, killed, new Random(seed));
        assertEquals(TransferRunDirTest.outcome(whole), TransferRunDirTest.outcome(killed));
        assertEquals(Files.readString(whole.resolve(RunFiles.PREDICTIONS)), Files.readString(killed.resolve(RunFiles.PREDICTIONS)));
    }

    /**
     * Runs {@code args -o whole} in a child JVM to completion (timing it), then {@code args -o killed} in a child
     * killed after a random delay in [0, that time], then {@code args -o killed --resume} in this JVM.
     */
    static void killAtRandomThenResume(List<String> args, Path whole, Path killed, Random rnd) throws Exception {
        long t0 = System.nanoTime();
        Process full = child(args, whole);
        assertEquals(0, full.waitFor(), "the uninterrupted run failed; see " + whole.resolveSibling("whole.log"));
        long span = System.nanoTime() - t0;
        long delay = (long) (rnd.nextDouble() * span);
        Process p = child(args, killed);
        TimeUnit.NANOSECONDS.sleep(delay);
        p.destroyForcibly(); // SIGKILL on Linux
        p.waitFor(1, TimeUnit.MINUTES);
        List<String> resume = new ArrayList<>(args);
        resume.addAll(List.of("-o", killed.toString(), "--resume"));
        MainTest.Result r = MainTest.run(resume.toArray(String[]::new));
        assertEquals(0, r.code(), "resume after a kill at " + delay / 1_000_000 + " ms of " + span / 1_000_000 + " ms: "
                + r.err());
        assertFalse(Files.exists(killed.resolve(gear.train.RunGuard.LOCK)), "lock released");
        assertFalse(Files.exists(killed.resolve(gear.train.RunGuard.INCOMPLETE)), "run finished");
        try (Stream<Path> s = Files.list(killed)) {
            List<Path> tmp = s.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
            assertEquals(List.of(), tmp, "no temporary file left");
        }
    }

    private static Process child(List<String> args, Path out) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(args);
        cmd.addAll(List.of("-o", out.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile()).start();
    }
}
