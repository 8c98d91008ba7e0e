package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.transfer.RunFiles;
import gear.transfer.TransferTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real interruption of {@code gear transfer}: the child JVM is killed with SIGKILL as soon as a checkpoint of
 * the target phase exists (after the pretraining phase of fine-tuning); {@code --resume} finishes the run, and
 * its model, metrics and test RMSE equal those of an uninterrupted run. (The fast suite covers interruptions at
 * every epoch boundary in-process: {@link TransferRunDirTest}.)
 */
@Tag("faults")
class TransferKillResumeTest {
    @Test
    void killMinusNineThenResume(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(dir);
        Path killed = dir.resolve("killed");
        List<String> args = TransferRunDirTest.args(data, "finetune", killed, "--epochs", "8");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        Path ckpt = killed.resolve(TransferTrainer.CHECKPOINT);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!Files.exists(ckpt) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "the child finished before it could be killed; see child.log");
        // a second run into the same directory while the child holds it: exit 2 naming the holder (the child is
        // stopped meanwhile, so that it cannot finish before the kill; a stopped process keeps its lock)
        assertEquals(0, new ProcessBuilder("kill", "-STOP", Long.toString(p.pid())).start().waitFor());
        MainTest.Result busy = MainTest.run("transfer", "--resume", "-o", killed.toString(), "-q");
        assertEquals(2, busy.code(), busy.err());
        assertTrue(busy.err().contains("in use by another run") && busy.err().contains("pid " + p.pid()), busy.err());
        p.destroyForcibly(); // SIGKILL on Linux
        p.waitFor(1, TimeUnit.MINUTES);
        assertFalse(Files.exists(killed.resolve(RunFiles.MODEL)), "killed before the end");
        assertTrue(Files.exists(killed.resolve(gear.train.RunGuard.LOCK)), "the dead run's lock file is left behind");
        assertTrue(Files.exists(killed.resolve(gear.train.RunGuard.INCOMPLETE)), "the killed run is marked unfinished");

        assertEquals(0, MainTest.run("transfer", "--resume", "-o", killed.toString(), "-q").code());
        assertFalse(Files.exists(killed.resolve(gear.train.RunGuard.LOCK)), "the stale lock was taken over and released");
        assertFalse(Files.exists(killed.resolve(gear.train.RunGuard.INCOMPLETE)), "the resumed run finished");
        Path whole = dir.resolve("whole");
        assertEquals(0, TransferRunDirTest.run(TransferRunDirTest.args(data, "finetune", whole, "--epochs", "8")).code());
        assertEquals(TransferRunDirTest.outcome(whole), TransferRunDirTest.outcome(killed));
        assertEquals(Files.readString(whole.resolve(RunFiles.PREDICTIONS)), Files.readString(killed.resolve(RunFiles.PREDICTIONS)));
    }
}
