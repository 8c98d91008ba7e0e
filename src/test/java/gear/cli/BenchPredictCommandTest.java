package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gear bench predict}: one JSON line per size from a child JVM; absent data is said clearly (exit 2). */
class BenchPredictCommandTest {
    @Test
    void measuresEachSizeInAChild(@TempDir Path work) throws Exception {
        Path data = TestData.dataDir();
        Assumptions.assumeTrue(Files.isRegularFile(data.resolve("esol_delaney_logS.csv")), "public data absent");
        MainTest.Result r = MainTest.run("bench", "predict", "--data-dir", data.toString(), "--source", "esol_delaney_logS.csv",
                "--sizes", "40,90", "--hidden-size", "16", "--work-dir", work.toString(), "--chunk-size", "32");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        JsonNode o = new ObjectMapper().readTree(lines.get(1));
        assertEquals("predict", o.get("bench").asText());
        assertEquals(90, o.get("molecules").asLong());
        assertTrue(o.get("molecules_per_second").asDouble() > 0);
        assertTrue(o.get("peak_rss_mb").asDouble() > 10, o.toString());
        assertEquals(1128, o.get("source_molecules").asInt());
        try (var s = Files.list(work)) {
            assertEquals(List.of("default.gear"), s.map(p -> p.getFileName().toString()).toList(), "inputs and outputs removed");
        }
    }

    @Test
    void absentDataIsSaidClearly(@TempDir Path empty) {
        MainTest.Result r = MainTest.run("bench", "predict", "--data-dir", empty.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("benchmark data not found") && r.err().contains("--data-dir"), r.err());
    }
}
