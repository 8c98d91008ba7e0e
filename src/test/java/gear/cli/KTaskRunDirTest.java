package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.nn.Torch;
import gear.transfer.TransferTrainer;
import gear.transfer.ktask.KTaskModel;
import gear.transfer.ktask.KTaskModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The run directory of a k-task run: {@code --resume} after an interruption at an epoch boundary (in either phase of
 * fine-tuning) and {@code --config} reproduce the uninterrupted run file for file; several evaluated targets
 * ({@code --target pb,pc}): per-target metrics, and the kept epoch is the one with the least mean standardized
 * validation RMSE, recomputed here from the logged per-target RMSEs and the model's scalers.
 */
class KTaskRunDirTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    /** Three tasks; pb and pc share molecules (the same generator seed), pa has its own. */
    static List<Path> data(Path dir) throws Exception {
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        Path c = dir.resolve("c.csv");
        TransferCommandTest.write(a, "pa", 70, 1, 2.0);
        TransferCommandTest.write(b, "pb", 70, 4, -1.0);
        TransferCommandTest.write(c, "pc", 50, 4, 3.0);
        return List.of(a, b, c);
    }

    static String[] args(List<Path> data, String method, String target, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("transfer", "--task", data.get(0) + ":pa", "--task", data.get(1) + ":pb",
                "--task", data.get(2) + ":pc", "--target", target, "--method", method, "-o", out.toString(), "--epochs",
                "3", "--pretrain-epochs", "2", "--batch-size", "16", "--hidden-size", "16", "--latent-size", "4",
                "--common-size", "8", "--curv-subset", "3", "--seed", "2", "--invalid", "skip", "-q"));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    /**
     * {@code --source-purge validation}, the default, across k tasks: the evaluated task's validation molecules leave
     * every other task too. pc's molecules are the first of pb's (the same generator seed), so pb loses exactly pc's
     * validation molecules more than with {@code --source-purge test}, pa (another seed) at most as many.
     */
    @Test
    void sourcePurgeValidationRemovesTheEvaluatedTasksValidationMoleculesFromEveryOtherTask(@TempDir Path dir)
            throws Exception {
        List<Path> data = data(dir);
        Path plain = dir.resolve("plain");
        Path purged = dir.resolve("purged");
        assertEquals(0, MainTest.run(args(data, "mtl", "pc", plain, "--split-type", "random", "--source-purge",
                "test")).code());
        assertEquals(0, MainTest.run(args(data, "mtl", "pc", purged, "--split-type", "random")).code()); // the default
        JsonNode p = config(plain);
        JsonNode v = config(purged);
        assertEquals("test", p.get("source_purge").asText());
        assertEquals("validation", v.get("source_purge").asText());
        int val = p.get("tasks").get(2).get("n_val").asInt();
        assertTrue(val > 0, p.toString());
        assertEquals(p.get("tasks").get(2).get("n_train").asInt(), v.get("tasks").get(2).get("n_train").asInt());
        assertEquals(p.get("tasks").get(1).get("n_train").asInt() - val, v.get("tasks").get(1).get("n_train").asInt());
        int lostA = p.get("tasks").get(0).get("n_train").asInt() - v.get("tasks").get(0).get("n_train").asInt();
        assertTrue(lostA >= 0 && lostA <= val, "pa lost " + lostA);
        assertEquals(p.get("n_source_purged").asInt() + val + lostA, v.get("n_source_purged").asInt());
    }

    /** metrics.csv, test_predictions.csv and the results of config.json. */
    static List<String> outcome(Path run) throws Exception {
        return List.of(Files.readString(run.resolve("metrics.csv")), Files.readString(run.resolve("test_predictions.csv")),
                config(run).get("results").toString());
    }

    static JsonNode config(Path run) throws Exception {
        return JSON.readTree(run.resolve("config.json").toFile());
    }

    @ParameterizedTest
    @CsvSource({"gear,1", "gear,3", "gear,6", "finetune,1", "finetune,3"})
    void resumeAfterInterruptionEqualsAnUninterruptedRun(String method, int after, @TempDir Path dir) throws Exception {
        List<Path> data = data(dir);
        // gear warm-started from each source's pretraining (its tuned default is scratch): the checkpoints of every phase
        String init = method.equals("gear") ? "both" : "scratch";
        Path straight = dir.resolve("straight");
        MainTest.Result s = MainTest.run(args(data, method, "pc", straight, "--source-init", init));
        assertEquals(0, s.code(), s.err());
        assertFalse(Files.exists(straight.resolve(TransferTrainer.CHECKPOINT)), "checkpoints are removed at the end");
        Path cut = dir.resolve("cut");
        MainTest.Result r = MainTest.run(args(data, method, "pc", cut, "--source-init", init, "--interrupt-after",
                Integer.toString(after)));
        assertNotEquals(0, r.code(), "the interrupted run must fail");
        assertTrue(Files.isRegularFile(cut.resolve("config.json")), "config.json is written before training");
        assertEquals(Files.readString(straight.resolve("splits.json")), Files.readString(cut.resolve("splits.json")),
                "so is the evaluated task's split");
        // finetune: 2 pooled pretraining epochs; gear (source_init both): 2 for each source (pa, then pb), one
        // checkpoint directory each; then the train phase
        Path checkpoint = method.equals("finetune") ? cut.resolve(after <= 2 ? TransferTrainer.PRETRAIN_CHECKPOINT
                : TransferTrainer.CHECKPOINT) : after <= 4 ? gear.transfer.ktask.KTaskTrainer.warmStartCheckpointDir(cut,
                after <= 2 ? 0 : 1).resolve(TransferTrainer.PRETRAIN_CHECKPOINT) : cut.resolve(TransferTrainer.CHECKPOINT);
        assertTrue(Files.isRegularFile(checkpoint), checkpoint.toString());
        assertFalse(Files.exists(cut.resolve("model.gear")), "no model before the end");
        JsonNode argv = config(cut).get("argv");
        // a run directory that holds a run is refused without --resume or --force
        assertEquals(2, MainTest.run(args(data, method, "pc", cut, "--source-init", init)).code());
        MainTest.Result resumed = MainTest.run("transfer", "--resume", "-o", cut.toString(), "-q");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(outcome(straight), outcome(cut));
        assertEquals(argv, config(cut).get("argv"), "the resumed run keeps the original argv");
        assertFalse(Files.exists(cut.resolve(gear.train.RunGuard.INCOMPLETE)));
        try (var left = Files.list(cut)) {
            assertEquals(List.of(), left.map(f -> f.getFileName().toString()).filter(f -> f.startsWith("checkpoint")
                    || f.startsWith("warm-start-")).toList(), "every checkpoint removed at the end");
        }
        if (method.equals("gear")) {
            String metrics = Files.readString(straight.resolve("metrics.csv"));
            assertEquals(4, metrics.lines().filter(l -> l.startsWith("pretrain,")).count(), metrics);
            // without a cache too, config.json names each source's pretraining: its task, epochs and kept epoch
            JsonNode sources = config(straight).get("pretraining").get("sources");
            assertEquals(2, sources.size(), sources.toString());
            int latest = Integer.MIN_VALUE;
            for (JsonNode one : sources) {
                assertEquals(2, one.get("source_epochs").asInt(), one.toString());
                assertTrue(one.get("source_best_epoch").asInt() >= -1 && one.get("source_best_epoch").asInt() <= 1, one.toString());
                assertFalse(one.has("cache"), "no cache entry without a cache: " + one);
                latest = Math.max(latest, one.get("source_best_epoch").asInt());
            }
            assertNotEquals(sources.get(0).get("task").asText(), sources.get(1).get("task").asText());
            assertEquals(latest, config(straight).get("pretraining").get("source_best_epoch").asInt());
        }
        if (method.equals("finetune")) {
            String metrics = Files.readString(straight.resolve("metrics.csv"));
            assertEquals(2, metrics.lines().filter(l -> l.startsWith("pretrain,")).count(), metrics);
            assertEquals(3, metrics.lines().filter(l -> l.startsWith("train,")).count(), metrics);
            // pretraining to convergence by default: a held-out source share scores every pretraining epoch
            assertEquals(0.1, config(straight).get("pretrain_val_fraction").asDouble());
            assertEquals(10, config(straight).get("pretrain_patience").asInt());
            metrics.lines().filter(l -> l.startsWith("pretrain,")).forEach(l -> assertTrue(
                    Double.isFinite(Double.parseDouble(l.substring(l.lastIndexOf(',') + 1))), l));
        }
    }

    /**
     * A run directory written before {@code results.best_epoch} counted from 0 (it counted from 1): {@code --config} and
     * {@code --resume} read it (results are not settings) and the resume rewrites it 0-based, {@code gear report} shows it.
     */
    @Test
    void olderRunDirectoriesCountingFromOneAreStillRead(@TempDir Path dir) throws Exception {
        List<Path> data = data(dir);
        Path run = dir.resolve("run");
        MainTest.Result s = MainTest.run(args(data, "gear", "pc", run));
        assertEquals(0, s.code(), s.err());
        List<String> straight = outcome(run);
        int best = config(run).get("results").get("best_epoch").asInt();
        List<String> rows = Files.readAllLines(run.resolve("metrics.csv")).stream().filter(l -> !l.startsWith("pretrain,"))
                .toList(); // the warm start's pretraining epochs first
        double score = config(run).get("results").get("selection_score").asDouble();
        String[] kept = rows.get(best + 1).split(","); // header, then epoch 1 ... : the kept epoch's row is best + 1
        assertEquals(Integer.toString(best + 1), kept[1]);
        assertEquals(score, Double.parseDouble(kept[kept.length - 1]), 1e-6 * score, "metrics.csv's epoch best_epoch + 1");
        // the older form of the same run: best_epoch from 1
        com.fasterxml.jackson.databind.node.ObjectNode old = (com.fasterxml.jackson.databind.node.ObjectNode) config(run);
        ((com.fasterxml.jackson.databind.node.ObjectNode) old.get("results")).put("best_epoch", best + 1);
        Files.writeString(run.resolve("config.json"), old.toPrettyString());
        Path html = dir.resolve("report.html");
        MainTest.Result rep = MainTest.run("report", run.toString(), "-o", html.toString());
        assertEquals(0, rep.code(), rep.err());
        Path again = dir.resolve("again");
        MainTest.Result c = MainTest.run("transfer", "--config", run.resolve("config.json").toString(), "-o", again.toString(),
                "-q");
        assertEquals(0, c.code(), c.err());
        assertEquals(straight, outcome(again));
        MainTest.Result r = MainTest.run("transfer", "--resume", "-o", run.toString(), "-q");
        assertEquals(0, r.code(), r.err());
        assertEquals(straight, outcome(run), "the resumed run's results count from 0 again");
    }

    @Test
    void configReproducesTheRunAndResumeChecksTheSettings(@TempDir Path dir) throws Exception {
        List<Path> data = data(dir);
        Path first = dir.resolve("first");
        assertEquals(0, MainTest.run(args(data, "gate", "pc,pb", first)).code());
        Path again = dir.resolve("again");
        MainTest.Result r = MainTest.run("transfer", "--config", first.resolve("config.json").toString(), "-o",
                again.toString(), "-q");
        assertEquals(0, r.code(), r.err());
        assertEquals(outcome(first), outcome(again));
        // options given with --config override the file's
        Path other = dir.resolve("other");
        assertEquals(0, MainTest.run("transfer", "--config", first.resolve("config.json").toString(), "-o",
                other.toString(), "--epochs", "2", "-q").code());
        assertEquals(2, config(other).get("epochs").asInt());
        assertEquals(2, Files.readString(other.resolve("metrics.csv")).lines().filter(l -> l.startsWith("train,")).count());
        // resuming with other settings than the run's: exit 2 naming its config.json and the option
        Path cut = dir.resolve("cut");
        assertNotEquals(0, MainTest.run(args(data, "gear", "pc", cut, "--interrupt-after", "1")).code());
        MainTest.Result bad = MainTest.run("transfer", "--resume", "-o", cut.toString(), "--w-curv", "0.5", "-q");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains(cut.resolve("config.json") + ": --resume with other settings")
                && bad.err().contains("w_curv"), bad.err());
        // a malformed task list in a config file: exit 2 naming the file
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"command\": \"transfer\", \"tasks\": [{\"file\": \"x.csv\"}], \"target\": \"pc\"}");
        MainTest.Result b = MainTest.run("transfer", "--config", broken.toString(), "-o", dir.resolve("b").toString(), "-q");
        assertEquals(2, b.code(), b.err());
        assertTrue(b.err().contains("broken.json") && b.err().contains("file and a column"), b.err());
    }

    @Test
    void severalTargetsSelectOnTheMeanStandardizedValidationRmse(@TempDir Path dir) throws Exception {
        List<Path> data = data(dir);
        Path run = dir.resolve("run");
        MainTest.Result r = MainTest.run(args(data, "gear", "pb,pc", run, "--epochs", "5"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("mean standardized validation RMSE"), r.out());
        KTaskModel m = KTaskModelFile.load(run.resolve("model.gear"));
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        List<String> head = Arrays.asList(lines.get(0).split(","));
        int vb = head.indexOf("val_rmse_pb");
        int vc = head.indexOf("val_rmse_pc");
        int score = head.indexOf("val_score");
        assertTrue(vb > 0 && vc > 0 && score == head.size() - 1, lines.get(0));
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = -1;
        double[] bestVal = null;
        for (String l : lines.subList(1, lines.size())) {
            if (l.startsWith("pretrain,")) { // the warm start's
                continue;
            }
            String[] f = l.split(",");
            double b = Double.parseDouble(f[vb]);
            double c = Double.parseDouble(f[vc]);
            double want = (b / m.scaler(1).std(0) + c / m.scaler(2).std(0)) / 2;
            double got = Double.parseDouble(f[score]);
            assertEquals(want, got, 1e-6 * want, l);
            if (got < best) {
                best = got;
                bestEpoch = Integer.parseInt(f[1]);
                bestVal = new double[] {b, c};
            }
        }
        JsonNode res = config(run).get("results");
        // config.json counts the kept epoch from 0 (as a two-task run), metrics.csv and the log from 1; stdout says both
        assertEquals(bestEpoch - 1, res.get("best_epoch").asInt());
        assertTrue(r.out().contains("best epoch " + (bestEpoch - 1) + " (0-based; the log's epoch " + bestEpoch + ") by the mean "
                + "standardized validation RMSE"), r.out());
        assertEquals(bestVal[0], res.get("pb").get("val_rmse").asDouble(), 1e-6 * bestVal[0]);
        assertEquals(bestVal[1], res.get("pc").get("val_rmse").asDouble(), 1e-6 * bestVal[1]);
        // each target's test RMSE from its rows of test_predictions.csv
        List<String> pred = Files.readAllLines(run.resolve("test_predictions.csv"));
        assertEquals("task,row,smiles,true,predicted", pred.get(0));
        for (String task : List.of("pb", "pc")) {
            double s = 0;
            int n = 0;
            for (String l : pred.subList(1, pred.size())) {
                String[] f = l.split(",");
                if (f[0].equals(task)) {
                    double d = Double.parseDouble(f[3]) - Double.parseDouble(f[4]);
                    s += d * d;
                    n++;
                }
            }
            assertTrue(n > 0, task);
            assertEquals(Math.sqrt(s / n), res.get(task).get("test_rmse").asDouble(), 1e-6 * Math.sqrt(s / n), task);
        }
        JsonNode target = config(run).get("target");
        assertEquals("[\"pb\",\"pc\"]", target.toString());
        // a target named twice, or a splits file with several targets: exit 2
        assertEquals(2, MainTest.run(args(data, "gear", "pb,pb", dir.resolve("x"))).code());
        Path splits = dir.resolve("splits.json");
        Files.writeString(splits, "{\"train\": [0,1,2,3,4,5,6,7,8,9], \"val\": [10,11], \"test\": [12,13]}");
        MainTest.Result sf = MainTest.run(args(data, "gear", "pb,pc", dir.resolve("y"), "--splits-file", splits.toString()));
        assertEquals(2, sf.code(), sf.err());
        assertTrue(sf.err().contains("--splits-file"), sf.err());
    }
}
