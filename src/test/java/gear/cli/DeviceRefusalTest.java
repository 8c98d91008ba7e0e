package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import gear.nn.Torch;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --device cuda} in a build without a usable CUDA device: {@code train} (an ensemble too), {@code transfer}
 * (two tasks and k tasks), {@code benchmark} (and its cells, task sets included), {@code curvature} and
 * {@code bench train} refuse it with exit 2 and one message, before any work is done.
 */
class DeviceRefusalTest {
    private static final String MESSAGE = "no CUDA device is available";

    private static void assertRefused(MainTest.Result r) {
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--device cuda") && r.err().contains(MESSAGE), r.err());
    }

    @Test
    void trainTransferBenchmarkAndCurvatureRefuseCuda(@TempDir Path dir) throws Exception {
        assumeFalse(Torch.cudaAvailable(), "a CUDA device is available: nothing to refuse");
        Path src = dir.resolve("src.csv");
        Path tgt = dir.resolve("tgt.csv");
        TransferCommandTest.write(src, "a", 40, 1, 2.0);
        TransferCommandTest.write(tgt, "b", 30, 2, 3.0);
        assertRefused(MainTest.run("train", "-i", tgt.toString(), "-t", "b", "-o", dir.resolve("train").toString(),
                "--cache-dir", "none", "-q", "--device", "cuda"));
        assertRefused(MainTest.run("train", "-i", tgt.toString(), "-t", "b", "-o", dir.resolve("ens").toString(),
                "--cache-dir", "none", "-q", "--ensemble-size", "2", "--device", "cuda:0"));
        assertRefused(MainTest.run("transfer", "--task", src + ":a", "--task", tgt + ":b", "--target", "b", "-o",
                dir.resolve("k").toString(), "-q", "--device", "cuda"));
        assertTrue(!Files.exists(dir.resolve("train").resolve("model.gear")) && !Files.exists(dir.resolve("k").resolve(
                "model.gear")), "nothing trained");
        assertRefused(MainTest.run("transfer", "--source", src.toString(), "--source-column", "a", "--target",
                tgt.toString(), "--target-column", "b", "--method", "kd", "-o", dir.resolve("run").toString(), "-q",
                "--device", "cuda"));
        Path pairs = dir.resolve("pairs.json");
        Files.writeString(pairs, "[]");
        assertRefused(MainTest.run("benchmark", "--pairs", pairs.toString(), "-o", dir.resolve("grid").toString(),
                "--device", "cuda"));
        assertRefused(MainTest.run("curvature", "--model", dir.resolve("absent.gear").toString(), "-i", tgt.toString(),
                "-o", dir.resolve("k.csv").toString(), "--device", "cuda"));
        // the transfer step's benchmark, and the grid's cells themselves (a cell option of gear benchmark)
        assertRefused(MainTest.run("bench", "train", "--method", "gear", "-i", src.toString(), tgt.toString(), "--device",
                "cuda"));
        assertRefused(MainTest.run("bench", "train", "-i", tgt.toString(), "--device", "cuda")); // the D-MPNN's throughput
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new gear.experiment.grid.TransferCellRunner().checkOptions(java.util.Map.of("device", "cuda")));
        assertTrue(e.getMessage().contains(MESSAGE), e.getMessage());
    }
}
