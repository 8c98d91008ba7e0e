package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.experiment.report.Reproduce;
import gear.nn.Torch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The run directory of {@code gear transfer}: resume after an interruption gives the run an uninterrupted one
 * gives; {@code --config RUN/config.json} and the report's reproduce command reproduce a run; a bad output
 * directory and unknown keys are refused (exit 2) before any training.
 */
class TransferRunDirTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    /** Small, fast transfer arguments on the reference pair. */
    static List<String> args(Path data, String method, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("transfer", "--source", data.resolve("source.csv").toString(),
                "--source-column", "ys", "--target", data.resolve("target.csv").toString(), "--target-column", "yt",
                "--method", method, "-o", out.toString(), "--epochs", "3", "--pretrain-epochs", "2", "--batch-size", "20",
                "--hidden-size", "16", "--latent-size", "4", "--common-size", "8", "--map-hidden", "8", "--curv-subset",
                "3", "--seed", "2", "-q"));
        a.addAll(List.of(extra));
        return a;
    }

    static MainTest.Result run(List<String> args) {
        return MainTest.run(args.toArray(new String[0]));
    }

    static JsonNode config(Path run) throws Exception {
        return JSON.readTree(run.resolve("config.json").toFile());
    }

    /** Test RMSE, metrics.csv without the seconds column, and the test predictions of a finished run. */
    static List<String> outcome(Path run) throws Exception {
        List<String> o = new ArrayList<>();
        o.add(config(run).get("results").get("test_rmse").asText());
        for (String line : Files.readAllLines(run.resolve("metrics.csv"))) {
            String[] v = line.split(",", -1);
            List<String> keep = new ArrayList<>(List.of(v));
            keep.remove(v.length - 2); // seconds
            keep.remove(keep.size() - 1); // kept flag is identical too, but keep it simple
            o.add(String.join(",", keep));
        }
        o.addAll(Files.readAllLines(run.resolve("test_predictions.csv")));
        return o;
    }

    /**
     * Interrupted after k epochs of this process (the checkpoint of the last one written), then resumed:
     * the same metrics, predictions and test RMSE as one uninterrupted run. gear cycles source batches across
     * epochs (restored on resume); finetune is interrupted in its pretraining phase and between phases.
     */
    @ParameterizedTest
    @CsvSource({"gear, 1", "gear, 2", "finetune, 1", "finetune, 2", "finetune, 3"})
    void resumeAfterInterruptionEqualsAnUninterruptedRun(String method, int after, @TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(dir);
        Path straight = dir.resolve("straight");
        assertEquals(0, run(args(data, method, straight)).code());
        Path cut = dir.resolve("cut");
        MainTest.Result r = run(args(data, method, cut, "--interrupt-after", Integer.toString(after)));
        assertNotEquals(0, r.code(), "the interrupted run must fail");
        assertTrue(Files.isRegularFile(cut.resolve("config.json")), "config.json is written before training");
        assertFalse(Files.exists(cut.resolve("model.gear")), "no model before the end");
        JsonNode argv = config(cut).get("argv");
        MainTest.Result resumed = MainTest.run("transfer", "--resume", "-o", cut.toString(), "-q");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(outcome(straight), outcome(cut));
        assertEquals(argv, config(cut).get("argv"), "the resumed run keeps the original argv");
    }

    /** --config RUN/config.json, and the command the report prints, reproduce the run. */
    @Test
    void configAndReportedCommandReproduceTheRun(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(dir);
        Path first = dir.resolve("first");
        assertEquals(0, run(args(data, "gate", first)).code());
        Path again = dir.resolve("again");
        MainTest.Result r = MainTest.run("transfer", "--config", first.resolve("config.json").toString(), "-o",
                again.toString(), "-q");
        assertEquals(0, r.code(), r.err());
        assertEquals(outcome(first), outcome(again));

        Reproduce.Result rep = Reproduce.from(config(first), first.resolve("config.json").toString());
        assertEquals("transfer", rep.command());
        String line = rep.commandLines().get(0);
        List<String> words = ShellWords.split(line);
        assertEquals("gear", words.get(0));
        // the printed command writes into the original directory: run it elsewhere by overriding -o last
        Path third = dir.resolve("third");
        List<String> argv = new ArrayList<>(words.subList(1, words.size()));
        argv.addAll(List.of("-o", third.toString()));
        MainTest.Result r3 = run(argv);
        assertEquals(0, r3.code(), line + "\n" + r3.err());
        assertEquals(outcome(first), outcome(third));
        String viaConfig = rep.commandLines().get(1);
        assertTrue(viaConfig.startsWith("gear transfer --config "), viaConfig);
    }

    @Test
    void badOutputDirectoryIsRefusedBeforeTraining(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(dir);
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        long t0 = System.nanoTime();
        MainTest.Result r = run(args(data, "gear", file.resolve("run"), "--epochs", "200"));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("not writable") && r.err().contains(file.toString()), r.err());
        r = run(args(data, "gear", file, "--epochs", "200"));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("is a file, not a directory"), r.err());
        assertTrue((System.nanoTime() - t0) / 1e9 < 20, "refused within seconds");
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void unknownOptionsAreRefusedWithTheClosestKey(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(dir);
        MainTest.Result r = run(args(data, "gear", dir.resolve("x"), "--w-curvv", "1"));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("w-curvv") && r.err().contains("--w-curv"), r.err());
        Path cfg = Files.writeString(dir.resolve("c.json"), "{\"lambda_curv\": 1}");
        r = MainTest.run("transfer", "--config", cfg.toString(), "-o", dir.resolve("y").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("'lambda_curv'") && r.err().contains("'w_curv'"), r.err());
        assertFalse(Files.exists(dir.resolve("y")));
        r = run(args(data, "gear", dir.resolve("z"), "--latent-size", "-3"));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--latent-size must be an integer ≥ 1, got -3"), r.err());
    }

    @Test
    void patienceStopsTheTargetPhaseEarly(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(dir);
        Path out = dir.resolve("p");
        MainTest.Result r = run(args(data, "stl", out, "--epochs", "12", "--patience", "1", "--min-delta", "1000"));
        assertEquals(0, r.code(), r.err());
        // with a minimum improvement of 1000 target units only the first epoch improves: stop after the second
        assertEquals(1 + 2, Files.readAllLines(out.resolve("metrics.csv")).size());
        assertEquals(0, config(out).get("results").get("best_epoch").asInt());
        assertEquals(1, config(out).get("patience").asInt());
    }

    /** Dropout reaches the transfer networks, is seeded per step (two runs agree) and changes training. */
    @Test
    void dropoutIsDeterministicAndActive(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(dir);
        assertEquals(0, run(args(data, "gear", dir.resolve("a"), "--dropout", "0.2")).code());
        assertEquals(0, run(args(data, "gear", dir.resolve("b"), "--dropout", "0.2")).code());
        assertEquals(0, run(args(data, "gear", dir.resolve("c"))).code());
        assertEquals(outcome(dir.resolve("a")), outcome(dir.resolve("b")));
        assertNotEquals(outcome(dir.resolve("a")), outcome(dir.resolve("c")));
        assertEquals(0.2, config(dir.resolve("a")).get("dropout").asDouble());
    }

    /** gear train records its argv; the report's reproduce command and --config RUN/config.json repeat the run. */
    @Test
    void trainRunsAreReproducedByTheReportedCommandToo(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(dir);
        Path first = dir.resolve("first");
        List<String> a = List.of("train", "-i", data.resolve("target.csv").toString(), "-o", first.toString(), "--epochs",
                "2", "--hidden-size", "16", "--batch-size", "20", "--seed", "4", "-q", "--cache-dir", "none");
        assertEquals(0, run(a).code());
        JsonNode cfg = config(first);
        assertEquals(JSON.valueToTree(a), cfg.get("argv"));
        Reproduce.Result rep = Reproduce.from(cfg, first.resolve("config.json").toString());
        List<String> words = ShellWords.split(rep.commandLines().get(0));
        Path second = dir.resolve("second");
        List<String> argv = new ArrayList<>(words.subList(1, words.size()));
        argv.addAll(List.of("-o", second.toString()));
        assertEquals(0, run(argv).code());
        Path third = dir.resolve("third");
        assertEquals(0, MainTest.run("train", "--config", first.resolve("config.json").toString(), "-o", third.toString(),
                "-q", "--cache-dir", "none").code());
        for (Path p : List.of(second, third)) {
            assertEquals(Files.readString(first.resolve("test_predictions.csv")), Files.readString(p.resolve("test_predictions.csv")));
        }
    }
}
