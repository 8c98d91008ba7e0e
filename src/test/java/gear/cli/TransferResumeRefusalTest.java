package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.data.Hashing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code gear transfer --resume} that must be refused (other options than the run's) exits 2 with a message naming
 * the run's config.json and the differing option, and leaves every file of the run byte-identical: an interrupted
 * run (its config.json and run.incomplete were rewritten before the checkpoint refused) and a finished one (its
 * checkpoints are gone, so nothing refused it: it was trained again with the other options and replaced).
 */
class TransferResumeRefusalTest {
    /** @return SHA-256 of every file under {@code dir}, by relative path */
    static Map<String, String> hashes(Path dir) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p).toString(), Hashing.sha256(Files.readAllBytes(p)));
            }
        }
        return m;
    }

    static void refusedLeavingTheRun(Path run, String... other) throws Exception {
        Map<String, String> before = hashes(run);
        List<String> args = new java.util.ArrayList<>(List.of("transfer", "--resume", "-o", run.toString(), "-q"));
        args.addAll(List.of(other));
        Thread.sleep(1100); // a rewritten marker or config would carry another time stamp
        MainTest.Result r = MainTest.run(args.toArray(new String[0]));
        assertEquals(2, r.code(), String.join(" ", other) + ": " + r.err());
        assertTrue((r.err().contains(run.resolve("config.json").toString()) && r.err().contains("other settings"))
                || (r.err().contains(run.resolve("splits.json").toString()) && r.err().contains("another target split")),
                r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), r.err());
        assertEquals(before, hashes(run), "every file of the run is byte-identical after the refused resume");
    }

    @Test
    void aRefusedResumeOfAnInterruptedRunChangesNoFile(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(dir);
        for (String method : List.of("gear", "finetune")) {
            Path run = dir.resolve(method);
            assertEquals(1, TransferRunDirTest.run(TransferRunDirTest.args(data, method, run, "--interrupt-after", "1")).code());
            assertTrue(Files.exists(run.resolve("run.incomplete")));
            refusedLeavingTheRun(run, "--max-lr", "0.002");
            MainTest.Result r = MainTest.run("transfer", "--resume", "-o", run.toString(), "-q", "--pretrain-epochs", "3");
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("pretrain_epochs 2 in the run, 3 now"), r.err());
            // its own settings still resume it to the end
            MainTest.Result ok = MainTest.run("transfer", "--resume", "-o", run.toString(), "-q");
            assertEquals(0, ok.code(), ok.err());
            assertTrue(Files.isRegularFile(run.resolve("model.gear")) && !Files.exists(run.resolve("run.incomplete")));
        }
    }

    /**
     * Another split file with parts of the same sizes and the same test part: neither the settings nor the checkpoint
     * tell it apart, the run's splits.json does.
     */
    @Test
    void aResumeWithAnotherSplitOfTheSameSizesIsRefused(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(dir);
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        Files.writeString(a, "{\"train\": \"0-55\", \"val\": \"56-63\", \"test\": \"64-79\"}");
        // the same test part (so the same purged source), train and validation rows exchanged
        Files.writeString(b, "{\"train\": \"8-63\", \"val\": \"0-7\", \"test\": \"64-79\"}");
        Path run = dir.resolve("split");
        assertEquals(1, TransferRunDirTest.run(TransferRunDirTest.args(data, "gear", run, "--splits-file", a.toString(),
                "--interrupt-after", "1")).code());
        refusedLeavingTheRun(run, "--splits-file", b.toString());
        assertEquals(0, MainTest.run("transfer", "--resume", "-o", run.toString(), "-q").code());
    }

    /** The same for a run across k tasks ({@code --task}), interrupted and finished. */
    @Test
    void aRefusedKTaskResumeChangesNoFile(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(dir);
        for (boolean finished : List.of(false, true)) {
            Path run = dir.resolve("k-" + finished);
            List<String> args = new java.util.ArrayList<>(List.of("transfer", "--task", data.resolve("source.csv") + ":ys",
                    "--task", data.resolve("target.csv") + ":yt", "--target", "yt", "-o", run.toString(), "--epochs", "3",
                    "--batch-size", "20", "--hidden-size", "16", "--latent-size", "4", "--common-size", "8", "--map-hidden",
                    "8", "--curv-subset", "3", "-q"));
            if (!finished) {
                args.addAll(List.of("--interrupt-after", "1"));
            }
            assertEquals(finished ? 0 : 1, MainTest.run(args.toArray(new String[0])).code());
            refusedLeavingTheRun(run, "--max-lr", "0.002");
            refusedLeavingTheRun(run, "--seed", "5");
            MainTest.Result ok = MainTest.run("transfer", "--resume", "-o", run.toString(), "-q");
            assertEquals(0, ok.code(), ok.err());
        }
    }

    @Test
    void aRefusedResumeOfAFinishedRunChangesNoFile(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(dir);
        Path run = dir.resolve("done");
        assertEquals(0, TransferRunDirTest.run(TransferRunDirTest.args(data, "gear", run)).code());
        assertFalse(Files.exists(run.resolve("run.incomplete")));
        refusedLeavingTheRun(run, "--max-lr", "0.002");
        refusedLeavingTheRun(run, "--w-curv", "0.5", "--seed", "3");
        assertFalse(Files.exists(run.resolve("run.incomplete")), "a finished run stays finished");
    }
}
