package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.chem.Chem;
import gear.chem.MolGraph;
import gear.nn.SafeTensors;
import gear.transfer.Task;
import gear.transfer.TransferEnsemble;
import gear.transfer.TransferEnsembleFile;
import gear.transfer.TransferModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gear transfer --ensemble-size N} and {@code gear predict --task source|target} on the ensemble file. */
class TransferEnsembleCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static MainTest.Result transfer(Path src, Path tgt, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("transfer", "--source", src.toString(), "--source-column", "a", "--target",
                tgt.toString(), "--target-column", "b", "--method", "gear", "-o", out.toString(), "--epochs", "2",
                "--batch-size", "20", "--hidden-size", "16", "-q"));
        a.addAll(List.of(extra));
        return MainTest.run(a.toArray(String[]::new));
    }

    private static List<String[]> predict(Path model, Path data, Path out, String task) throws Exception {
        MainTest.Result r = MainTest.run("predict", "-i", data.toString(), "--model", model.toString(), "-o", out.toString(),
                "--task", task, "-q");
        assertEquals(0, r.code(), r.err());
        List<String[]> rows = new ArrayList<>();
        for (String l : Files.readAllLines(out)) {
            rows.add(l.split(",", -1));
        }
        return rows;
    }

    @Test
    void ensembleRunPredictsMeanAndStdAndOneMemberIsUnchanged(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src.csv");
        Path tgt = dir.resolve("tgt.csv");
        TransferCommandTest.write(src, "a", 100, 1, 2.0);
        TransferCommandTest.write(tgt, "b", 60, 2, 3.0);
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        MainTest.Result r1 = transfer(src, tgt, one);
        assertEquals(0, r1.code(), r1.err());
        MainTest.Result r2 = transfer(src, tgt, two, "--ensemble-size", "2");
        assertEquals(0, r2.code(), r2.err());

        // N = 1: the plain transfer model and config.json of earlier builds
        assertEquals(TransferModelFile.MODEL_TYPE, SafeTensors.read(one.resolve("model.gear")).metadata().get("model_type"));
        assertFalse(JSON.readTree(one.resolve("config.json").toFile()).has("ensemble_size"));
        assertEquals(List.of("smiles", "b", "reason"), List.of(predict(one.resolve("model.gear"), tgt,
                dir.resolve("p1.csv"), "target").get(0)));

        // N = 2: one file with both members, member 0 the plain run; predict writes <task> and <task>_std
        JsonNode cfg = JSON.readTree(two.resolve("config.json").toFile());
        assertEquals(2, cfg.get("ensemble_size").asInt());
        assertEquals(TransferEnsembleFile.MODEL_TYPE, SafeTensors.read(two.resolve("model.gear")).metadata().get("model_type"));
        TransferEnsemble e = TransferEnsembleFile.load(two.resolve("model.gear"));
        assertEquals(2, e.size());
        var plain = TransferModelFile.load(one.resolve("model.gear"));
        for (String task : List.of("target", "source")) {
            Task t = Task.parse(task);
            String col = task.equals("target") ? "b" : "a";
            List<String[]> p = predict(two.resolve("model.gear"), tgt, dir.resolve("p2" + task + ".csv"), task);
            assertEquals(List.of("smiles", col, col + "_std", "reason"), List.of(p.get(0)));
            List<MolGraph> g = new ArrayList<>();
            for (String[] row : p.subList(1, p.size())) {
                g.add(Chem.featurize(row[0]));
            }
            double[] m0 = e.members().get(0).predict(t, g);
            double[] m1 = e.members().get(1).predict(t, g);
            double[] single = plain.predict(t, g);
            double s = t == Task.TARGET ? e.zScale() : 1.0;
            assertTrue(s > 0 && Double.isFinite(s), "z-scale " + s);
            boolean differ = false;
            for (int i = 0; i < g.size(); i++) {
                assertEquals(single[i], m0[i], 0.0, "member 0 = the plain run, molecule " + i);
                differ |= m0[i] != m1[i];
                double mean = (m0[i] + m1[i]) / 2;
                assertEquals(mean, Double.parseDouble(p.get(i + 1)[1]), 1e-9 * Math.abs(mean) + 1e-12);
                assertEquals(s * Math.abs(m0[i] - m1[i]) / 2, Double.parseDouble(p.get(i + 1)[2]),
                        1e-9 * Math.abs(mean) + 1e-12);
            }
            assertTrue(differ, "the members were initialized differently (" + task + ")");
        }
        JsonNode u = cfg.get("results").get("uncertainty");
        assertEquals(2, u.get("ensemble_size").asInt());
        assertTrue(u.get("validation").get("miscalibration_area").asDouble() >= 0);
        assertTrue(r2.out().contains("ensemble of 2"), r2.out());

        // --config repeats the ensemble run
        Path again = dir.resolve("again");
        MainTest.Result r3 = MainTest.run("transfer", "--config", two.resolve("config.json").toString(), "-o",
                again.toString(), "-q");
        assertEquals(0, r3.code(), r3.err());
        assertEquals(cfg.get("results").get("test_rmse").asDouble(),
                JSON.readTree(again.resolve("config.json").toFile()).get("results").get("test_rmse").asDouble(), 0.0);
        assertEquals(2, TransferEnsembleFile.load(again.resolve("model.gear")).size());

        // bad values are exit 2
        assertEquals(2, transfer(src, tgt, dir.resolve("bad"), "--ensemble-size", "0").code());
    }

    /** Interrupted during member 1, --resume continues each member where it stopped: the same ensemble as unbroken. */
    @Test
    void interruptedEnsembleResumesToTheSameResult(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src.csv");
        Path tgt = dir.resolve("tgt.csv");
        TransferCommandTest.write(src, "a", 100, 1, 2.0);
        TransferCommandTest.write(tgt, "b", 60, 2, 3.0);
        Path whole = dir.resolve("whole");
        Path broken = dir.resolve("broken");
        assertEquals(0, transfer(src, tgt, whole, "--ensemble-size", "2").code());
        MainTest.Result cut = transfer(src, tgt, broken, "--ensemble-size", "2", "--interrupt-after", "3");
        assertTrue(cut.code() != 0, "interrupted: " + cut.err());
        assertTrue(Files.isDirectory(broken.resolve("member-1")), "member 1 left its checkpoint");
        MainTest.Result res = MainTest.run("transfer", "-o", broken.toString(), "--resume", "-q");
        assertEquals(0, res.code(), res.err());
        assertEquals(JSON.readTree(whole.resolve("config.json").toFile()).get("results").get("test_rmse").asDouble(),
                JSON.readTree(broken.resolve("config.json").toFile()).get("results").get("test_rmse").asDouble(), 0.0);
        assertFalse(Files.exists(broken.resolve("member-1")), "member checkpoints removed once complete");
    }
}
