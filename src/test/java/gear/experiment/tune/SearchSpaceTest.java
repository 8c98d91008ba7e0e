package gear.experiment.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import gear.transfer.Methods;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {
    static SearchSpace parse(String json, List<String> methods) throws Exception {
        return SearchSpace.fromJson(new ObjectMapper().readTree(json), methods);
    }

    @Test
    void defaultSpaceSharesLearningRateAndDropoutAndGivesEachMethodItsOwnWeights() {
        SearchSpace s = SearchSpace.defaults(Methods.names());
        for (String m : Methods.names()) {
            List<Param> p = s.forMethod(m);
            assertEquals(List.of("max_lr", "dropout"), p.subList(0, 2).stream().map(Param::key).toList(), m);
            for (Param q : p.subList(2, p.size())) {
                assertTrue(Methods.get(m).options().contains(q.key()), m + " does not read " + q.key());
            }
        }
        assertTrue(s.forMethod("gear").stream().anyMatch(p -> p.key().equals("w_curv") && p.kind() == Param.Kind.LOG_UNIFORM));
        assertEquals(List.of("max_lr", "dropout"), s.forMethod("stl").stream().map(Param::key).toList());
    }

    @Test
    void configurationIDrawsTheSameSharedValuesForEveryMethodAndStaysInRange() {
        SearchSpace s = SearchSpace.defaults(List.of("stl", "gear", "kd"));
        Set<String> curvLosses = new HashSet<>();
        for (int c = 0; c < 40; c++) {
            Map<String, String> stl = s.sample("stl", c, 7);
            Map<String, String> gear = s.sample("gear", c, 7);
            assertEquals(stl.get("max_lr"), gear.get("max_lr"));
            assertEquals(stl.get("dropout"), gear.get("dropout"));
            assertEquals(gear, s.sample("gear", c, 7), "deterministic");
            double lr = Double.parseDouble(gear.get("max_lr"));
            double wc = Double.parseDouble(gear.get("w_curv"));
            assertTrue(lr >= 3e-4 && lr <= 3e-3, gear.toString());
            assertTrue(wc >= 1e-4 && wc <= 1, gear.toString());
            curvLosses.add(gear.get("curv_loss"));
            assertTrue(Double.parseDouble(s.sample("kd", c, 7).get("w_kd")) >= 0.1);
        }
        assertEquals(Set.of("mse", "relative", "standardized"), curvLosses);
        assertNotEquals(s.sample("gear", 0, 7), s.sample("gear", 0, 8), "another tune seed draws other values");
    }

    @Test
    void fileRoundTripsAndFillsUnnamedMethodsWithTheSharedRangesOnly() throws Exception {
        SearchSpace s = parse("{\"shared\": {\"max_lr\": {\"log_uniform\": [1e-4, 1e-2]}, \"depth\": {\"int_uniform\": [2, 5]}},"
                + " \"methods\": {\"gear\": {\"curv_loss\": {\"choice\": [\"relative\", \"standardized\"]}}}}", List.of("stl", "gear"));
        assertEquals(List.of("max_lr", "depth"), s.forMethod("stl").stream().map(Param::key).toList());
        assertEquals(List.of("max_lr", "depth", "curv_loss"), s.forMethod("gear").stream().map(Param::key).toList());
        assertEquals(s, SearchSpace.fromJson(s.toJson(), List.of("stl", "gear")));
        for (int c = 0; c < 20; c++) {
            int d = Integer.parseInt(s.sample("stl", c, 0).get("depth"));
            assertTrue(d >= 2 && d <= 5);
        }
    }

    @Test
    void badSpacesAreRefusedNamingTheProblem() {
        List<String> ms = List.of("stl", "gear");
        Map<String, String> bad = Map.of(
                "{\"methods\": {\"magic\": {}}}", "unknown method 'magic'",
                "{\"shared\": {\"max_lrr\": {\"log_uniform\": [1e-4, 1e-2]}}}", "unknown option 'max_lrr' (did you mean 'max_lr'?)",
                "{\"shared\": {\"max_lr\": {\"log_uniform\": [1e-2, 1e-4]}}}", "bad range",
                "{\"shared\": {\"max_lr\": {\"log_uniform\": [0, 1e-2]}}}", "log-uniform range needs lo > 0",
                "{\"shared\": {\"dropout\": {\"uniform\": [-0.1, 0.3]}}}", "--dropout must be",
                "{\"methods\": {\"gear\": {\"curv_loss\": {\"choice\": [\"mse\", \"cubic\"]}}}}", "--curv-loss must be one of",
                "{\"methods\": {\"stl\": {\"w_curv\": {\"log_uniform\": [1e-4, 1]}}}}", "method stl does not read option w_curv",
                "{\"shared\": {\"w_curv\": {\"log_uniform\": [1e-4, 1]}}}", "shared option w_curv is not read by method stl",
                "{\"shared\": {\"max_lr\": {\"normal\": [1, 2]}}}", "unknown distribution 'normal'",
                "{\"shared\": {\"depth\": {\"uniform\": [2, 4]}}}", "integer option");
        bad.forEach((json, msg) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(json, ms), json);
            assertTrue(e.getMessage().contains(msg), json + " -> " + e.getMessage());
        });
        assertThrows(IllegalArgumentException.class, () -> SearchSpace.defaults(List.of("stl", "nope")));
    }

    @Test
    void aGridSpaceEnumeratesEveryCombinationOnceLastKeyFastestAndKeepsRandomSpacesAsTheyWere() throws Exception {
        SearchSpace g = parse("{\"search\": \"grid\", \"methods\": {"
                + "\"gear\": {\"source_batches\": {\"choice\": [1, 2, 4]}, \"curv_loss\": {\"choice\": [\"mse\", \"relative\"]}},"
                + "\"gate\": {\"source_batches\": {\"choice\": [1, 2, 4, 8, 16, 32]}}}}", List.of("gear", "gate"));
        assertTrue(g.grid());
        assertEquals(6, g.gridSize("gear"));
        assertEquals(6, g.gridSize("gate"));
        Set<Map<String, String>> seen = new HashSet<>();
        for (int c = 0; c < 6; c++) {
            assertEquals(g.sample("gear", c, 1), g.sample("gear", c, 99), "a grid does not depend on the seed");
            seen.add(g.sample("gear", c, 0));
        }
        assertEquals(6, seen.size());
        assertEquals(Map.of("source_batches", "1", "curv_loss", "mse"), g.sample("gear", 0, 0));
        assertEquals(Map.of("source_batches", "1", "curv_loss", "relative"), g.sample("gear", 1, 0));
        assertEquals(Map.of("source_batches", "4", "curv_loss", "relative"), g.sample("gear", 5, 0));
        assertEquals(List.of("1", "2", "4", "8", "16", "32"),
                java.util.stream.IntStream.range(0, 6).mapToObj(c -> g.sample("gate", c, 0).get("source_batches")).toList());
        assertThrows(IllegalArgumentException.class, () -> g.sample("gear", 6, 0));
        // round trip keeps the mode; a random space's JSON has no "search" field (earlier tunes keep their fingerprints)
        assertEquals(g, SearchSpace.fromJson(g.toJson(), List.of("gear", "gate")));
        assertTrue(g.toJson().has("search"));
        assertTrue(!SearchSpace.defaults(List.of("gear")).toJson().has("search"));
        assertEquals(SearchSpace.defaults(List.of("gear")), parse("{\"search\": \"random\", " + SearchSpace.defaults(List.of("gear"))
                .toJson().toString().substring(1), List.of("gear")));
    }

    @Test
    void aGridSpaceRefusesRangesUnequalSizesAndUnknownModes() {
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> parse("{\"search\": \"grid\", "
                + "\"shared\": {\"max_lr\": {\"log_uniform\": [1e-4, 1e-3]}}}", List.of("stl")));
        assertTrue(a.getMessage().contains("needs choices") && a.getMessage().contains("max_lr"), a.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> parse("{\"search\": \"grid\", \"methods\": {"
                + "\"gear\": {\"source_batches\": {\"choice\": [1, 2]}}, \"gate\": {\"source_batches\": {\"choice\": [1, 2, 4]}}}}",
                List.of("gear", "gate")));
        assertTrue(b.getMessage().contains("same number of configurations"), b.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> parse("{\"search\": \"sobol\", "
                + "\"shared\": {\"dropout\": {\"choice\": [0, 0.1]}}}", List.of("stl")));
        assertTrue(c.getMessage().contains("random or grid"), c.getMessage());
    }
}
