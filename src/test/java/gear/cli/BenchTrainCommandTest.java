package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** {@code gear bench train}: the transfer-method step-cost path (fast sizes) and its bad-input paths. */
class BenchTrainCommandTest {

    @Test
    void gearStepCostAgainstTwoStlStepsPrintsOneJsonLine() throws Exception {
        MainTest.Result r = MainTest.run("bench", "train", "--method", "gear", "--hidden-size", "32", "--batch-size", "10",
                "--steps", "2", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(1, lines.length, r.out());
        JsonNode n = new ObjectMapper().readTree(lines[0]);
        assertEquals("gear", n.path("method").asText());
        double ratio = n.path("ratio").asDouble(Double.NaN);
        assertTrue(ratio > 0 && Double.isFinite(ratio), lines[0]);
        assertTrue(n.path("method_step_s").asDouble() > 0, lines[0]);
    }

    @Test
    void badMethodAndWrongInputCountExitTwo() {
        assertEquals(2, MainTest.run("bench", "train", "--method", "magic").code());
        assertEquals(2, MainTest.run("bench", "train", "--method", "gear", "-i", "a.csv").code());
        assertEquals(2, MainTest.run("bench", "train", "--method", "gear", "--steps", "0").code());
    }
}
