package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The best epoch {@code gear transfer} prints is the number its config.json stores ({@code results.best_epoch}, from
 * 0), labelled so, with the log's (and metrics.csv's) 1-based number of the same epoch: the last epoch metrics.csv
 * marks kept.
 */
class BestEpochPrintTest {
    private static final Pattern BEST = Pattern.compile("best epoch (\\d+) \\(0-based; the log's epoch (\\d+)\\)");

    @Test
    void printedBestEpochIsTheStoredOneAndNamesTheLogsEpoch(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(dir);
        for (String method : List.of("gear", "stl")) {
            Path run = dir.resolve(method);
            MainTest.Result r = TransferRunDirTest.run(TransferRunDirTest.args(data, method, run, "--epochs", "6",
                    "--max-lr", "0.01"));
            assertEquals(0, r.code(), r.err());
            Matcher m = BEST.matcher(r.out());
            assertTrue(m.find(), r.out());
            int printed = Integer.parseInt(m.group(1));
            int stored = new ObjectMapper().readTree(run.resolve("config.json").toFile()).path("results").path("best_epoch")
                    .asInt(-1);
            assertEquals(stored, printed, "printed = config.json's best_epoch (0-based)");
            int lastKept = -1; // metrics.csv: phase,epoch (from 1),...,kept; the kept epoch is the last one marked
            List<String> rows = Files.readAllLines(run.resolve("metrics.csv"));
            for (String row : rows.subList(1, rows.size())) {
                String[] v = row.split(",", -1);
                if (v[0].equals("train") && v[v.length - 1].equals("1")) {
                    lastKept = Integer.parseInt(v[1]);
                }
            }
            assertEquals(lastKept, Integer.parseInt(m.group(2)), "the log's number of the kept epoch");
            assertEquals(printed + 1, lastKept);
        }
    }
}
