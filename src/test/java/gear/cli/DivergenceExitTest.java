package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that diverges (absurd learning rates) ends with the engine's divergence message naming the epoch and batch,
 * exit 2, no stack trace and no native error: also GEAR, whose curvature used to meet the non-finite weights first
 * (libtorch's "linalg.eigh: The algorithm failed to converge"). The run directory keeps config.json, splits.json,
 * the unfinished-run marker and the checkpoint of the last good epoch; no model is written.
 */
class DivergenceExitTest {
    private static final Pattern EPOCH = Pattern.compile("at (?:pretrain )?epoch (\\d+), batch (\\d+)");

    /** Asserts the divergence message and exit 2; @return the (1-based) epoch it names */
    static int diverged(MainTest.Result r) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("error: training diverged: loss is"), r.err());
        assertFalse(r.err().contains("libtorch") || r.err().contains("linalg"), "no native error: " + r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        Matcher m = EPOCH.matcher(r.err());
        assertTrue(m.find(), "names epoch and batch: " + r.err());
        return Integer.parseInt(m.group(1));
    }

    static void keepsWhatWasWritten(Path run) throws Exception {
        assertTrue(Files.isRegularFile(run.resolve("run.incomplete")), "the run is marked unfinished");
        new ObjectMapper().readTree(run.resolve("config.json").toFile()); // whole and readable
        assertTrue(Files.size(run.resolve("splits.json")) > 0);
        assertFalse(Files.exists(run.resolve("model.gear")), "no model of a diverged run");
    }

    @Test
    void gearWithAnAbsurdLearningRateEndsWithTheEnginesMessage(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(dir);
        for (String lr : List.of("1e4", "1e6", "1e8")) { // 1e6, 1e8: the curvature met the NaN weights first
            Path run = dir.resolve("gear-" + lr);
            int epoch = diverged(TransferRunDirTest.run(TransferRunDirTest.args(data, "gear", run, "--max-lr", lr)));
            assertEquals(1, epoch, "diverges in its first epoch");
            keepsWhatWasWritten(run);
        }
    }

    /** A pretraining that diverges is named so: "at pretrain epoch 1", not the target phase's epoch 1. */
    @Test
    void aDivergedPretrainingNamesItsPhase(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(dir);
        Path run = dir.resolve("finetune");
        MainTest.Result r = TransferRunDirTest.run(TransferRunDirTest.args(data, "finetune", run, "--pretrain-max-lr", "1e8"));
        assertEquals(1, diverged(r));
        assertTrue(r.err().contains("at pretrain epoch 1, batch"), r.err());
        keepsWhatWasWritten(run);
    }

    /** A learning rate that grows epoch by epoch (final_lr far above max_lr): the checkpoint of the last good epoch stays. */
    @Test
    void aLaterDivergenceKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(dir);
        Path run = dir.resolve("late");
        int epoch = diverged(TransferRunDirTest.run(TransferRunDirTest.args(data, "gear", run, "--epochs", "4",
                "--warmup-epochs", "0", "--final-lr", "1e9", "--source-init", "scratch"))); // from scratch: the
        // learning rate, not a warm start's pretrained weights, decides when it diverges
        assertTrue(epoch > 1, "diverges after its first epoch: " + epoch);
        keepsWhatWasWritten(run);
        assertEquals(epoch - 1, epochsDone(run.resolve("checkpoint.safetensors")), "the checkpoint of the last good epoch");
    }

    @Test
    void trainDivergenceIsExit2(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(dir);
        Path run = dir.resolve("train");
        diverged(MainTest.run("train", "-i", data.resolve("target.csv").toString(), "-t", "yt", "-o", run.toString(),
                "--epochs", "2", "--hidden-size", "16", "--max-lr", "1e8", "--cache-dir", "none", "-q"));
        keepsWhatWasWritten(run);
    }

    /** @return epochs_done of a checkpoint file (its safetensors header's metadata) */
    static int epochsDone(Path checkpoint) throws Exception {
        byte[] all = Files.readAllBytes(checkpoint);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(all, 8, (int) n, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("epochs_done\\\\?\"\\s*:\\s*(\\d+)").matcher(header);
        assertTrue(m.find(), header);
        return Integer.parseInt(m.group(1));
    }
}
