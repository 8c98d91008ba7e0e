package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.nn.Torch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gear transfer --task CSV:COLUMN … --target COLUMN} (GEAR across k tasks) and {@code gear predict --task
 * NAME} on its model; with two tasks the run reproduces {@code gear transfer --method gear} on the same pair.
 */
class KTaskTransferCommandTest {
    static final String[] SMALL = {"--epochs", "2", "--batch-size", "20", "--hidden-size", "32", "--latent-size", "8",
        "--common-size", "12", "--curv-subset", "4", "-q", "--invalid", "skip", "--split-type", "random", "--seed", "3"};

    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    static String[] args(List<String> head) {
        List<String> a = new java.util.ArrayList<>(head);
        a.addAll(List.of(SMALL));
        return a.toArray(new String[0]);
    }

    static double testRmse(Path run) throws Exception {
        List<String> lines = Files.readAllLines(run.resolve("test_predictions.csv"));
        double s = 0;
        int n = 0;
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split(",");
            double truth = Double.parseDouble(f[f.length - 2]);
            double pred = Double.parseDouble(f[f.length - 1]);
            s += (truth - pred) * (truth - pred);
            n++;
        }
        return Math.sqrt(s / n);
    }

    @Test
    void threeTasksThenPredictEachTask(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        Path c = dir.resolve("c.csv");
        TransferCommandTest.write(a, "pa", 80, 1, 2.0);
        TransferCommandTest.write(b, "pb", 80, 4, -1.0);
        TransferCommandTest.write(c, "pc", 60, 2, 3.0);
        Path run = dir.resolve("run");
        int code = Main.run(args(List.of("transfer", "--task", a + ":pa", "--task", b + ":pb", "--task", c + ":pc",
                "--target", "pc", "-o", run.toString())));
        assertEquals(0, code);
        for (String f : List.of("config.json", "model.gear", "metrics.csv", "test_predictions.csv")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        assertTrue(Files.readString(run.resolve("metrics.csv")).startsWith("phase,epoch,reg,auto,cons,map,metric,curv,total"));
        for (String task : List.of("pa", "pb", "pc")) {
            Path out = dir.resolve("pred_" + task + ".csv");
            assertEquals(0, Main.run("predict", "-i", c.toString(), "--model", run.resolve("model.gear").toString(), "--task",
                    task, "-o", out.toString(), "-q"));
            List<String> lines = Files.readAllLines(out);
            assertEquals(61, lines.size(), task);
            assertTrue(lines.get(0).contains(task), lines.get(0));
        }
        // a task the model does not have, a --target that is no task's column, a malformed --task: exit 2
        assertEquals(2, Main.run("predict", "-i", c.toString(), "--model", run.resolve("model.gear").toString(), "--task",
                "nosuch", "-o", dir.resolve("x.csv").toString(), "-q"));
        assertEquals(2, Main.run(args(List.of("transfer", "--task", a + ":pa", "--task", c + ":pc", "--target", "pz", "-o",
                dir.resolve("r2").toString()))));
        assertEquals(2, Main.run(args(List.of("transfer", "--task", a.toString(), "--task", c + ":pc", "--target", "pc",
                "-o", dir.resolve("r3").toString()))));
    }

    @Test
    void twoTasksReproduceTheTwoTaskRun(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src.csv");
        Path tgt = dir.resolve("tgt.csv");
        TransferCommandTest.write(src, "a", 100, 1, 2.0);
        TransferCommandTest.write(tgt, "b", 60, 2, 3.0);
        Path two = dir.resolve("two");
        Path k2 = dir.resolve("k2");
        assertEquals(0, Main.run(args(List.of("transfer", "--source", src.toString(), "--source-column", "a", "--target",
                tgt.toString(), "--target-column", "b", "--method", "gear", "--source-init", "scratch", "-o",
                two.toString())))); // as the k-task run starts (its default; the two-task GEAR's is a warm start)
        assertEquals(0, Main.run(args(List.of("transfer", "--task", src + ":a", "--task", tgt + ":b", "--target", "b", "-o",
                k2.toString()))));
        double r2 = testRmse(two);
        double rk = testRmse(k2);
        assertTrue(Math.abs(r2 - rk) <= 1e-4 * r2, "test RMSE two-task " + r2 + ", k-task " + rk);
    }

    /** Writes {@code a.csv} (task pa, 60 rows) and {@code c.csv} (task pc, 50 rows) into {@code dir}; returns a.csv. */
    private static Path twoTaskFiles(Path dir) throws Exception {
        Path a = dir.resolve("a.csv");
        TransferCommandTest.write(a, "pa", 60, 1, 2.0);
        TransferCommandTest.write(dir.resolve("c.csv"), "pc", 50, 2, 3.0);
        return a;
    }

    @Test
    void baselinesAcrossTasks(@TempDir Path dir) throws Exception {
        Path a = twoTaskFiles(dir);
        Path c = dir.resolve("c.csv");
        Path run = dir.resolve("mtl");
        List<String> head = List.of("transfer", "--task", a + ":pa", "--task", c + ":pc", "--target", "pc", "--method", "mtl",
                "-o", run.toString());
        assertEquals(0, Main.run(args(head)));
        assertTrue(Files.readString(run.resolve("config.json")).contains("\"method\" : \"mtl\""));
        assertTrue(Files.readString(run.resolve("metrics.csv")).startsWith("phase,epoch,reg,total"));
        // a method not available across tasks: exit 2, nothing written
        assertEquals(2, Main.run(args(List.of("transfer", "--task", a + ":pa", "--task", c + ":pc", "--target", "pc",
                "--method", "kd", "-o", dir.resolve("kd").toString()))));
        assertTrue(!Files.exists(dir.resolve("kd").resolve("model.gear")));
    }

    /** The two-task warm start (source_init) is not done across k tasks: scratch by default, refused when asked. */
    @Test
    void kTaskRunsStartFromScratch(@TempDir Path dir) throws Exception {
        Path a = twoTaskFiles(dir);
        Path c = dir.resolve("c.csv");
        assertEquals("both", gear.transfer.Methods.get("gear").defaults().get("source_init"), "the two-task default");
        Path run = dir.resolve("gear");
        assertEquals(0, Main.run(args(List.of("transfer", "--task", a + ":pa", "--task", c + ":pc", "--target", "pc",
                "-o", run.toString()))));
        assertTrue(Files.readString(run.resolve("config.json")).contains("\"source_init\" : \"scratch\""));
        for (String m : List.of("gear", "gate", "mtl")) {
            Path r = dir.resolve(m + "-both");
            assertEquals(2, Main.run(args(List.of("transfer", "--task", a + ":pa", "--task", c + ":pc", "--target", "pc",
                    "--method", m, "--source-init", "both", "-o", r.toString()))), m);
            assertTrue(!Files.exists(r.resolve("model.gear")), m);
        }
    }
}
