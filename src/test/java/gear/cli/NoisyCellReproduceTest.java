package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A label-noise grid cell ({@code gear benchmark --noise-fractions}) is reproduced by {@code gear transfer --config
 * CELL/config.json}: its config.json records the noise (fraction, k, corrupted count, shift, seed) and
 * {@code --config} applies it, so the reproduced run has the cell's test predictions and RMSE (and not those
 * of the clean cell, which differ), and so does the command the report prints for the cell
 * ({@code --noise-fraction/--noise-sigma/--noise-seed}); a record that does not fit the data is refused (exit 2).
 */
class NoisyCellReproduceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aNoisyCellIsReproducedFromItsConfigJson(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(dir);
        Path pairs = Files.writeString(dir.resolve("pairs.json"), "{\"pairs\": [{\"id\": \"ref\", \"source\": {\"file\": "
                + "\"source.csv\", \"column\": \"ys\"}, \"target\": {\"file\": \"target.csv\", \"column\": \"yt\"}}]}");
        Path out = dir.resolve("grid");
        MainTest.Result r = MainTest.run("benchmark", "--pairs", pairs.toString(), "--data-dir", data.toString(), "--methods",
                "stl", "--split-types", "random", "--folds", "2", "--max-folds", "1", "--seeds", "0", "-o", out.toString(),
                "--no-plots", "--no-load-cache", "--isolation", "thread", "--epochs", "2", "--set", "hidden_size=16",
                "--noise-fractions", "0,0.5", "--noise-sigma", "3");
        assertEquals(0, r.code(), r.err());
        Map<Boolean, String> predictions = new HashMap<>();
        Path noisyConfig = null;
        try (var cells = Files.list(out.resolve("cells"))) {
            for (Path cell : cells.toList()) {
                Path cfg = cell.resolve("config.json");
                JsonNode c = JSON.readTree(cfg.toFile());
                boolean noisy = c.has("label_noise");
                predictions.put(noisy, Files.readString(cell.resolve("test_predictions.csv")));
                if (noisy) {
                    noisyConfig = cfg;
                    JsonNode z = c.get("label_noise");
                    assertEquals(0.5, z.get("fraction").asDouble(), 0.0);
                    assertEquals(3.0, z.get("sigma").asDouble(), 0.0);
                    assertTrue(z.get("corrupted").asInt() > 0 && z.get("shift").asDouble() > 0, z.toString());
                    assertTrue(z.has("seed"), z.toString());
                }
                Path again = dir.resolve("again-" + cell.getFileName());
                MainTest.Result r2 = MainTest.run("transfer", "--config", cfg.toString(), "-o", again.toString(), "-q");
                assertEquals(0, r2.code(), cell + ": " + r2.err());
                JsonNode a = JSON.readTree(again.resolve("config.json").toFile());
                assertEquals(c.get("results").get("test_rmse").asDouble(), a.get("results").get("test_rmse").asDouble(), 0.0,
                        cell.toString());
                assertEquals(Files.readString(cell.resolve("test_predictions.csv")),
                        Files.readString(again.resolve("test_predictions.csv")), cell.toString());
                assertEquals(c.get("label_noise"), a.get("label_noise"), "the reproduced run records the same noise");
                // and so does the command the report prints for the cell (its flags carry the noise)
                String printed = gear.experiment.report.Reproduce.from(c, cfg.toString()).commandLines().get(0);
                assertEquals(noisy, printed.contains("--noise-fraction 0.5"), printed);
                List<String> words = ShellWords.split(printed);
                List<String> argv = new java.util.ArrayList<>(words.subList(1, words.size()));
                Path third = dir.resolve("third-" + cell.getFileName());
                argv.addAll(List.of("-o", third.toString(), "-q"));
                MainTest.Result r3 = MainTest.run(argv.toArray(new String[0]));
                assertEquals(0, r3.code(), printed + "\n" + r3.err());
                assertEquals(Files.readString(cell.resolve("test_predictions.csv")),
                        Files.readString(third.resolve("test_predictions.csv")), printed);
                assertEquals(c.get("label_noise"), JSON.readTree(third.resolve("config.json").toFile()).get("label_noise"));
            }
        }
        assertEquals(2, predictions.size(), "a clean and a noisy cell");
        assertNotEquals(predictions.get(false), predictions.get(true), "the noise changes the result");

        ObjectNode wrong = (ObjectNode) JSON.readTree(noisyConfig.toFile());
        ((ObjectNode) wrong.get("label_noise")).put("corrupted", wrong.get("label_noise").get("corrupted").asInt() + 1);
        Path bad = Files.writeString(dir.resolve("bad.json"), JSON.writeValueAsString(wrong));
        MainTest.Result r4 = MainTest.run("transfer", "--config", bad.toString(), "-o", dir.resolve("bad").toString(), "-q");
        assertEquals(2, r4.code(), r4.err());
        assertTrue(r4.err().contains("label_noise: records"), r4.err());
        assertTrue(List.of(r4.err().split("\n")).stream().noneMatch(l -> l.startsWith("\tat ")), r4.err());
        MainTest.Result r5 = MainTest.run("transfer", "--config", noisyConfig.toString(), "-o", dir.resolve("bad2").toString(),
                "-q", "--noise-seed", "1");
        assertEquals(2, r5.code(), r5.err());
        assertTrue(r5.err().contains("--noise-seed need --noise-fraction"), r5.err());
    }
}
