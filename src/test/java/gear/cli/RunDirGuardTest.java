package gear.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.train.RunGuard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run directories of {@code gear train} and {@code gear transfer} ({@link RunGuard}): a directory that holds a
 * run is refused without {@code --force}/{@code --resume} and left as it was; a directory locked by a live run
 * is refused naming the holder; a lock left by a dead process is taken over; a run that fails leaves the
 * directory marked incomplete, and {@code gear report} says so.
 */
@Tag("faults")
class RunDirGuardTest {
    @TempDir
    static Path dir;
    static Path src;
    static Path tgt;

    @BeforeAll
    static void data() throws Exception {
        src = dir.resolve("src.csv");
        tgt = dir.resolve("tgt.csv");
        TransferCommandTest.write(src, "a", 60, 1, 2.0);
        TransferCommandTest.write(tgt, "b", 40, 2, 3.0);
    }

    private static String[] train(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "-i", tgt.toString(), "-o", out.toString(), "--epochs", "1",
                "--hidden-size", "16", "--cache-dir", "none", "-q"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private static String[] transfer(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("transfer", "--source", src.toString(), "--source-column", "a",
                "--target", tgt.toString(), "--target-column", "b", "--method", "finetune", "-o", out.toString(),
                "--epochs", "1", "--pretrain-epochs", "1", "--batch-size", "20", "--hidden-size", "16", "-q"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void trainRefusesAnotherRunWithoutForceAndKeepsIt() throws Exception {
        Path out = dir.resolve("train-twice");
        assertEquals(0, MainTest.run(train(out)).code());
        byte[] model = Files.readAllBytes(out.resolve("model.gear"));
        byte[] config = Files.readAllBytes(out.resolve("config.json"));
        FailureExitCodesTest.bad(train(out, "--seed", "7"), out.toString(), "holds another run", "--force");
        assertArrayEquals(model, Files.readAllBytes(out.resolve("model.gear")), "the earlier model is kept");
        assertArrayEquals(config, Files.readAllBytes(out.resolve("config.json")), "the earlier config is kept");
        assertEquals(0, MainTest.run(train(out, "--seed", "7", "--force")).code());
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"seed\" : 7"));
        assertFalse(Files.exists(out.resolve(RunGuard.LOCK)), "the lock file is removed at the end");
        assertFalse(Files.exists(out.resolve(RunGuard.INCOMPLETE)));
    }

    @Test
    void transferRefusesAnotherRunWithoutForce() throws Exception {
        Path out = dir.resolve("transfer-twice");
        assertEquals(0, MainTest.run(transfer(out)).code());
        byte[] model = Files.readAllBytes(out.resolve("model.gear"));
        FailureExitCodesTest.bad(transfer(out), out.toString(), "holds another run");
        assertArrayEquals(model, Files.readAllBytes(out.resolve("model.gear")));
        assertEquals(0, MainTest.run(transfer(out, "--force")).code());
        assertFalse(Files.exists(out.resolve(RunGuard.LOCK)));
    }

    @Test
    void aLockedDirectoryIsRefusedNamingTheHolder() throws Exception {
        Path out = dir.resolve("locked");
        try (RunGuard g = RunGuard.acquire(out, false, false, "train")) {
            String pid = "pid " + ProcessHandle.current().pid();
            FailureExitCodesTest.bad(train(out), out.toString(), "in use by another run", pid, "started");
            FailureExitCodesTest.bad(transfer(out, "--force"), out.toString(), "in use by another run", pid);
            assertFalse(Files.exists(out.resolve("config.json")), "nothing was written by the refused runs");
        }
        assertEquals(0, MainTest.run(train(out)).code(), "free again once the holder ends");
    }

    @Test
    void aStaleLockIsTakenOver() throws Exception {
        Path out = dir.resolve("stale");
        Files.createDirectories(out);
        Files.writeString(out.resolve(RunGuard.LOCK), "pid 999999 on elsewhere, started 2020-01-01T00:00:00Z, gear train\n");
        try (RunGuard g = RunGuard.acquire(out, false, false, "train")) {
            assertNotNull(g.takenOver());
            assertTrue(g.takenOver().contains("999999"));
            assertTrue(Files.readString(out.resolve(RunGuard.LOCK)).contains("pid " + ProcessHandle.current().pid()));
        }
        assertEquals(0, MainTest.run(train(out)).code());
    }

    @Test
    void aFailedRunIsMarkedIncompleteAndReportSaysSo() throws Exception {
        Path out = dir.resolve("failed");
        // the testing aid ends the run after its first epoch's checkpoint, as a failure would
        MainTest.Result r = MainTest.run(train(out, "--epochs", "3", "--interrupt-after", "1"));
        assertTrue(r.code() != 0, r.err());
        assertTrue(Files.exists(out.resolve(RunGuard.INCOMPLETE)), "a run that did not finish is marked");
        assertFalse(Files.exists(out.resolve(RunGuard.LOCK)), "the lock ends with the run");
        Path html = dir.resolve("failed.html");
        assertEquals(0, MainTest.run("report", out.toString(), "-o", html.toString()).code());
        assertTrue(Files.readString(html).contains("INCOMPLETE RUN"));
        FailureExitCodesTest.bad(train(out, "--epochs", "3"), "holds an unfinished run", RunGuard.INCOMPLETE, "--resume");
        assertEquals(0, MainTest.run(train(out, "--epochs", "3", "--resume")).code());
        assertFalse(Files.exists(out.resolve(RunGuard.INCOMPLETE)), "the resumed run finished");
        assertEquals(0, MainTest.run("report", out.toString(), "-o", html.toString()).code());
        assertFalse(Files.readString(html).contains("INCOMPLETE RUN"));
    }

    @Test
    void aFailingWriterLeavesNoHalfFileAndTheRunMarked() throws Exception {
        Path out = dir.resolve("failing-writer");
        Files.createDirectories(out.resolve("test_predictions.csv")); // a directory where a file must go: the write fails
        MainTest.Result r = MainTest.run(train(out, "--force"));
        assertTrue(r.code() != 0, "the run cannot succeed");
        assertTrue(r.err().contains("test_predictions.csv"), "the failing path is named:\n" + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace:\n" + r.err());
        assertTrue(Files.exists(out.resolve(RunGuard.INCOMPLETE)), "the failed run is marked");
        assertFalse(Files.exists(out.resolve(RunGuard.LOCK)), "the lock ends with the run");
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no half-written file is left");
        }
    }
}
