package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.TestData;
import gear.run.RunDirectory;
import gear.train.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real interruption: {@code gear train} in a child JVM is killed with SIGKILL after its first
 * checkpoint; {@code --resume} then finishes the run, and its predictions equal those of an
 * uninterrupted run (training is deterministic and checkpoints hold the complete state).
 */
@Tag("faults")
class TrainKillResumeTest {
    @Test
    void killMinusNineThenResume(@TempDir Path dir) throws Exception {
        List<String> lines = Files.readAllLines(TestData.data("esol_delaney_logS.csv"));
        Path csv = dir.resolve("esol200.csv");
        Files.write(csv, lines.subList(0, 201));
        Path killed = dir.resolve("killed");
        List<String> args = List.of("train", "-i", csv.toString(), "-t", "logS_exp_molL", "--epochs", "6",
                "--hidden-size", "32", "--seed", "3", "--cache-dir", "none", "-q");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(args);
        cmd.addAll(List.of("-o", killed.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        Path ckpt = killed.resolve(Checkpoint.FILE);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!Files.exists(ckpt) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(p.isAlive(), "the child finished before it could be killed; see child.log");
        // a second run into the same directory while the child holds it: exit 2 naming the holder (the child is
        // stopped meanwhile, so that it cannot finish before the kill; a stopped process keeps its lock)
        assertEquals(0, new ProcessBuilder("kill", "-STOP", Long.toString(p.pid())).start().waitFor());
        MainTest.Result busy = MainTest.run("train", "--resume", "-o", killed.toString(), "-q");
        assertEquals(2, busy.code(), busy.err());
        assertTrue(busy.err().contains("in use by another run") && busy.err().contains("pid " + p.pid()), busy.err());
        p.destroyForcibly(); // SIGKILL on Linux
        p.waitFor(1, TimeUnit.MINUTES);
        assertFalse(Files.exists(killed.resolve(RunDirectory.MODEL)), "killed before the end");
        assertTrue(Files.exists(killed.resolve(gear.train.RunGuard.LOCK)), "the dead run's lock file is left behind");
        assertTrue(Files.exists(killed.resolve(gear.train.RunGuard.INCOMPLETE)), "the killed run is marked unfinished");

        List<String> resume = new ArrayList<>(args);
        resume.addAll(List.of("-o", killed.toString(), "--resume"));
        assertEquals(0, Main.run(resume.toArray(String[]::new)));
        assertFalse(Files.exists(killed.resolve(gear.train.RunGuard.LOCK)), "the stale lock was taken over and released");
        assertFalse(Files.exists(killed.resolve(gear.train.RunGuard.INCOMPLETE)), "the resumed run finished");
        List<String> fresh = new ArrayList<>(args);
        Path whole = dir.resolve("whole");
        fresh.addAll(List.of("-o", whole.toString()));
        assertEquals(0, Main.run(fresh.toArray(String[]::new)));
        assertEquals(Files.readString(whole.resolve(RunDirectory.TEST_PREDICTIONS)),
                Files.readString(killed.resolve(RunDirectory.TEST_PREDICTIONS)));
        assertEquals(7, Files.readAllLines(killed.resolve(RunDirectory.METRICS)).size());
    }
}
