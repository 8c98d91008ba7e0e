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

    /**
     * {@code gear transfer --task … --method finetune --pretrain-cache DIR}: the second run reads the k-task
     * pretraining the first stored, and both predict as the run without the cache.
     */
    @Test
    void kTaskFinetuneSharesThePretraining(@TempDir Path dir) throws Exception {
        String[] tokens = {"C", "CC", "O", "N", "C(C)", "C(=O)", "c1ccccc1", "C(O)", "CN", "Cl"};
        java.util.Random r = new java.util.Random(3);
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        while (seen.size() < 90) {
            StringBuilder m = new StringBuilder("C");
            for (int j = 0, n = 1 + r.nextInt(7); j < n; j++) {
                m.append(tokens[r.nextInt(tokens.length)]);
            }
            seen.add(m.toString());
        }
        List<String> smiles = List.copyOf(seen);
        String[] cols = {"a", "b", "c"};
        List<String> args = new java.util.ArrayList<>(List.of("transfer", "--method", "finetune", "--target", "c",
                "--seed", "1", "--epochs", "1", "--pretrain-epochs", "2", "--batch-size", "16", "--hidden-size", "16",
                "--latent-size", "4", "-q"));
        for (int t = 0; t < 3; t++) {
            StringBuilder csv = new StringBuilder("smiles," + cols[t] + "\n");
            for (String s : smiles.subList(20 * t, 20 * t + 50)) {
                csv.append(s).append(',').append((t + 1) * s.length() + r.nextGaussian()).append('\n');
            }
            Path f = dir.resolve(cols[t] + ".csv");
            java.nio.file.Files.writeString(f, csv.toString());
            args.addAll(List.of("--task", f + ":" + cols[t]));
        }
        Path cache = dir.resolve("cache");
        for (String run : List.of("first", "second", "plain")) {
            List<String> a = new java.util.ArrayList<>(args);
            a.addAll(List.of("-o", dir.resolve(run).toString()));
            if (!run.equals("plain")) {
                a.addAll(List.of("--pretrain-cache", cache.toString()));
            }
            assertEquals(0, Main.run(a.toArray(new String[0])), run);
        }
        JsonNode first = config(dir.resolve("first")).get("pretraining");
        JsonNode second = config(dir.resolve("second")).get("pretraining");
        assertTrue(first.get("computed").asBoolean());
        assertFalse(second.get("computed").asBoolean());
        assertEquals(first.get("cache"), second.get("cache"));
        assertFalse(config(dir.resolve("plain")).get("pretraining").has("cache"));
        String plain = java.nio.file.Files.readString(dir.resolve("plain").resolve("test_predictions.csv"));
        assertEquals(plain, java.nio.file.Files.readString(dir.resolve("first").resolve("test_predictions.csv")));
        assertEquals(plain, java.nio.file.Files.readString(dir.resolve("second").resolve("test_predictions.csv")));
    }
}
