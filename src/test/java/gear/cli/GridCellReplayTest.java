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
 * Every grid cell, a pair's and a task set's, with tuned values, is repeated by {@code gear transfer --config CELL/config.json} and by the
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
        Path second = data.resolve("second.csv"); // a second source: the reference source's molecules, another label,
        // the first source's column name: the tasks are named faulty-source.ys and second.ys (TaskNames)
        List<String> s2 = new ArrayList<>(List.of("smiles,ys"));
        Files.readAllLines(data.resolve("source.csv")).stream().skip(1)
                .forEach(l -> s2.add(l.split(",")[0] + "," + (l.split(",")[0].length() % 7)));
        Files.write(second, s2);
        Path pairs = Files.writeString(dir.resolve("pairs.json"), "{\"pairs\": ["
                + "{\"id\": \"p\", \"source\": {\"file\": \"" + src + "\", \"column\": \"ys\"}, \"target\": {\"file\": \""
                + tgt + "\", \"column\": \"yt\"}},"
                + "{\"id\": \"ks\", \"sources\": [{\"file\": \"" + src + "\", \"column\": \"ys\"}, {\"file\": \"" + second
                + "\", \"column\": \"ys\"}], \"target\": {\"file\": \"" + tgt + "\", \"column\": \"yt\"}}]}");
        Path grid = dir.resolve("grid");
        // tuned values, as the converged grids run with (a cell records them under "tuned", which --config accepts)
        Path chosen = Files.writeString(dir.resolve("chosen.json"),
                "{\"methods\": {\"gate\": {\"values\": {\"dropout\": \"0.05\"}}}}");
        MainTest.Result r = MainTest.run("benchmark", "--pairs", pairs.toString(), "--methods", "gate", "--split-types",
                "random", "--folds", "3", "--max-folds", "1", "--seeds", "0", "-o", grid.toString(), "--no-plots",
                "--no-load-cache", "--isolation", "thread", "--epochs", "2", "--set", "hidden_size=16", "--tuned",
                chosen.toString());
        assertEquals(0, r.code(), r.err());
        for (String id : List.of("p.gate.random.f0.s0", "ks.gate.random.f0.s0")) {
            Path cell = grid.resolve("cells").resolve(id);
            Path cfg = cell.resolve("config.json");
            JsonNode c = JSON.readTree(cfg.toFile());
            assertEquals("0.05", c.path("tuned").path("values").path("dropout").asText(), id);
            assertEquals(0.05, c.path("dropout").asDouble(), 0.0, id);
            if (c.has("tasks")) { // the columns as read, the names where the columns repeat
                assertEquals("ys|faulty-source.ys,ys|second.ys,yt|", names(c), id);
            }
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

    private static String names(JsonNode c) {
        List<String> n = new ArrayList<>();
        c.get("tasks").forEach(t -> n.add(t.get("column").asText() + "|" + t.path("name").asText("")));
        return String.join(",", n);
    }

    /**
     * {@code gear transfer --task} with two files that share a column: each is named FILE_STEM.COLUMN, a bare column
     * that several tasks share is refused as a target naming the tasks, and the same file and column twice is refused.
     */
    @Test
    void tasksThatShareAColumnAreNamedByTheirFiles(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(Files.createDirectories(dir.resolve("data")));
        Path other = data.resolve("other.csv");
        List<String> rows = new ArrayList<>(List.of("smiles,ys"));
        Files.readAllLines(data.resolve("source.csv")).stream().skip(1)
                .forEach(l -> rows.add(l.split(",")[0] + "," + (l.split(",")[0].length() % 5)));
        Files.write(other, rows);
        Path t = data.resolve("target.csv");
        List<String> base = List.of("transfer", "--method", "mtl", "--task", data.resolve("source.csv") + ":ys", "--task",
                other + ":ys", "--task", t + ":yt", "--epochs", "2", "--hidden-size", "16", "--invalid", "skip", "-q");
        List<String> a = new ArrayList<>(base);
        a.addAll(List.of("--target", "yt", "-o", dir.resolve("run").toString()));
        MainTest.Result r = MainTest.run(a.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        JsonNode c = JSON.readTree(dir.resolve("run").resolve("config.json").toFile());
        assertEquals("ys|source.ys,ys|other.ys,yt|", names(c));
        assertEquals(List.of("source.ys", "other.ys", "yt"),
                gear.transfer.ktask.KTaskModelFile.load(dir.resolve("run").resolve("model.gear")).names());
        List<String> b = new ArrayList<>(base);
        b.addAll(List.of("--target", "ys", "-o", dir.resolve("ambiguous").toString()));
        MainTest.Result r2 = MainTest.run(b.toArray(new String[0]));
        assertEquals(2, r2.code(), r2.err());
        assertTrue(r2.err().contains("--target ys is not the name of any task (tasks: source.ys, other.ys, yt"), r2.err());
        MainTest.Result r3 = MainTest.run("transfer", "--task", t + ":yt", "--task", t + ":yt", "--task",
                other + ":ys", "--target", "yt", "-o", dir.resolve("twice").toString(), "-q");
        assertEquals(2, r3.code(), r3.err());
        assertTrue(r3.err().contains(":yt is given twice"), r3.err());
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
