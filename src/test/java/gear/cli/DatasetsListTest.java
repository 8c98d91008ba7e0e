package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class DatasetsListTest {
    @Test
    void tableListsEverySet() {
        MainTest.Result r = MainTest.run("datasets", "list");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("name"), r.out());
        assertEquals(13, r.out().strip().split("\n").length, r.out());
        assertTrue(r.out().contains("esol_delaney_logS") && r.out().contains("1128"), r.out());
    }

    @Test
    void jsonHasHashesUrlsAndPairs() throws Exception {
        MainTest.Result r = MainTest.run("datasets", "list", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(12, j.get("datasets").size());
        JsonNode esol = j.get("datasets").get(0);
        assertEquals("esol_delaney_logS", esol.get("name").asText());
        assertEquals(64, esol.get("sha256").asText().length());
        assertTrue(esol.get("download_url").asText().startsWith("https://raw.githubusercontent.com/deepchem/"));
        assertEquals("tb-tc", j.get("pairs").get(0).get("id").asText());
        assertEquals("Tc_K", j.get("pairs").get(0).get("target_column").asText());
    }
}
