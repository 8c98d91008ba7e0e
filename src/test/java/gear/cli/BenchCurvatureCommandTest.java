package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchCurvatureCommandTest {

    private static List<JsonNode> run(String... args) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = Main.run(args);
        } finally {
            System.setOut(old);
        }
        assertEquals(0, code);
        List<JsonNode> out = new ArrayList<>();
        ObjectMapper m = new ObjectMapper();
        for (String line : buf.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                out.add(m.readTree(line));
            }
        }
        return out;
    }

    /**
     * A tiny run: one JSON object per measurement, from child JVMs, with time and memory fields.
     * Slow (three child JVMs each load libtorch, ~15–45 s on a busy 2-core machine).
     */
    @Test
    @org.junit.jupiter.api.Tag("slow")
    void tinyRunPrintsJsonPerMeasurement() throws Exception {
        List<JsonNode> rows = run("bench", "curvature", "--sizes", "2", "--dims", "2/3", "--repeats", "1",
                "--routes", "intrinsic,gauss", "--matmul-size", "128");
        assertEquals(4, rows.size(), rows.toString());
        assertEquals("matmul", rows.get(0).get("bench").asText());
        assertTrue(rows.get(0).get("gflops").asDouble() > 0);
        for (int i = 1; i <= 2; i++) {
            JsonNode m = rows.get(i);
            assertEquals("ok", m.get("status").asText(), m.toString());
            assertEquals(2, m.get("size").asInt());
            assertTrue(m.get("total_ms_median").asDouble() > 0);
            assertTrue(m.get("peak_bytes").asLong() >= 0);
        }
        assertEquals("gauss", rows.get(2).get("route").asText());
        assertTrue(rows.get(2).get("flops_forward").asDouble() > 0);
        assertEquals("curvature-summary", rows.get(3).get("bench").asText());
    }

    @Test
    void badDimsAndRoutesExit2() {
        assertEquals(2, Main.run("bench", "curvature", "--dims", "3/3"));
        assertEquals(2, Main.run("bench", "curvature", "--dims", "x"));
        assertEquals(2, Main.run("bench", "curvature", "--sizes", "1", "--dims", "2/3", "--routes", "riemann",
                "--matmul-size", "16"));
    }
}
