package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.nn.Torch;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gear transfer --pretrain-cache DIR}: finetune computes the pretraining, KD reuses it; results unchanged. */
class TransferPretrainCacheTest {
    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    static JsonNode config(Path run) throws Exception {
        return new ObjectMapper().readTree(run.resolve("config.json").toFile());
    }

    /** Three runs through the CLI: about 60 s on the loaded 2-core machine. */
    @Test
    @org.junit.jupiter.api.Tag("slow")
    void finetuneStoresAndKdReusesThePretraining(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(dir);
        Path cache = dir.resolve("cache");
        List<String> extra = List.of("--pretrain-cache", cache.toString(), "--pretrain-val-fraction", "0.2");
        assertEquals(0, TransferRunDirTest.run(TransferRunDirTest.args(data, "finetune", dir.resolve("ft"),
                extra.toArray(new String[0]))).code());
        MainTest.Result kd = TransferRunDirTest.run(TransferRunDirTest.args(data, "kd", dir.resolve("kd"),
                extra.toArray(new String[0])));
        assertEquals(0, kd.code(), kd.err());
        MainTest.Result plain = TransferRunDirTest.run(TransferRunDirTest.args(data, "kd", dir.resolve("plain"),
                "--pretrain-val-fraction", "0.2"));
        assertEquals(0, plain.code(), plain.err());
        JsonNode ft = config(dir.resolve("ft")).get("pretraining");
        JsonNode k = config(dir.resolve("kd")).get("pretraining");
        assertTrue(ft.get("computed").asBoolean());
        assertFalse(k.get("computed").asBoolean());
        assertEquals(ft.get("cache").asText(), k.get("cache").asText());
        assertEquals(config(dir.resolve("plain")).get("results").get("test_rmse").asDouble(),
                config(dir.resolve("kd")).get("results").get("test_rmse").asDouble(), 0.0);
        assertFalse(config(dir.resolve("plain")).get("pretraining").has("cache"));
    }
}
