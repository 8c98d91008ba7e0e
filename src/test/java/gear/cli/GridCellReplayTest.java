package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every grid cell, a pair's and a task set's, is repeated by {@code gear transfer --config CELL/config.json} and by the
 * command line the report prints for it ({@link gear.experiment.report.Reproduce}): the same data rows (the grid
 * loads its tables skipping bad rows and keeping the first row of a repeated molecule; a replay with the transfer's
 * own defaults, {@code --invalid fail} and {@code --duplicates keep}, would refuse the bad row or train on the repeats),
 * the same split (a task-set cell's {@code splits.json}) and so the same test predictions.
 */
class GridCellReplayTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The reference data with a repeated molecule (another spelling of a row's SMILES) and an unparsable row. */
    private static Path withFaults(Path file, String column, String repeat, String spelling) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(repeat + ",")), repeat);
        lines.add(spelling + ",1.5");
        lines.add("C1CC(,2.0");
        Path out = file.resolveSibling("faulty-" + file.getFileName());
        Files.write(out, lines);
        assertEquals("smiles," + column, lines.get(0));
        return out;
    }

    @Test
    void pairAndTaskSetCellsAreRepeatedFromTheirConfigAndTheirPrintedCommand(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(Files.createDirectories(dir.resolve("data")));
        Path src = withFaults(data.resolve("source.csv"), "ys", "CCNCC", "C(C)NCC");
        Path tgt = withFaults(data.resolve("target.csv"), "yt", Files.readAllLines(data.resolve("target.csv")).get(1)
                .split(",")[0], Files.readAllLines(data.resolve("target.csv")).get(1).split(",")[0]);
        Path second = data.resolve("second.csv"); // a second source: the reference source's molecules, another label
        List<String> s2 = new ArrayList<>(List.of("smiles,yb"));
        Files.readAllLines(data.resolve("source.csv")).stream().skip(1)
                .forEach(l -> s2.add(l.split(",")[0] + "," + (l.split(",")[0].length() % 7)));
        Files.write(second, s2);
        Path pairs = Files.writeString(dir.resolve("pairs.json"), "{\"pairs\": ["
                + "{\"id\": \"p\", \"source\": {\"file\": \"" + src + "\", \"column\": \"ys\"}, \"target\": {\"file\": \""
                + tgt + "\", \"column\": \"yt\"}},"
                + "{\"id\": \"ks\", \"sources\": [{\"file\": \"" + src + "\", \"column\": \"ys\"}, {\"file\": \"" + second
                + "\", \"column\": \"yb\"}], \"target\": {\"file\": \"" + tgt + "\", \"column\": \"yt\"}}]}");
        Path grid = dir.resolve("grid");
        MainTest.Result r = MainTest.run("benchmark", "--pairs", pairs.toString(), "--methods", "gate", "--split-types",
                "random", "--folds", "3", "--max-folds", "1", "--seeds", "0", "-o", grid.toString(), "--no-plots",
                "--no-load-cache", "--isolation", "thread", "--epochs", "2", "--set", "hidden_size=16");
        assertEquals(0, r.code(), r.err());
        for (String id : List.of("p.gate.random.f0.s0", "ks.gate.random.f0.s0")) {
            Path cell = grid.resolve("cells").resolve(id);
            Path cfg = cell.resolve("config.json");
            JsonNode c = JSON.readTree(cfg.toFile());
            String predictions = Files.readString(cell.resolve("test_predictions.csv"));
            Path again = dir.resolve("again-" + id);
            MainTest.Result r2 = MainTest.run("transfer", "--config", cfg.toString(), "-o", again.toString(), "-q");
            assertEquals(0, r2.code(), id + ": " + r2.err());
            JsonNode a = JSON.readTree(again.resolve("config.json").toFile());
            assertEquals(trained(c), trained(a), id + ": the same rows");
            assertEquals(predictions, Files.readString(again.resolve("test_predictions.csv")), id);
            String printed = gear.experiment.report.Reproduce.from(c, cfg.toString()).commandLines().get(0);
            assertTrue(!printed.contains("--config"), id + ": the cell's own arguments, " + printed);
            List<String> words = ShellWords.split(printed);
            List<String> argv = new ArrayList<>(words.subList(1, words.size()));
            Path third = dir.resolve("third-" + id);
            argv.addAll(List.of("-o", third.toString(), "-q"));
            MainTest.Result r3 = MainTest.run(argv.toArray(new String[0]));
            assertEquals(0, r3.code(), printed + "\n" + r3.err());
            assertEquals(predictions, Files.readString(third.resolve("test_predictions.csv")), printed);
        }
    }

    /** The rows a run trained on: a pair's source and target counts, a task set's per-task training counts. */
    private static String trained(JsonNode c) {
        if (c.has("tasks")) {
            List<String> n = new ArrayList<>();
            c.get("tasks").forEach(t -> n.add(t.get("column").asText() + "=" + t.get("n_train").asText()));
            return String.join(",", n);
        }
        return c.get("n_source_train").asText() + "/" + c.get("n_train").asText();
    }
}
