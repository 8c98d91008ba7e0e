package gear.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one run-directory writer: the config.json schema and the two metrics.csv forms. */
class RunWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void configStartsWithCommandArgvAndVersion(@TempDir Path dir) throws Exception {
        ObjectNode settings = JSON.createObjectNode();
        settings.put("command", "stale");
        settings.put("epochs", 3);
        ObjectNode cfg = RunWriter.config("train", null, settings);
        List<String> keys = new ArrayList<>();
        cfg.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("command", "argv", "gear_version", "epochs"), keys);
        assertEquals("train", cfg.get("command").asText());
        assertTrue(cfg.get("argv").isArray() && cfg.get("argv").isEmpty());
        RunWriter w = new RunWriter(dir.resolve("run"));
        w.writeConfig(cfg);
        assertEquals(3, JSON.readTree(w.file(RunWriter.CONFIG).toFile()).get("epochs").asInt());
    }

    @Test
    void bothMetricsForms(@TempDir Path dir) throws Exception {
        EpochStats e = new EpochStats("train", 0, 2, Map.of("b", 2.0, "a", 1.0), 0.5, 0.001, 1.25, true);
        assertEquals("epoch,train_loss,val_rmse,lr,seconds", RunWriter.epochMetricsCsv(List.of(e)).lines().findFirst()
                .orElseThrow());
        String csv = RunWriter.termMetricsCsv(List.of("a", "missing"), List.of(e));
        assertEquals("phase,epoch,a,b,val_rmse,lr,seconds,kept", csv.lines().findFirst().orElseThrow());
        assertTrue(csv.lines().skip(1).findFirst().orElseThrow().startsWith("train,1,1.0,2.0,0.5,"), csv);
    }
}
