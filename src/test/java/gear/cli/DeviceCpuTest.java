package gear.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.nn.SafeTensors;
import gear.nn.Tensors;
import gear.nn.Torch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --device cpu} given explicitly is the default: {@code transfer} trains bit-identical weights, metrics and
 * predictions, {@code curvature} writes the same file, and {@code benchmark} runs the same cells (same fingerprints,
 * so a grid run without it resumes with it and nothing is rerun); {@code train} (an ensemble of two) and a k-task
 * {@code transfer --task ... --target} likewise train bit-identical weights, metrics and predictions.
 */
class DeviceCpuTest {
    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    @Test
    void transferAndCurvatureOnTheCpuAreTheDefault(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src.csv");
        Path tgt = dir.resolve("tgt.csv");
        TransferCommandTest.write(src, "a", 80, 1, 2.0);
        TransferCommandTest.write(tgt, "b", 50, 2, 3.0);
        Path plain = dir.resolve("plain");
        Path cpu = dir.resolve("cpu");
        for (Path run : List.of(plain, cpu)) {
            List<String> args = new ArrayList<>(List.of("transfer", "--source", src.toString(), "--source-column", "a",
                    "--target", tgt.toString(), "--target-column", "b", "--method", "gear", "-o", run.toString(), "--epochs",
                    "2", "--batch-size", "16", "--hidden-size", "32", "--latent-size", "6", "--common-size", "10",
                    "--curv-subset", "4", "--perturbations", "2", "-q", "--invalid", "skip", "--split-type", "random"));
            if (run == cpu) {
                args.addAll(List.of("--device", "CPU"));
            }
            MainTest.Result r = MainTest.run(args.toArray(new String[0]));
            assertEquals(0, r.code(), r.err());
        }
        assertEquals(Files.readString(plain.resolve("test_predictions.csv")), Files.readString(cpu.resolve("test_predictions.csv")));
        assertEquals(withoutSeconds(plain.resolve("metrics.csv")), withoutSeconds(cpu.resolve("metrics.csv")));
        Map<String, Tensor> a = SafeTensors.read(plain.resolve("model.gear")).tensors();
        Map<String, Tensor> b = SafeTensors.read(cpu.resolve("model.gear")).tensors();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(Tensors.toFloats(a.get(k)), Tensors.toFloats(b.get(k)), 0f, k);
        }
        assertEquals("cpu", new com.fasterxml.jackson.databind.ObjectMapper().readTree(cpu.resolve("config.json").toFile())
                .path("device").asText());

        Path k1 = dir.resolve("k1.csv");
        Path k2 = dir.resolve("k2.csv");
        assertEquals(0, Main.run("curvature", "--model", plain.resolve("model.gear").toString(), "-i", tgt.toString(), "-o",
                k1.toString(), "--route", "both"));
        assertEquals(0, Main.run("curvature", "--model", plain.resolve("model.gear").toString(), "-i", tgt.toString(), "-o",
                k2.toString(), "--route", "both", "--device", "cpu"));
        assertEquals(Files.readString(k1), Files.readString(k2));
        MainTest.Result bad = MainTest.run("curvature", "--model", plain.resolve("model.gear").toString(), "-i",
                tgt.toString(), "-o", k2.toString(), "--device", "tpu");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("unknown device 'tpu'"), bad.err());
    }

    @Test
    void trainAndKTaskTransferOnTheCpuAreTheDefault(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        Path c = dir.resolve("c.csv");
        TransferCommandTest.write(a, "pa", 60, 1, 2.0);
        TransferCommandTest.write(b, "pb", 60, 4, -1.0);
        TransferCommandTest.write(c, "pc", 50, 2, 3.0);
        for (boolean kTask : new boolean[] {false, true}) {
            Path plain = dir.resolve((kTask ? "k" : "train") + "-plain");
            Path cpu = dir.resolve((kTask ? "k" : "train") + "-cpu");
            for (Path run : List.of(plain, cpu)) {
                List<String> args = new ArrayList<>(kTask
                        ? List.of("transfer", "--task", a + ":pa", "--task", b + ":pb", "--task", c + ":pc", "--target", "pc",
                                "-o", run.toString(), "--epochs", "2", "--batch-size", "20", "--hidden-size", "32",
                                "--latent-size", "6", "--common-size", "10", "--curv-subset", "4", "--perturbations", "2",
                                "--invalid", "skip", "--seed", "3", "-q")
                        : List.of("train", "-i", c.toString(), "-t", "pc", "-o", run.toString(), "--epochs", "3",
                                "--batch-size", "16", "--hidden-size", "32", "--dropout", "0.1", "--ensemble-size", "2",
                                "--cache-dir", "none", "-q"));
                if (run == cpu) {
                    args.addAll(List.of("--device", "cpu"));
                }
                MainTest.Result r = MainTest.run(args.toArray(new String[0]));
                assertEquals(0, r.code(), r.err());
            }
            String what = kTask ? "k-task transfer" : "train";
            assertEquals(Files.readString(plain.resolve("test_predictions.csv")),
                    Files.readString(cpu.resolve("test_predictions.csv")), what + " predictions");
            assertEquals(withoutSeconds(plain.resolve("metrics.csv")), withoutSeconds(cpu.resolve("metrics.csv")), what);
            Map<String, Tensor> ma = SafeTensors.read(plain.resolve("model.gear")).tensors();
            Map<String, Tensor> mb = SafeTensors.read(cpu.resolve("model.gear")).tensors();
            assertEquals(ma.keySet(), mb.keySet());
            assertTrue(ma.size() > 4, what + ": " + ma.keySet());
            for (String k : ma.keySet()) {
                assertArrayEquals(Tensors.toFloats(ma.get(k)), Tensors.toFloats(mb.get(k)), 0f, what + " " + k);
            }
            assertEquals("cpu", new com.fasterxml.jackson.databind.ObjectMapper().readTree(cpu.resolve("config.json").toFile())
                    .path("device").asText(), what);
        }
    }

    /** metrics.csv without its wall-clock column. */
    private static List<String> withoutSeconds(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        int col = List.of(lines.get(0).split(",")).indexOf("seconds");
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            List<String> f = new ArrayList<>(List.of(l.split(",", -1)));
            if (col >= 0) {
                f.remove(col);
            }
            out.add(String.join(",", f));
        }
        return out;
    }

    @Test
    void benchmarkOnTheCpuRunsTheSameCells(@TempDir Path data) throws Exception {
        gear.demo.DemoData.generate(data.resolve("demo"), 1);
        Path pairs = data.resolve("pairs.json");
        Files.writeString(pairs, BenchmarkCommandTest.pairsJson(gear.demo.DemoData.SOURCE_COLUMN,
                gear.demo.DemoData.TARGET_COLUMN, "demo/" + gear.demo.DemoData.SOURCE_FILE));
        Path out = data.resolve("grid");
        List<String> common = List.of("benchmark", "--pairs", pairs.toString(), "--methods", "stl,gear",
                "--split-types", "random", "--folds", "2", "--seeds", "0", "-o", out.toString(), "--no-plots",
                "--no-load-cache", "--runner", BenchmarkCommandTest.FAKE, "--isolation", "thread");
        MainTest.Result first = MainTest.run(common.toArray(new String[0]));
        assertEquals(0, first.code(), first.err());
        List<String> again = new ArrayList<>(common);
        again.addAll(List.of("--device", "cpu"));
        MainTest.Result second = MainTest.run(again.toArray(new String[0]));
        assertEquals(0, second.code(), second.err());
        assertTrue(second.out().contains("4 cells: 4 finished before, 0 run now"), second.out());
    }
}
