package gear.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.TestData;
import gear.data.CsvLoader;
import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.data.SplitsFile;
import gear.run.RunDirectory;
import gear.train.Checkpoint;
import gear.train.ModelFile;
import gear.train.TrainedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gear train} → {@code gear predict} round trip on 200 ESOL molecules (2 epochs, hidden size
 * 32): every run-directory file exists and parses, {@code --config} re-runs give the same split and
 * metrics, {@code --resume} after an interrupted run equals an uninterrupted run, bad input and
 * corrupt model files give exit code 2.
 */
class TrainPredictCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGET = "logS_exp_molL";
    @TempDir
    static Path dir;
    static Path csv;
    static Path run;

    @BeforeAll
    static void trainOnce() throws IOException {
        List<String> lines = Files.readAllLines(TestData.data("esol_delaney_logS.csv"));
        csv = dir.resolve("esol200.csv");
        Files.write(csv, lines.subList(0, 201));
        run = dir.resolve("run");
        assertEquals(0, train(run, "--seed", "1"));
    }

    static int train(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "-i", csv.toString(), "-t", TARGET, "-o", out.toString(),
                "--epochs", "2", "--hidden-size", "32", "--cache-dir", "none", "-q"));
        a.addAll(Arrays.asList(extra));
        return Main.run(a.toArray(String[]::new));
    }

    @Test
    void runDirectoryHasEveryFileAndTheyParse() throws Exception {
        for (String f : List.of(RunDirectory.CONFIG, RunDirectory.SPLITS, RunDirectory.MODEL, RunDirectory.METRICS,
                RunDirectory.TEST_PREDICTIONS, RunDirectory.TEST_METRICS, RunDirectory.LEARNING_CURVE, RunDirectory.PARITY,
                Checkpoint.FILE)) {
            assertTrue(Files.size(run.resolve(f)) > 0, f);
        }
        JsonNode cfg = JSON.readTree(run.resolve(RunDirectory.CONFIG).toFile());
        assertEquals(2, cfg.get("epochs").asInt());
        assertEquals(32, cfg.get("hidden_size").asInt());
        assertEquals(1, cfg.get("seed").asInt());
        assertEquals(64, cfg.get("data_sha256").asText().length());
        MoleculeDataset ds = CsvLoader.of(csv).targetColumns(List.of(TARGET)).load().dataset();
        Split split = SplitsFile.read(run.resolve(RunDirectory.SPLITS), ds);
        assertEquals(200, split.size());
        assertEquals(160, split.train().length);
        TrainedModel m = ModelFile.load(run.resolve(RunDirectory.MODEL));
        assertEquals(List.of(TARGET), m.targetNames());
        assertEquals(ds.sourceSha256(), m.provenance().dataSha256());
        List<String> metrics = Files.readAllLines(run.resolve(RunDirectory.METRICS));
        assertEquals("epoch,train_loss,val_rmse,lr,seconds", metrics.get(0));
        assertEquals(3, metrics.size());
        for (String l : metrics.subList(1, 3)) {
            for (String v : l.split(",")) {
                assertTrue(Double.isFinite(Double.parseDouble(v)), l);
            }
        }
        List<String> preds = Files.readAllLines(run.resolve(RunDirectory.TEST_PREDICTIONS));
        assertEquals("smiles," + TARGET + "_true," + TARGET + "_predicted", preds.get(0));
        assertEquals(split.test().length + 1, preds.size());
        JsonNode tm = JSON.readTree(run.resolve(RunDirectory.TEST_METRICS).toFile());
        assertEquals(split.test().length, tm.get("n_test").asInt());
        assertTrue(tm.get("test_rmse").asDouble() > 0);
        for (String png : List.of(RunDirectory.LEARNING_CURVE, RunDirectory.PARITY)) {
            byte[] b = Files.readAllBytes(run.resolve(png));
            assertEquals((byte) 0x89, b[0]);
            assertEquals('P', b[1]);
        }
    }

    @Test
    void configRerunGivesSameSplitAndMetrics() throws Exception {
        Path again = dir.resolve("again");
        assertEquals(0, Main.run("train", "--config", run.resolve(RunDirectory.CONFIG).toString(), "-o", again.toString(),
                "--cache-dir", "none", "-q"));
        assertEquals(splitIndices(run), splitIndices(again));
        assertEquals(metricsWithoutSeconds(run), metricsWithoutSeconds(again));
        assertEquals(Files.readString(run.resolve(RunDirectory.TEST_PREDICTIONS)),
                Files.readString(again.resolve(RunDirectory.TEST_PREDICTIONS)));
        // an explicit option overrides the config file's value
        Path one = dir.resolve("one-epoch");
        assertEquals(0, Main.run("train", "--config", run.resolve(RunDirectory.CONFIG).toString(), "-o", one.toString(),
                "--epochs", "1", "--cache-dir", "none", "-q"));
        assertEquals(2, Files.readAllLines(one.resolve(RunDirectory.METRICS)).size());
        assertEquals(1, JSON.readTree(one.resolve(RunDirectory.CONFIG).toFile()).get("epochs").asInt());
    }

    @Test
    void resumeAfterInterruptionEqualsUninterruptedRun() throws Exception {
        Path r = dir.resolve("resumed");
        assertEquals(1, train(r, "--seed", "1", "--interrupt-after", "1"));
        assertTrue(Files.exists(r.resolve(Checkpoint.FILE)));
        assertFalse(Files.exists(r.resolve(RunDirectory.MODEL)), "an interrupted run has no model file yet");
        assertEquals(0, train(r, "--seed", "1", "--resume"));
        assertEquals(metricsWithoutSeconds(run), metricsWithoutSeconds(r));
        assertEquals(Files.readString(run.resolve(RunDirectory.TEST_PREDICTIONS)),
                Files.readString(r.resolve(RunDirectory.TEST_PREDICTIONS)));
        // resuming with other settings is refused
        assertEquals(2, train(r, "--seed", "2", "--resume"));
    }

    @Test
    void predictRoundTripAndInvalidRows() throws Exception {
        Path model = run.resolve(RunDirectory.MODEL);
        Path out = dir.resolve("pred.csv");
        assertEquals(0, Main.run("predict", "-i", csv.toString(), "--model", model.toString(), "-o", out.toString(), "-q"));
        List<String> p = Files.readAllLines(out);
        assertEquals("smiles," + TARGET + ",reason", p.get(0));
        assertEquals(201, p.size());
        // predictions of the test molecules agree with the run's test_predictions.csv
        List<String> tp = Files.readAllLines(run.resolve(RunDirectory.TEST_PREDICTIONS));
        String[] first = tp.get(1).split(",");
        String match = p.stream().filter(l -> l.startsWith(first[0] + ",")).findFirst().orElseThrow();
        assertEquals(Double.parseDouble(first[2]), Double.parseDouble(match.split(",")[1]), 1e-4);

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "smiles,x\nCCO,1\nC1CC(,2\nc1ccccc1,3\n");
        Path out2 = dir.resolve("pred-bad.csv");
        assertEquals(2, Main.run("predict", "-i", bad.toString(), "--model", model.toString(), "-o", out2.toString(),
                "--invalid", "fail"));
        assertFalse(Files.exists(out2), "nothing written when failing");
        assertEquals(0, Main.run("predict", "-i", bad.toString(), "--model", model.toString(), "-o", out2.toString(),
                "--invalid", "skip"));
        List<String> q = Files.readAllLines(out2);
        assertEquals(4, q.size());
        assertTrue(q.get(2).startsWith("C1CC(,,") && q.get(2).contains("unparsable SMILES"), q.get(2));
        assertTrue(Double.isFinite(Double.parseDouble(q.get(1).split(",")[1])));
        assertTrue(Double.isFinite(Double.parseDouble(q.get(3).split(",")[1])));
        // --task is for transfer models only
        assertEquals(2, Main.run("predict", "-i", bad.toString(), "--model", model.toString(), "-o", out2.toString(),
                "--task", "source"));
    }

    @Test
    void corruptOrTruncatedModelIsRejected() throws Exception {
        byte[] good = Files.readAllBytes(run.resolve(RunDirectory.MODEL));
        Path truncated = dir.resolve("truncated.gear");
        Files.write(truncated, Arrays.copyOf(good, good.length / 2));
        Path garbage = dir.resolve("garbage.gear");
        Files.writeString(garbage, "this is not a model");
        Path flipped = dir.resolve("flipped.gear");
        byte[] f = good.clone();
        f[10] ^= 0x55; // inside the JSON header
        Files.write(flipped, f);
        for (Path m : List.of(truncated, garbage, flipped, dir.resolve("absent.gear"))) {
            assertEquals(2, Main.run("predict", "-i", csv.toString(), "--model", m.toString(), "-o",
                    dir.resolve("x.csv").toString(), "-q"), m.toString());
        }
    }

    @Test
    void badInputExitsWithTwo() throws Exception {
        assertEquals(2, Main.run("train", "-i", csv.toString(), "-t", "no_such_column", "-o", dir.resolve("b1").toString(),
                "--cache-dir", "none", "-q"));
        assertEquals(2, Main.run("train", "-i", dir.resolve("absent.csv").toString(), "-o", dir.resolve("b2").toString()));
        assertEquals(2, train(dir.resolve("b3"), "--device", "cuda"));
        assertEquals(2, train(dir.resolve("b4"), "--split-sizes", "0.5", "0.5", "0.5"));
        assertEquals(2, train(dir.resolve("b5"), "--split-type", "nonsense"));
        assertEquals(2, Main.run("train", "-o", dir.resolve("b6").toString()));
        Path bad = dir.resolve("bad-train.csv");
        Files.writeString(bad, "smiles,y\nCCO,1\nC1CC(,2\nCCC,3\nCCCC,4\n");
        assertEquals(2, Main.run("train", "-i", bad.toString(), "-o", dir.resolve("b7").toString(), "--cache-dir", "none", "-q"));
    }

    private static String splitIndices(Path r) throws IOException {
        JsonNode s = JSON.readTree(r.resolve(RunDirectory.SPLITS).toFile());
        return s.get("train") + "|" + s.get("val") + "|" + s.get("test");
    }

    private static List<String> metricsWithoutSeconds(Path r) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(r.resolve(RunDirectory.METRICS))) {
            out.add(l.substring(0, l.lastIndexOf(',')));
        }
        return out;
    }

    @Test
    void splitIndicesAreRowIndices() throws Exception {
        JsonNode s = JSON.readTree(run.resolve(RunDirectory.SPLITS).toFile());
        int[] all = new int[200];
        int k = 0;
        for (String part : List.of("train", "val", "test")) {
            for (JsonNode v : s.get(part)) {
                all[k++] = v.asInt();
            }
        }
        Arrays.sort(all);
        int[] expect = new int[200];
        Arrays.setAll(expect, i -> i);
        assertArrayEquals(expect, all);
    }
}
