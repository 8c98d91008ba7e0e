package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * A real interruption of a k-task run ({@code gear transfer --task … --method finetune}): the child JVM is killed
 * with SIGKILL as soon as a checkpoint of the target phase exists (after the pretraining phase on the sources);
 * {@code --resume} finishes the run, and its metrics, test predictions and results equal those of an uninterrupted
 * run. (Interruptions at epoch boundaries in-process: {@link KTaskRunDirTest}.)
 */
@Tag("faults")
class KTaskKillResumeTest {
    @Test
    void killMinusNineThenResume(@TempDir Path dir) throws Exception {
        List<Path> data = KTaskRunDirTest.data(dir);
        Path killed = dir.resolve("killed");
        String[] args = KTaskRunDirTest.args(data, "finetune", "pc,pb", killed, "--epochs", "30");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        Path ckpt = killed.resolve(TransferTrainer.CHECKPOINT);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!Files.exists(ckpt) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(p.isAlive(), "the child finished before it could be killed; see child.log");
        p.destroyForcibly(); // SIGKILL on Linux
        p.waitFor(1, TimeUnit.MINUTES);
        assertFalse(Files.exists(killed.resolve("model.gear")), "killed before the end");
        assertTrue(Files.exists(killed.resolve(gear.train.RunGuard.INCOMPLETE)), "the killed run is marked unfinished");

        MainTest.Result r = MainTest.run("transfer", "--resume", "-o", killed.toString(), "-q");
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(killed.resolve(gear.train.RunGuard.INCOMPLETE)), "the resumed run finished");
        Path whole = dir.resolve("whole");
        assertEquals(0, MainTest.run(KTaskRunDirTest.args(data, "finetune", "pc,pb", whole, "--epochs", "30")).code());
        assertEquals(KTaskRunDirTest.outcome(whole), KTaskRunDirTest.outcome(killed));
    }
}
