package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.nn.Torch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code results.term_shares} of config.json: at the selected epoch, w_k·l̄_k over the logged total of
 * metrics.csv, summing to 1; and the scale-aware curvature loss reaches a GEAR run (the logged l_curv and its
 * share change), on the reference pair of {@link ReferenceRunsTest}.
 */
class TermSharesRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    private static JsonNode run(Path dir, String name, String... extra) throws Exception {
        Path out = dir.resolve(name);
        List<String> a = new ArrayList<>(ReferenceRunsTest.argv("transfer-gear",
                ReferenceRunsTest.data(Files.createDirectories(dir.resolve("data-" + name))), out));
        a.addAll(List.of(extra));
        MainTest.Result r = MainTest.run(a.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        return JSON.readTree(out.resolve("config.json").toFile());
    }

    /** @return the metrics.csv row (train phase) of target epoch {@code epoch} (0-based), column → value */
    private static Map<String, String> row(Path csv, int epoch) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        String[] head = lines.get(0).split(",", -1);
        int e = List.of(head).indexOf("epoch");
        int p = List.of(head).indexOf("phase");
        for (String line : lines.subList(1, lines.size())) {
            String[] v = line.split(",", -1);
            if ((p < 0 || v[p].equals("train")) && Integer.parseInt(v[e]) == epoch + 1) {
                Map<String, String> m = new java.util.LinkedHashMap<>();
                for (int i = 0; i < head.length; i++) {
                    m.put(head[i], v[i]);
                }
                return m;
            }
        }
        throw new AssertionError("no row for epoch " + epoch + " in " + lines);
    }

    @Test
    void sharesAreWeightedTermsOverTheLoggedTotal(@TempDir Path dir) throws Exception {
        JsonNode mse = run(dir, "mse");
        JsonNode rel = run(dir, "relative", "--curv-loss", "relative", "--w-curv", "0.5");
        for (JsonNode cfg : List.of(mse, rel)) {
            JsonNode res = cfg.get("results");
            JsonNode shares = res.get("term_shares");
            int best = res.get("best_epoch").asInt();
            Path out = dir.resolve(cfg == mse ? "mse" : "relative");
            Map<String, String> m = row(out.resolve("metrics.csv"), best);
            double total = Double.parseDouble(m.get("total"));
            double sum = 0;
            Iterator<Map.Entry<String, JsonNode>> it = shares.fields();
            List<String> keys = new ArrayList<>();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                keys.add(e.getKey());
                sum += e.getValue().asDouble();
                assertTrue(e.getValue().asDouble() >= 0, e.getKey());
            }
            assertEquals(List.of("reg", "auto", "cons", "map", "metric", "curv"), keys);
            assertEquals(1.0, sum, 1e-9);
            double w = cfg.get("w_curv").asDouble();
            double curv = Double.parseDouble(m.get("curv"));
            assertEquals(w * curv / total, shares.get("curv").asDouble(), 1e-5 * Math.max(1e-12, shares.get("curv").asDouble()) + 1e-9);
            assertEquals(Double.parseDouble(m.get("reg")) / total, shares.get("reg").asDouble(), 1e-5);
        }
        // the relative form is bounded by 2 and is a different number from the MSE of R
        double lRel = Double.parseDouble(row(dir.resolve("relative").resolve("metrics.csv"), 0).get("curv"));
        double lMse = Double.parseDouble(row(dir.resolve("mse").resolve("metrics.csv"), 0).get("curv"));
        assertTrue(lRel > 0 && lRel <= 2, "relative l_curv " + lRel);
        assertNotEquals(lMse, lRel);
        assertEquals("relative", rel.get("curv_loss").asText());
    }
}
