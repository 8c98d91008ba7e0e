package gear.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.TestData;
import gear.data.BadInputException;
import gear.train.ModelFile;
import gear.train.TrainedModel;
import gear.chem.Chem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java example, run: train, predict (list and stream), embed, transfer, load, close; bad SMILES named. */
class GearTest {
    private static final String TARGET = "logS_exp_molL";
    @TempDir
    static Path dir;
    static Path csv;
    static List<String> smiles = new ArrayList<>();

    @BeforeAll
    static void data() throws Exception {
        List<String> lines = Files.readAllLines(TestData.data("esol_delaney_logS.csv"));
        csv = dir.resolve("esol120.csv");
        Files.write(csv, lines.subList(0, 121));
        Files.write(dir.resolve("many.smi"), List.of("CCO", "c1ccccc1O", "CC(=O)O"));
        smiles = List.of("CCO", "c1ccccc1O", "CC(=O)Nc1ccc(O)cc1");
    }

    @Test
    void theReadmeExampleRuns() throws Exception {
        Path run = dir.resolve("tc_run");
        double[][] y;
        try (Model m = Gear.train(csv, TARGET, run, Map.of("epochs", 2, "hidden_size", 32))) {
            y = m.predict(List.of("CCO", "c1ccccc1O"));
            double[][] h = m.embed(List.of("CCO"));
            assertEquals(List.of(TARGET), m.targetNames());
            assertEquals(2, y.length);
            assertEquals(32, h[0].length);
            assertEquals(m.embeddingNames().size(), h[0].length);
            try (Stream<String> lines = Files.lines(dir.resolve("many.smi"))) {
                List<double[]> streamed = m.predict(lines).toList();
                assertEquals(3, streamed.size());
                assertArrayEquals(y[1], streamed.get(1), 1e-5); // other batch, same numbers up to rounding
            }
            BadInputException e = assertThrows(BadInputException.class, () -> m.predict(List.of("CCO", "C1CC")));
            assertTrue(e.getMessage().contains("#1") && e.getMessage().contains("C1CC"), e.getMessage());
        }
        TrainedModel saved = ModelFile.load(run.resolve("model.gear"));
        com.fasterxml.jackson.databind.JsonNode cfg = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(run.resolve("config.json").toFile());
        assertEquals("train", cfg.get("command").asText(), "a library run names its command");
        assertTrue(cfg.get("argv").isArray(), "a library run writes argv (empty: no command line)");
        assertTrue(cfg.hasNonNull("gear_version"));
        double[][] want = saved.predict(List.of(Chem.featurize("CCO"), Chem.featurize("c1ccccc1O")));
        assertArrayEquals(want[0], y[0], 1e-5);
        assertArrayEquals(want[1], y[1], 1e-5);
        Model m = Gear.load(run.resolve("model.gear"));
        m.close();
        m.close();
        assertThrows(IllegalStateException.class, () -> m.predict(smiles));
    }

    @Test
    void transferFromCode() {
        Path run = dir.resolve("stl_run");
        try (Model m = Gear.transfer("stl", csv, TARGET, csv, TARGET, run, Map.of("epochs", "1", "hidden_size", "16",
                "latent_size", "4", "pretrain_epochs", "1"), 3);
                Model again = Gear.load(run.resolve("model.gear"))) {
            assertArrayEquals(again.predict(smiles)[2], m.predict(smiles)[2], 1e-6);
            assertEquals(16 + 4, m.embeddingNames().size());
            assertThrows(IllegalArgumentException.class, () -> Gear.load(run.resolve("model.gear"), "source"));
        }
    }
}
