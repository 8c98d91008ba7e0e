package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        List<String> columns = List.of(Files.readAllLines(run.resolve("metrics.csv")).get(0).split(","));
        assertTrue(columns.containsAll(List.of("phase", "epoch", "reg", "auto", "cons", "map", "metric", "curv", "total")),
                columns.toString()); // the warm start's pretraining epochs come first, with their columns
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

    /**
     * From scratch, warm-started ({@code source_init both}) with one pretraining cache, and at GEAR's default: the k-task
     * run ends with the two-task run's test RMSE; warm-started, it reads the two-task run's pretraining (the same key:
     * source data, seed, options).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"scratch", "both", ""})
    void twoTasksReproduceTheTwoTaskRun(String sourceInit, @TempDir Path dir) throws Exception {
        Path src = dir.resolve("src.csv");
        Path tgt = dir.resolve("tgt.csv");
        TransferCommandTest.write(src, "a", 100, 1, 2.0);
        TransferCommandTest.write(tgt, "b", 60, 2, 3.0);
        Path two = dir.resolve("two");
        Path k2 = dir.resolve("k2");
        List<String> common = new java.util.ArrayList<>(List.of("--pretrain-cache", dir.resolve("cache").toString()));
        if (!sourceInit.isEmpty()) {
            common.addAll(List.of("--source-init", sourceInit));
        }
        List<String> a = new java.util.ArrayList<>(List.of("transfer", "--source", src.toString(), "--source-column", "a",
                "--target", tgt.toString(), "--target-column", "b", "--method", "gear", "-o", two.toString()));
        a.addAll(common);
        assertEquals(0, Main.run(args(a)));
        List<String> b = new java.util.ArrayList<>(List.of("transfer", "--task", src + ":a", "--task", tgt + ":b", "--target",
                "b", "-o", k2.toString()));
        b.addAll(common);
        assertEquals(0, Main.run(args(b)));
        double r2 = testRmse(two);
        double rk = testRmse(k2);
        assertTrue(Math.abs(r2 - rk) <= 1e-4 * r2, "test RMSE two-task " + r2 + ", k-task " + rk);
        // each loss term's share at the selected epoch: the two-task run's, term by term, summing to 1
        com.fasterxml.jackson.databind.JsonNode s2 = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(two.resolve("config.json").toFile()).path("results").path("term_shares");
        com.fasterxml.jackson.databind.JsonNode sk = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(k2.resolve("config.json").toFile()).path("results").path("term_shares");
        assertEquals(List.of("reg", "auto", "cons", "map", "metric", "curv"), names(sk.fieldNames()));
        assertEquals(names(s2.fieldNames()), names(sk.fieldNames()));
        double sum = 0;
        for (String term : names(sk.fieldNames())) {
            double a2 = s2.get(term).asDouble();
            double ak = sk.get(term).asDouble();
            assertEquals(a2, ak, 1e-4 * a2 + 1e-9, term + ": two-task " + a2 + ", k-task " + ak);
            sum += ak;
        }
        assertEquals(1.0, sum, 1e-9);
        com.fasterxml.jackson.databind.JsonNode pre = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(k2.resolve("config.json").toFile()).path("pretraining");
        String init = sourceInit.isEmpty() ? gear.transfer.Methods.get("gear").defaults().get("source_init") : sourceInit;
        assertEquals(init, new com.fasterxml.jackson.databind.ObjectMapper().readTree(k2.resolve("config.json").toFile())
                .path("source_init").asText(), "the two-task default where none is given");
        if (!init.equals("scratch")) {
            assertEquals(1, pre.path("sources").size(), pre.toString());
            assertEquals("a", pre.path("sources").get(0).path("task").asText());
            assertFalse(pre.path("sources").get(0).path("computed").asBoolean(true), "read from the two-task run's entry");
            assertTrue(Files.readString(k2.resolve("metrics.csv")).contains("pretrain,"), "the pretraining's epochs");
        } else {
            assertTrue(pre.isMissingNode(), pre.toString());
        }
    }

    private static List<String> names(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
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

    /**
     * Three tasks warm-started ({@code --source-init both}): each source's pretraining (a cache entry each), its
     * checkpoints removed from the finished run directory; {@code --source-init scratch} pretrains nothing.
     */
    @Test
    void kTaskRunsWarmStartEverySource(@TempDir Path dir) throws Exception {
        Path a = twoTaskFiles(dir);
        Path b = dir.resolve("b.csv");
        TransferCommandTest.write(b, "pb", 50, 4, -1.0);
        Path c = dir.resolve("c.csv");
        Path run = dir.resolve("gear");
        assertEquals(0, Main.run(args(List.of("transfer", "--task", a + ":pa", "--task", b + ":pb", "--task", c + ":pc",
                "--target", "pc", "--source-init", "both", "--pretrain-cache", dir.resolve("cache").toString(), "-o",
                run.toString()))));
        com.fasterxml.jackson.databind.JsonNode cfg = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(run.resolve("config.json").toFile());
        assertEquals("both", cfg.path("source_init").asText());
        com.fasterxml.jackson.databind.JsonNode sources = cfg.path("pretraining").path("sources");
        assertEquals(2, sources.size(), cfg.path("pretraining").toString());
        assertEquals(List.of("pa", "pb"), List.of(sources.get(0).path("task").asText(), sources.get(1).path("task").asText()));
        assertTrue(sources.get(0).path("computed").asBoolean() && sources.get(1).path("computed").asBoolean());
        assertTrue(!sources.get(0).path("cache").asText().equals(sources.get(1).path("cache").asText()), "one entry each");
        try (var files = Files.list(run)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("warm-start-")
                    || f.getFileName().toString().startsWith("checkpoint")), "checkpoints removed");
        }
        long pretrainLines = Files.readAllLines(run.resolve("metrics.csv")).stream().filter(l -> l.startsWith("pretrain,"))
                .count();
        assertEquals(2 * 2, pretrainLines, "two sources, --epochs 2 pretraining epochs each");
        Path scratch = dir.resolve("scratch");
        assertEquals(0, Main.run(args(List.of("transfer", "--task", a + ":pa", "--task", b + ":pb", "--task", c + ":pc",
                "--target", "pc", "--source-init", "scratch", "-o", scratch.toString()))));
        assertTrue(Files.readAllLines(scratch.resolve("metrics.csv")).stream().noneMatch(l -> l.startsWith("pretrain,")));
    }
}
