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

        // the calibration files of gear train: none for the plain run; validation fits, test reports
        for (String f : List.of("calibration.csv", "calibration.png", "error_vs_uncertainty.png")) {
            assertFalse(Files.exists(one.resolve(f)), f);
            assertTrue(Files.size(two.resolve(f)) > 0, f);
        }
        List<String> cal = Files.readAllLines(two.resolve("calibration.csv"));
        assertEquals(3, cal.size(), String.join("\n", cal));
        String[] v = cal.get(1).split(",", -1);
        String[] te = cal.get(2).split(",", -1);
        assertEquals(List.of("validation", "b"), List.of(v[0], v[1]));
        assertEquals(List.of("test", "b"), List.of(te[0], te[1]));
        JsonNode uv = u.get("validation");
        assertEquals(uv.get("n").asInt(), Integer.parseInt(v[2]));
        assertEquals(uv.get("miscalibration_area").asDouble(), Double.parseDouble(v[3]), 1e-12);
        assertEquals(uv.get("spearman").asDouble(), Double.parseDouble(v[4]), 1e-12);
        assertEquals(e.zScale(), Double.parseDouble(v[5]), 1e-12 * e.zScale());
        assertEquals(uv.get("recalibrated_miscalibration_area").asDouble(), Double.parseDouble(v[7]), 1e-12);
        assertEquals("", te[5], "no z-scale is fitted on the test set");
        // the test row recomputed from test_predictions.csv (true, predicted, recalibrated std)
        List<String> tp = Files.readAllLines(two.resolve("test_predictions.csv"));
        double[] truth = new double[tp.size() - 1];
        double[] pred = new double[truth.length];
        double[] std = new double[truth.length];
        for (int i = 0; i < truth.length; i++) {
            String[] c = tp.get(i + 1).split(",", -1);
            truth[i] = Double.parseDouble(c[c.length - 3]);
            pred[i] = Double.parseDouble(c[c.length - 2]);
            std[i] = Double.parseDouble(c[c.length - 1]);
        }
        gear.eval.Calibration.Report tr = gear.eval.Calibration.report(pred, truth, std);
        assertEquals(truth.length, Integer.parseInt(te[2]));
        assertEquals(tr.miscalibrationArea(), Double.parseDouble(te[3]), 1e-9);
        assertEquals(u.get("test").get("miscalibration_area").asDouble(), Double.parseDouble(te[3]), 1e-12);

        // embed and curvature act on one member (--member, default 0): member 0 is the plain run
        Path ep = dir.resolve("ep.csv");
        assertEquals(0, MainTest.run("embed", "-i", tgt.toString(), "--model", one.resolve("model.gear").toString(), "-o",
                ep.toString(), "-q").code());
        Path e0 = dir.resolve("e0.csv");
        MainTest.Result em = MainTest.run("embed", "-i", tgt.toString(), "--model", two.resolve("model.gear").toString(),
                "-o", e0.toString());
        assertEquals(0, em.code(), em.err());
        assertTrue(em.err().contains("member 0 of the ensemble of 2"), em.err());
        assertEquals(Files.readAllLines(ep), Files.readAllLines(e0));
        Path e1 = dir.resolve("e1.csv");
        assertEquals(0, MainTest.run("embed", "-i", tgt.toString(), "--model", two.resolve("model.gear").toString(), "-o",
                e1.toString(), "--member", "1", "-q").code());
        assertFalse(Files.readAllLines(ep).equals(Files.readAllLines(e1)));
        Path kp = dir.resolve("kp.csv");
        assertEquals(0, MainTest.run("curvature", "--model", one.resolve("model.gear").toString(), "-i", tgt.toString(),
                "-o", kp.toString()).code());
        Path k0 = dir.resolve("k0.csv");
        MainTest.Result kr = MainTest.run("curvature", "--model", two.resolve("model.gear").toString(), "-i", tgt.toString(),
                "-o", k0.toString());
        assertEquals(0, kr.code(), kr.err());
        assertTrue(kr.err().contains("member 0 of the ensemble of 2"), kr.err());
        assertEquals(Files.readAllLines(kp), Files.readAllLines(k0));
        Path k1 = dir.resolve("k1.csv");
        assertEquals(0, MainTest.run("curvature", "--model", two.resolve("model.gear").toString(), "-i", tgt.toString(),
                "-o", k1.toString(), "--member", "1").code());
        assertFalse(Files.readAllLines(kp).equals(Files.readAllLines(k1)));
        MainTest.Result k3 = MainTest.run("curvature", "--model", two.resolve("model.gear").toString(), "-i", tgt.toString(),
                "-o", dir.resolve("k3.csv").toString(), "--member", "3");
        assertEquals(2, k3.code(), k3.err());
        assertTrue(k3.err().contains("no member 3"), k3.err());

        // the API: the target's mean and z-scaled std, as gear predict writes them
        List<String[]> pt = predict(two.resolve("model.gear"), tgt, dir.resolve("papi.csv"), "target");
        List<String> smi = new ArrayList<>();
        for (String[] row : pt.subList(1, pt.size())) {
            smi.add(row[0]);
        }
        try (gear.api.Model api = gear.api.Gear.load(two.resolve("model.gear"))) {
            assertTrue(api.hasStd());
            assertEquals(List.of("b"), api.targetNames());
            gear.api.Model.Prediction ap = api.predictWithStd(smi);
            for (int i = 0; i < smi.size(); i++) {
                assertEquals(Double.parseDouble(pt.get(i + 1)[1]), ap.mean()[i][0], 1e-12 * Math.abs(ap.mean()[i][0]));
                assertEquals(Double.parseDouble(pt.get(i + 1)[2]), ap.std()[i][0], 1e-12 * Math.abs(ap.mean()[i][0]));
            }
        }

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
        // from scratch, so that the third epoch is member 0's last and the cut falls in member 1 (GEAR's default
        // warm start adds a pretraining phase to each member)
        assertEquals(0, transfer(src, tgt, whole, "--ensemble-size", "2", "--source-init", "scratch").code());
        MainTest.Result cut = transfer(src, tgt, broken, "--ensemble-size", "2", "--source-init", "scratch",
                "--interrupt-after", "3");
        assertTrue(cut.code() != 0, "interrupted: " + cut.err());
        assertTrue(Files.isDirectory(broken.resolve("member-1")), "member 1 left its checkpoint");
        MainTest.Result res = MainTest.run("transfer", "-o", broken.toString(), "--resume", "-q");
        assertEquals(0, res.code(), res.err());
        assertEquals(JSON.readTree(whole.resolve("config.json").toFile()).get("results").get("test_rmse").asDouble(),
                JSON.readTree(broken.resolve("config.json").toFile()).get("results").get("test_rmse").asDouble(), 0.0);
        assertFalse(Files.exists(broken.resolve("member-1")), "member checkpoints removed once complete");
    }
}
