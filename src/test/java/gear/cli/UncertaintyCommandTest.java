package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.chem.Chem;
import gear.chem.MolGraph;
import gear.nn.SafeTensors;
import gear.train.Ensemble;
import gear.train.ModelFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gear train --ensemble-size N --task-type mve} and {@code gear predict} on what it writes. */
class UncertaintyCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static MainTest.Result train(Path data, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "-i", data.toString(), "-t", "y", "-o", out.toString(), "--epochs",
                "2", "--hidden-size", "16", "--batch-size", "10", "--cache-dir", "none", "-q"));
        a.addAll(List.of(extra));
        return MainTest.run(a.toArray(String[]::new));
    }

    private static List<String[]> predict(Path model, Path data, Path out) throws Exception {
        MainTest.Result r = MainTest.run("predict", "-i", data.toString(), "--model", model.toString(), "-o", out.toString(),
                "-q");
        assertEquals(0, r.code(), r.err());
        List<String[]> rows = new ArrayList<>();
        for (String l : Files.readAllLines(out)) {
            rows.add(l.split(",", -1));
        }
        return rows;
    }

    @Test
    void ensembleRunWritesMeanAndStdAndMemberZeroIsThePlainRun(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("d.csv");
        TransferCommandTest.write(data, "y", 60, 7, 1.5);
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        assertEquals(0, train(data, one).code());
        MainTest.Result r2 = train(data, two, "--ensemble-size", "2");
        assertEquals(0, r2.code(), r2.err());

        // N = 1: the plain model and output of earlier builds
        assertEquals(ModelFile.DMPNN, SafeTensors.read(one.resolve("model.gear")).metadata().get("model_type"));
        assertFalse(JSON.readTree(one.resolve("config.json").toFile()).has("ensemble_size"));
        assertFalse(Files.exists(one.resolve("calibration.csv")));
        List<String[]> p1 = predict(one.resolve("model.gear"), data, dir.resolve("p1.csv"));
        assertEquals(List.of("smiles", "y", "reason"), List.of(p1.get(0)));

        // N = 2: member 0 is the N = 1 run (seed + 0), member 1 another initialization
        assertEquals(ModelFile.ENSEMBLE, SafeTensors.read(two.resolve("model.gear")).metadata().get("model_type"));
        assertEquals(2, JSON.readTree(two.resolve("config.json").toFile()).get("ensemble_size").asInt());
        Ensemble e = ModelFile.loadEnsemble(two.resolve("model.gear"));
        assertEquals(2, e.size());
        List<MolGraph> g = new ArrayList<>();
        List<String> smiles = new ArrayList<>();
        for (String[] row : p1.subList(1, p1.size())) {
            smiles.add(row[0]);
            g.add(Chem.featurize(row[0]));
        }
        double[][] single = ModelFile.load(one.resolve("model.gear")).predict(g);
        double[][] m0 = e.members().get(0).predict(g);
        double[][] m1 = e.members().get(1).predict(g);
        double s = e.zScale()[0];
        assertTrue(s > 0 && Double.isFinite(s), "z-scale " + s);
        List<String[]> p2 = predict(two.resolve("model.gear"), data, dir.resolve("p2.csv"));
        assertEquals(List.of("smiles", "y", "y_std", "reason"), List.of(p2.get(0)));
        boolean differ = false;
        for (int i = 0; i < g.size(); i++) {
            assertEquals(single[i][0], m0[i][0], 0.0, "member 0 = the plain run, molecule " + i);
            differ |= m0[i][0] != m1[i][0];
            String[] row = p2.get(i + 1);
            assertEquals(smiles.get(i), row[0]);
            // predict runs the buffered forward pass: the same up to float32 rounding
            double mean = (m0[i][0] + m1[i][0]) / 2;
            assertEquals(mean, Double.parseDouble(row[1]), 1e-6 * Math.abs(mean) + 1e-9);
            assertEquals(s * Math.abs(m0[i][0] - m1[i][0]) / 2, Double.parseDouble(row[2]), 1e-5 * Math.abs(mean) + 1e-9);
        }
        assertTrue(differ, "the members were initialized differently");

        // calibration on validation: table, plots, test_metrics.json; test predictions with the std
        for (String f : List.of("calibration.csv", "calibration.png", "error_vs_uncertainty.png", "member-1/metrics.csv")) {
            assertTrue(Files.isRegularFile(two.resolve(f)), f);
        }
        JsonNode u = JSON.readTree(two.resolve("test_metrics.json").toFile()).get("uncertainty");
        assertEquals(s, u.get("validation").get(0).get("z_scale").asDouble(), 1e-12);
        assertTrue(u.get("validation").get(0).get("miscalibration_area").asDouble() >= 0);
        assertTrue(Files.readAllLines(two.resolve("test_predictions.csv")).get(0).endsWith("y_std"));

        // embed --member I: member 0 is the plain run's embedding, member 1 another; no member 2 (exit 2)
        Path e1 = dir.resolve("e1.csv");
        assertEquals(0, MainTest.run("embed", "-i", data.toString(), "--model", one.resolve("model.gear").toString(), "-o",
                e1.toString(), "-q").code());
        Path e20 = dir.resolve("e20.csv");
        MainTest.Result em = MainTest.run("embed", "-i", data.toString(), "--model", two.resolve("model.gear").toString(),
                "-o", e20.toString());
        assertEquals(0, em.code(), em.err());
        assertTrue(em.err().contains("member 0 of the ensemble of 2"), em.err());
        assertEquals(Files.readAllLines(e1), Files.readAllLines(e20));
        Path e21 = dir.resolve("e21.csv");
        assertEquals(0, MainTest.run("embed", "-i", data.toString(), "--model", two.resolve("model.gear").toString(), "-o",
                e21.toString(), "--member", "1", "-q").code());
        assertFalse(Files.readAllLines(e1).equals(Files.readAllLines(e21)), "member 1 has its own embedding");
        MainTest.Result no = MainTest.run("embed", "-i", data.toString(), "--model", two.resolve("model.gear").toString(),
                "-o", dir.resolve("e22.csv").toString(), "--member", "2", "-q");
        assertEquals(2, no.code(), no.err());
        assertTrue(no.err().contains("no member 2") && no.err().contains("0 to 1"), no.err());
        // a D-MPNN ensemble has no latent manifold: curvature refuses it (exit 2)
        MainTest.Result k = MainTest.run("curvature", "--model", two.resolve("model.gear").toString(), "-i", data.toString(),
                "-o", dir.resolve("k.csv").toString());
        assertEquals(2, k.code(), k.err());
        assertTrue(k.err().contains("D-MPNN ensemble"), k.err());

        // the API: mean and std as gear predict writes them; embed of member 1 as the CLI's
        try (gear.api.Model api = gear.api.Gear.load(two.resolve("model.gear"));
                gear.api.Model plain = gear.api.Gear.load(one.resolve("model.gear"));
                gear.api.Model m1api = gear.api.Gear.load(two.resolve("model.gear"), null, 1)) {
            assertTrue(api.hasStd());
            assertEquals(2, api.members());
            assertEquals(List.of("y"), api.targetNames());
            gear.api.Model.Prediction ap = api.predictWithStd(smiles);
            double[][] means = api.predict(smiles);
            for (int i = 0; i < g.size(); i++) {
                String[] row = p2.get(i + 1);
                assertEquals(Double.parseDouble(row[1]), ap.mean()[i][0], 1e-9 * Math.abs(ap.mean()[i][0]));
                assertEquals(Double.parseDouble(row[2]), ap.std()[i][0], 1e-9 * Math.abs(ap.mean()[i][0]) + 1e-12);
                assertEquals(ap.mean()[i][0], means[i][0], 0.0);
            }
            assertFalse(plain.hasStd());
            assertEquals(1, plain.members());
            assertThrows(IllegalStateException.class, () -> plain.predictWithStd(smiles));
            double[][] h1 = m1api.embed(smiles.subList(0, 1));
            String[] cli = Files.readAllLines(e21).get(1).split(",", -1);
            for (int j = 0; j < h1[0].length; j++) {
                assertEquals(Double.parseDouble(cli[j + 1]), h1[0][j], 1e-6 * Math.abs(h1[0][j]) + 1e-9);
            }
        }
        assertThrows(gear.data.BadInputException.class, () -> gear.api.Gear.load(two.resolve("model.gear"), null, 2));
    }

    @Test
    void meanVarianceRunPredictsAStdAndBadValuesExitTwo(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("d.csv");
        TransferCommandTest.write(data, "y", 40, 3, 1.0);
        Path run = dir.resolve("mve");
        MainTest.Result r = train(data, run, "--task-type", "mve");
        assertEquals(0, r.code(), r.err());
        assertEquals("mve", SafeTensors.read(run.resolve("model.gear")).metadata().get("task_type"));
        List<String[]> p = predict(run.resolve("model.gear"), data, dir.resolve("p.csv"));
        assertEquals(List.of("smiles", "y", "y_std", "reason"), List.of(p.get(0)));
        for (String[] row : p.subList(1, p.size())) {
            assertTrue(Double.parseDouble(row[2]) > 0, String.join(",", row));
        }
        // one MVE model is a single model for the library (embed, --from)
        assertTrue(gear.transfer.ModelFiles.load(run.resolve("model.gear")) instanceof gear.transfer.ModelFiles.Single);
        // the API: the mean and the predicted std, the columns gear predict writes
        List<String> smi = new ArrayList<>();
        for (String[] row : p.subList(1, p.size())) {
            smi.add(row[0]);
        }
        try (gear.api.Model api = gear.api.Gear.load(run.resolve("model.gear"))) {
            assertTrue(api.hasStd());
            assertEquals(1, api.members());
            gear.api.Model.Prediction ap = api.predictWithStd(smi);
            double[][] means = api.predict(smi);
            for (int i = 0; i < smi.size(); i++) {
                double m = Double.parseDouble(p.get(i + 1)[1]);
                assertEquals(m, ap.mean()[i][0], 1e-9 * Math.abs(m));
                assertEquals(Double.parseDouble(p.get(i + 1)[2]), ap.std()[i][0], 1e-9 * Math.abs(m));
                assertEquals(ap.mean()[i][0], means[i][0], 0.0);
            }
        }

        MainTest.Result bad = train(data, dir.resolve("bad"), "--task-type", "poisson");
        assertEquals(2, bad.code(), bad.err());
        MainTest.Result zero = train(data, dir.resolve("zero"), "--ensemble-size", "0");
        assertEquals(2, zero.code(), zero.err());
        assertTrue(zero.err().contains("ensemble"), zero.err());
    }

    /** An ensemble run interrupted inside its second member and resumed ends with the uninterrupted run's model. */
    @Test
    void interruptedEnsembleResumesToTheSameModel(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("d.csv");
        TransferCommandTest.write(data, "y", 40, 5, 1.0);
        Path full = dir.resolve("full");
        Path cut = dir.resolve("cut");
        assertEquals(0, train(data, full, "--ensemble-size", "2", "--epochs", "3").code());
        MainTest.Result r = train(data, cut, "--ensemble-size", "2", "--epochs", "3", "--interrupt-after", "4");
        assertTrue(r.code() != 0 && Files.isRegularFile(cut.resolve("member-1/checkpoint.safetensors")), r.err());
        assertFalse(Files.exists(cut.resolve("model.gear")));
        MainTest.Result again = train(data, cut, "--ensemble-size", "2", "--epochs", "3", "--resume");
        assertEquals(0, again.code(), again.err());
        assertEquals(predictLines(full, data, dir.resolve("pf.csv")), predictLines(cut, data, dir.resolve("pc.csv")));
    }

    private static List<String> predictLines(Path run, Path data, Path out) throws Exception {
        predict(run.resolve("model.gear"), data, out);
        return Files.readAllLines(out);
    }
}
