package gear.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitsFileTest {
    @TempDir
    Path dir;
    MoleculeDataset ds;

    @BeforeEach
    void load() throws IOException {
        // data row 2 (line 4) is invalid and skipped
        Path csv = dir.resolve("d.csv");
        Files.writeString(csv, "smiles,y\nC,1\nCC,2\nC1CC,3\nCCC,4\nCCCC,5\nCCCCC,6\nCCCCCC,7\nCCO,8\nCCN,9\nCCCl,10\nc1ccccc1,11\n");
        ds = CsvLoader.of(csv).policy(InvalidPolicy.SKIP).load().dataset();
    }

    @Test
    void roundTripMapsRowIndicesAndWritesSmiles() throws IOException {
        Split s = RandomSplit.split(ds, new SplitSizes(0.6, 0.2, 0.2), 3);
        Path f = dir.resolve("splits.json");
        SplitsFile.write(f, s, ds);
        JsonNode j = new ObjectMapper().readTree(f.toFile());
        for (int k = 0; k < s.test().length; k++) {
            assertEquals(ds.rowIndex(s.test()[k]), j.get("test").get(k).asInt());
            assertEquals(ds.smiles(s.test()[k]), j.get("test_smiles").get(k).asText());
        }
        for (JsonNode v : j.get("train")) {
            assertTrue(v.asInt() != 2, "skipped row 2 cannot be in a split");
        }
        Split r = SplitsFile.read(f, ds);
        assertArrayEquals(s.train(), r.train());
        assertArrayEquals(s.val(), r.val());
        assertArrayEquals(s.test(), r.test());
    }

    private String error(String json) throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, json);
        return assertThrows(BadInputException.class, () -> SplitsFile.read(f, ds)).getMessage();
    }

    @Test
    void validationErrors() throws IOException {
        assertTrue(error("{\"train\":[0,1],\"val\":[3],\"test\":[11]}").contains("row index 11 is out of range"));
        assertTrue(error("{\"train\":[0,1],\"val\":[3],\"test\":[-1]}").contains("out of range"));
        assertTrue(error("{\"train\":[0,1],\"val\":[1],\"test\":[4]}").contains("row index 1 is listed in both \"train\" and \"val\""));
        assertTrue(error("{\"train\":[0,2],\"val\":[3],\"test\":[4]}").contains("row index 2 is not in the loaded data set"));
        assertTrue(error("{\"train\":[0],\"test\":[4]}").contains("missing array \"val\""));
        assertTrue(error("{\"train\":[0.5],\"val\":[],\"test\":[]}").contains("not an integer"));
        assertTrue(error("[1,2]").contains("expected a JSON list of"));
        assertTrue(error("{oops").contains("not a JSON splits file"));
    }

    @Test
    void partialSplitsAreAllowedWithANote() throws IOException {
        Path f = dir.resolve("p.json");
        Files.writeString(f, "{\"train\":[0,1,3],\"val\":[4],\"test\":[5]}");
        Split s = SplitsFile.read(f, ds);
        assertArrayEquals(new int[] {0, 1, 2}, s.train());
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("in no part")), s.notes().toString());
    }
}
