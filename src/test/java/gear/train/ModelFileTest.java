package gear.train;

import gear.data.StandardScaler;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.chem.MolGraph;
import gear.data.BadInputException;
import gear.nn.Dmpnn;
import gear.nn.DmpnnConfig;
import gear.nn.SafeTensors;
import gear.nn.Torch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    static List<MolGraph> graphs;

    @BeforeAll
    static void init() {
        Torch.init(1);
        graphs = Fixtures.graphs(Fixtures.smiles(60, 4));
    }

    static TrainedModel trained(DmpnnConfig cfg) {
        GraphSet tr = Fixtures.set(graphs.subList(0, 50), cfg.numTasks());
        GraphSet va = Fixtures.set(graphs.subList(50, 60), cfg.numTasks());
        return new Trainer(cfg, TrainOptions.defaults().with(TrainOptions.EPOCHS, 2).with(TrainOptions.BATCH_SIZE, 10).with(TrainOptions.SEED, 11L))
                .targetNames(cfg.numTasks() == 1 ? List.of("y") : List.of("y", "bonds")).dataSha256("ab12")
                .fit(tr, va, StandardScaler.fit(tr.targets())).model();
    }

    @Test
    void saveLoadGivesBitIdenticalPredictions(@TempDir Path dir) throws Exception {
        for (DmpnnConfig cfg : List.of(new DmpnnConfig(16, 3, 0, 8, 3, 2, false), new DmpnnConfig(8, 2, 0, 8, 1, 1, true))) {
            TrainedModel m = trained(cfg);
            Path f = dir.resolve("model-" + cfg.float64() + ".gear");
            ModelFile.save(f, m);
            TrainedModel back = ModelFile.load(f);
            double[][] a = m.predict(graphs);
            double[][] b = back.predict(graphs);
            for (int i = 0; i < a.length; i++) {
                assertArrayEquals(a[i], b[i], 0.0, "molecule " + i);
            }
            assertEquals(cfg, back.network().config());
            assertEquals(m.scaler(), back.scaler());
            assertEquals(m.targetNames(), back.targetNames());
            assertEquals(m.provenance(), back.provenance());
            assertEquals(m.options(), back.options());
            assertEquals("ab12", back.provenance().dataSha256());
            assertEquals(11, back.provenance().seed());
            Map<String, String> md = SafeTensors.read(f).metadata();
            assertEquals("gear-model", md.get("format"));
            assertEquals("1", md.get("format_version"));
            assertEquals("dmpnn", md.get("model_type"));
            assertTrue(md.get("featurizer").contains("\"chemprop-v1\"") && md.get("featurizer").contains("133")
                    && md.get("featurizer").contains("14"), md.get("featurizer"));
            assertTrue(md.get("provenance").contains("libtorch_version"));
            // the scaler is stored in gear.data.StandardScaler's JSON form (the one scaler of the project)
            assertEquals(m.scaler(), StandardScaler.fromJson(md.get("scaler")));
            assertEquals("dmpnn", ModelFile.modelType(f));
        }
    }

    @Test
    void badFilesGiveClearErrorsNamingTheFile(@TempDir Path dir) throws Exception {
        TrainedModel m = trained(new DmpnnConfig(8, 2, 0, 8, 2, 1, false));
        Path f = dir.resolve("good.gear");
        ModelFile.save(f, m);
        byte[] bytes = Files.readAllBytes(f);

        Path truncated = dir.resolve("truncated.gear");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 100));
        assertNamesFile(truncated);

        Path garbage = dir.resolve("garbage.gear");
        Files.write(garbage, "smiles,y\nCCO,1\n".getBytes());
        assertNamesFile(garbage);

        Path flipped = dir.resolve("flipped.gear");
        byte[] c = bytes.clone();
        c[12] = '#';
        Files.write(flipped, c);
        assertNamesFile(flipped);

        assertNamesFile(dir.resolve("missing.gear"));

        Path other = dir.resolve("other.safetensors");
        Map<String, Tensor> t = new LinkedHashMap<>(m.network().params().asMap());
        SafeTensors.write(other, t, Map.of("format", "something-else"));
        assertTrue(assertNamesFile(other).contains("not a gear model file"));

        Path newer = dir.resolve("newer.gear");
        Map<String, String> md = new LinkedHashMap<>(SafeTensors.read(f).metadata());
        md.put("format_version", "2");
        SafeTensors.write(newer, t, md);
        assertTrue(assertNamesFile(newer).contains("version 2"));

        Path shape = dir.resolve("shape.gear");
        Map<String, Tensor> wrong = new LinkedHashMap<>(new Dmpnn(new DmpnnConfig(9, 2, 0, 8, 2, 1, false), 1).params().asMap());
        SafeTensors.write(shape, wrong, SafeTensors.read(f).metadata());
        assertNamesFile(shape);
    }

    private static String assertNamesFile(Path p) {
        BadInputException e = assertThrows(BadInputException.class, () -> ModelFile.load(p));
        assertTrue(e.getMessage().contains(p.getFileName().toString()), e.getMessage());
        return e.getMessage();
    }
}
