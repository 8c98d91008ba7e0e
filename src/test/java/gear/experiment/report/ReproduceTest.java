package gear.experiment.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReproduceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void optionsObjectBecomesKebabCaseFlags() throws Exception {
        Reproduce.Result r = Reproduce.from(JSON.readTree("""
                {"command": "gear transfer", "options": {"source": "a.csv", "targetColumn": "Tc (K)",
                 "method": "gear", "seeds": [0, 1], "verbose": true, "quiet": false, "weights": {"metric": 1}}}
                """), "run/config.json");
        assertEquals("transfer", r.command());
        assertEquals(List.of("gear transfer --source a.csv --target-column 'Tc (K)' --method gear --seeds 0 1 --verbose",
                "gear transfer --config run/config.json"), r.commandLines());
        assertEquals(List.of("quiet (false)", "weights"), r.omitted());
    }

    @Test
    void argumentVectorIsUsedVerbatimAndQuoted() throws Exception {
        Reproduce.Result r = Reproduce.from(JSON.readTree("""
                {"argv": ["train", "-i", "it's here.csv", "--epochs", "3"], "command": "train"}
                """), "c.json");
        assertEquals("gear train -i 'it'\\''s here.csv' --epochs 3", r.commandLines().get(0));
        assertEquals(2, r.commandLines().size());
    }

    @Test
    void noCommandNoLines() throws Exception {
        Reproduce.Result r = Reproduce.from(JSON.readTree("{\"epochs\": 3}"), "c.json");
        assertNull(r.command());
        assertEquals(List.of(), r.commandLines());
        assertEquals("''", Reproduce.quote(""));
        assertEquals("data-path", Reproduce.kebab("dataPath"));
        assertEquals("data-path", Reproduce.kebab("data_path"));
    }
}
