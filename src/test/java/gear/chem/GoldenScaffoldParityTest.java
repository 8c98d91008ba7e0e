package gear.chem;

import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.TestData;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scaffold grouping parity with RDKit's MurckoScaffoldSmiles(includeChirality=False): the partition of
 * rows into scaffold groups must match the golden files.
 *
 * <p>A row counts as grouped identically when the set of rows sharing its scaffold is the same in both
 * partitions.
 */
class GoldenScaffoldParityTest {
    @ParameterizedTest
    @ValueSource(strings = {"esol", "freesolv", "lipo"})
    void groupingMatchesRdkit(String name) throws IOException, InvalidSmilesException {
        Path file = TestData.golden("scaffolds_" + name + ".csv");
        List<String> golden = new ArrayList<>();
        List<String> ours = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file)) {
            for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
                golden.add(rec.get("scaffold"));
                ours.add(Chem.scaffold(rec.get("smiles")));
            }
        }
        int n = golden.size();
        Map<String, List<Integer>> gGroups = groups(golden);
        Map<String, List<Integer>> oGroups = groups(ours);
        int same = 0;
        List<String> examples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (gGroups.get(golden.get(i)).equals(oGroups.get(ours.get(i)))) {
                same++;
            } else if (examples.size() < 10) {
                examples.add("row " + i + ": rdkit '" + golden.get(i) + "' (" + gGroups.get(golden.get(i)).size()
                        + " rows) vs ours '" + ours.get(i) + "' (" + oGroups.get(ours.get(i)).size() + " rows)");
            }
        }
        System.out.printf("scaffold grouping %s: %d/%d rows identical (%.2f%%); groups rdkit %d, ours %d%n",
                name, same, n, 100.0 * same / n, gGroups.size(), oGroups.size());
        examples.forEach(e -> System.out.println("  " + e));
        assertTrue(same >= 0.99 * n, name + ": only " + same + "/" + n + " rows grouped identically");
    }

    private static Map<String, List<Integer>> groups(List<String> keys) {
        Map<String, List<Integer>> m = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            m.computeIfAbsent(keys.get(i), k -> new ArrayList<>()).add(i);
        }
        return m;
    }
}
