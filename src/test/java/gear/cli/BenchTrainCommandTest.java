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

    /** {@code --profile} with a transfer method: the method step's phases, in step order, each timed. */
    @Test
    void gearStepProfileNamesEveryPhase() throws Exception {
        MainTest.Result r = MainTest.run("bench", "train", "--method", "gear", "--hidden-size", "32", "--batch-size", "10",
                "--steps", "2", "--threads", "1", "--profile");
        assertEquals(0, r.code(), r.err());
        JsonNode ph = new ObjectMapper().readTree(r.out().strip()).path("phases_ms");
        java.util.List<String> names = new java.util.ArrayList<>();
        ph.fieldNames().forEachRemaining(names::add);
        assertEquals(java.util.List.of("batch", "dmpnn forward", "encoder forward", "alignment terms", "metric term",
                "curvature term", "geometry diagnostics", "total + values", "autograd backward", "dmpnn backward", "adam",
                "release step tensors"), names, r.out());
        double sum = 0;
        for (String k : names) {
            double w = ph.path(k).path("wall").asDouble(Double.NaN);
            assertTrue(w >= 0, k + ": " + r.out());
            sum += w;
        }
        assertTrue(sum > 0, r.out());
    }

    @Test
    void badMethodAndWrongInputCountExitTwo() {
        assertEquals(2, MainTest.run("bench", "train", "--method", "magic").code());
        assertEquals(2, MainTest.run("bench", "train", "--method", "gear", "-i", "a.csv").code());
        assertEquals(2, MainTest.run("bench", "train", "--method", "gear", "--steps", "0").code());
    }
}
