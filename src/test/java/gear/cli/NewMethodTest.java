package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.transfer.Methods;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A method registered only on the test class path ({@code gear.transfer.toy.ToyMethod}) is a full citizen:
 * {@code gear transfer --method toy} and {@code gear benchmark --methods toy} train it, and its own loss term and
 * diagnostic appear in the logs and metrics.csv. Also: the grid refuses an unknown {@code --set} key before any
 * cell directory exists.
 */
class NewMethodTest {
    @Test
    void theRegistryFindsTheTestMethod() {
        assertTrue(Methods.names().containsAll(List.of("stl", "mtl", "finetune", "kd", "gspkd", "gate", "gear", "toy")),
                Methods.names().toString());
        MainTest.Result help = MainTest.run("transfer", "--help");
        assertTrue(help.out().contains("toy"), help.out());
    }

    @Test
    void trainsThroughGearTransfer(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(dir);
        Path out = dir.resolve("run");
        List<String> args = new java.util.ArrayList<>(TransferRunDirTest.args(data, "toy", out));
        args.remove("-q");
        MainTest.Result r = TransferRunDirTest.run(args);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("toy_l2") && r.err().contains("toy_batch"), "the log names the new term: " + r.err());
        String head = Files.readAllLines(out.resolve("metrics.csv")).get(0);
        assertEquals("phase,epoch,reg,toy_l2,total,toy_batch,val_rmse,lr,seconds,kept", head);
        JsonNode cfg = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertEquals("toy", cfg.get("method").asText());
        assertTrue(cfg.get("results").get("test_rmse").asDouble() > 0);
    }

    @Test
    void trainsThroughGearBenchmark(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(dir);
        Path pairs = Files.writeString(dir.resolve("pairs.json"), "{\"pairs\": [{\"id\": \"ref\", \"source\": {\"file\": "
                + "\"source.csv\", \"column\": \"ys\"}, \"target\": {\"file\": \"target.csv\", \"column\": \"yt\"}}]}");
        Path out = dir.resolve("grid");
        MainTest.Result r = MainTest.run("benchmark", "--pairs", pairs.toString(), "--data-dir", data.toString(), "--methods",
                "stl,toy", "--split-types", "random", "--folds", "2", "--max-folds", "1", "--seeds", "0", "-o", out.toString(),
                "--no-plots", "--no-load-cache", "--isolation", "thread", "--epochs", "2", "--set", "hidden_size=16");
        assertEquals(0, r.code(), r.err());
        JsonNode rows = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        JsonNode list = rows.isArray() ? rows : rows.path("results");
        assertEquals(2, list.size(), list.toString());
        boolean toy = false;
        for (JsonNode row : list) {
            toy |= row.path("method").asText().equals("toy") && row.path("test_rmse").asDouble() > 0;
        }
        assertTrue(toy, list.toString());
        // a grid cell's config.json reproduces the cell with gear transfer --config
        try (var cells = Files.list(out.resolve("cells"))) {
            for (Path cell : cells.toList()) {
                Path cfg = cell.resolve("config.json");
                JsonNode c = new ObjectMapper().readTree(cfg.toFile());
                Path again = dir.resolve("again-" + cell.getFileName());
                MainTest.Result r2 = MainTest.run("transfer", "--config", cfg.toString(), "-o", again.toString(), "-q");
                assertEquals(0, r2.code(), cell + ": " + r2.err());
                JsonNode a = new ObjectMapper().readTree(again.resolve("config.json").toFile());
                assertEquals(c.get("results").get("test_rmse").asDouble(), a.get("results").get("test_rmse").asDouble(), 0.0,
                        cell.toString());
                assertEquals(Files.readString(cell.resolve("test_predictions.csv")),
                        Files.readString(again.resolve("test_predictions.csv")), cell.toString());
                // and so does the command the report prints for the cell
                List<String> words = ShellWords.split(gear.experiment.report.Reproduce.from(c, cfg.toString())
                        .commandLines().get(0));
                List<String> argv = new java.util.ArrayList<>(words.subList(1, words.size()));
                Path third = dir.resolve("third-" + cell.getFileName());
                argv.addAll(List.of("-o", third.toString(), "-q"));
                MainTest.Result r3 = MainTest.run(argv.toArray(new String[0]));
                assertEquals(0, r3.code(), String.join(" ", words) + "\n" + r3.err());
                assertEquals(Files.readString(cell.resolve("test_predictions.csv")),
                        Files.readString(third.resolve("test_predictions.csv")), cell.toString());
            }
        }
    }

    @Test
    void gridRefusesAnUnknownSetKeyBeforeAnyCell(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(dir);
        Path pairs = Files.writeString(dir.resolve("pairs.json"), "{\"pairs\": [{\"id\": \"ref\", \"source\": {\"file\": "
                + "\"source.csv\", \"column\": \"ys\"}, \"target\": {\"file\": \"target.csv\", \"column\": \"yt\"}}]}");
        Path out = dir.resolve("grid");
        MainTest.Result r = MainTest.run("benchmark", "--pairs", pairs.toString(), "--data-dir", data.toString(), "--methods",
                "gear", "--split-types", "random", "--folds", "2", "--seeds", "0", "-o", out.toString(), "--no-plots",
                "--isolation", "thread", "--set", "lambda_curv=1");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("'lambda_curv'") && r.err().contains("did you mean 'w_curv'"), r.err());
        assertFalse(Files.exists(out.resolve("cells")), "no cell directory");
        r = MainTest.run("benchmark", "--pairs", pairs.toString(), "--data-dir", data.toString(), "--methods", "gear",
                "--split-types", "random", "--folds", "2", "--seeds", "0", "-o", out.toString(), "--no-plots",
                "--isolation", "thread", "--set", "w_curv=-1");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--w-curv must be a finite number ≥ 0.0, got -1"), r.err());
        assertFalse(Files.exists(out.resolve("cells")), "no cell directory");
    }
}
