package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.nn.Dmpnn;
import gear.nn.DmpnnConfig;
import gear.nn.Torch;
import gear.train.ModelFile;
import gear.train.Provenance;
import gear.data.StandardScaler;
import gear.train.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gear transfer} into a temporary directory and {@code gear curvature} on its model. */
class TransferCommandTest {
    static final String[] TOKENS = {"C", "CC", "O", "N", "C(C)", "C(=O)", "c1ccccc1", "C(O)", "CN", "Cl"};

    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    static void write(Path file, String col, int n, long seed, double scale) throws Exception {
        java.util.Random r = new java.util.Random(seed);
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        StringBuilder sb = new StringBuilder("smiles," + col + "\n");
        while (seen.size() < n) {
            StringBuilder s = new StringBuilder("C");
            int k = 1 + r.nextInt(7);
            for (int j = 0; j < k; j++) {
                s.append(TOKENS[r.nextInt(TOKENS.length)]);
            }
            if (seen.add(s.toString())) {
                sb.append(s).append(',').append(scale * s.length() + r.nextGaussian()).append('\n');
            }
        }
        Files.writeString(file, sb.toString());
    }

    /**
     * {@code --source-purge validation}: one file as source and target (two columns of the same molecules, as
     * hyd-calc-expt), so that the source loses exactly the target's test molecules by default and its validation
     * molecules too with the option; config.json says so.
     */
    @Test
    void sourcePurgeValidationRemovesTheValidationMoleculesFromTheSource(@TempDir Path dir) throws Exception {
        Path one = dir.resolve("ab.csv");
        write(one, "a", 60, 3, 2.0);
        List<String> lines = Files.readAllLines(one);
        StringBuilder sb = new StringBuilder("smiles,a,b\n");
        for (String l : lines.subList(1, lines.size())) {
            sb.append(l).append(',').append(Double.parseDouble(l.substring(l.indexOf(',') + 1)) * 1.5 + 1).append('\n');
        }
        Files.writeString(one, sb.toString());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        int[] nSource = new int[2];
        int[] nPurged = new int[2];
        List<String> purges = List.of("test", "validation");
        for (int i = 0; i < 2; i++) {
            Path run = dir.resolve(purges.get(i));
            assertEquals(0, Main.run("transfer", "--source", one.toString(), "--source-column", "a", "--target",
                    one.toString(), "--target-column", "b", "--method", "mtl", "-o", run.toString(), "--epochs", "1",
                    "--batch-size", "20", "--hidden-size", "16", "--split-type", "random", "--invalid", "skip", "-q",
                    "--source-purge", purges.get(i)));
            com.fasterxml.jackson.databind.JsonNode cfg = json.readTree(run.resolve("config.json").toFile());
            assertEquals(purges.get(i), cfg.get("source_purge").asText());
            nSource[i] = cfg.get("n_source_train").asInt();
            nPurged[i] = cfg.get("n_source_purged").asInt();
        }
        com.fasterxml.jackson.databind.JsonNode splits = json.readTree(dir.resolve("test").resolve("splits.json").toFile());
        int test = splits.get("test").size();
        int val = splits.get("val").size();
        assertTrue(val > 0 && test > 0);
        assertEquals(60 - test, nSource[0]);
        assertEquals(test, nPurged[0]);
        assertEquals(60 - test - val, nSource[1]);
        assertEquals(test + val, nPurged[1]);
        // the same run from a source file without the target's validation and test molecules, on the same split:
        // the same predictions (the purge inside the run is exactly the removal of those rows)
        java.util.Set<String> drop = new java.util.HashSet<>();
        splits.get("val_smiles").forEach(n -> drop.add(n.asText()));
        splits.get("test_smiles").forEach(n -> drop.add(n.asText()));
        Path kept = dir.resolve("kept.csv");
        List<String> rows = Files.readAllLines(one);
        StringBuilder k = new StringBuilder(rows.get(0)).append('\n');
        rows.subList(1, rows.size()).stream().filter(l -> !drop.contains(l.substring(0, l.indexOf(','))))
                .forEach(l -> k.append(l).append('\n'));
        Files.writeString(kept, k.toString());
        Path byFile = dir.resolve("by-file");
        assertEquals(0, Main.run("transfer", "--source", kept.toString(), "--source-column", "a", "--target",
                one.toString(), "--target-column", "b", "--method", "mtl", "-o", byFile.toString(), "--epochs", "1",
                "--batch-size", "20", "--hidden-size", "16", "--splits-file",
                dir.resolve("validation").resolve("splits.json").toString(), "--invalid", "skip", "-q"));
        assertEquals(Files.readString(dir.resolve("validation").resolve("test_predictions.csv")),
                Files.readString(byFile.resolve("test_predictions.csv")));
        assertEquals(60 - test - val, json.readTree(byFile.resolve("config.json").toFile()).get("n_source_train").asInt());
    }

    @Test
    void transferThenCurvature(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src.csv");
        Path tgt = dir.resolve("tgt.csv");
        write(src, "a", 120, 1, 2.0);
        write(tgt, "b", 60, 2, 3.0);
        Path run = dir.resolve("run");
        int code = Main.run("transfer", "--source", src.toString(), "--source-column", "a", "--target", tgt.toString(),
                "--target-column", "b", "--method", "gear", "-o", run.toString(), "--epochs", "2", "--batch-size", "20",
                "--hidden-size", "32", "--latent-size", "8", "--common-size", "12", "--curv-subset", "4", "-q",
                // random, not scaffold: these 60 toy molecules have two scaffolds, and the scaffold split of them has an
                // empty validation set, which transfer now refuses (exit 2)
                "--invalid", "skip", "--split-type", "random");
        assertEquals(0, code);
        for (String f : List.of("config.json", "splits.json", "model.gear", "metrics.csv", "test_predictions.csv",
                "learning_curve.png", "parity.png", "curvature_hist.png")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        String metrics = Files.readString(run.resolve("metrics.csv"));
        assertTrue(metrics.startsWith("phase,epoch,reg,auto,cons,map,metric,curv,total,abs_r_source,abs_r_target,"
                + "geo_g_source,geo_g_target,geo_gmin_source,geo_gmin_target,geo_rsd_source,geo_rsd_target,geo_singular,"
                + "val_rmse"), metrics);
        Path out = dir.resolve("curv.csv");
        assertEquals(0, Main.run("curvature", "--model", run.resolve("model.gear").toString(), "-i", tgt.toString(), "-o",
                out.toString(), "--route", "both"));
        List<String> lines = Files.readAllLines(out);
        assertEquals("row,smiles,task,latent_norm,condition,ricci_gauss,ricci_intrinsic,singular", lines.get(0));
        assertEquals(1 + 2 * 60, lines.size());
        assertTrue(Files.isRegularFile(dir.resolve("curv_ricci_hist.png")));
        // the latent-manifold picture beside it, coloured by the CSV's own target column b
        Path pic = dir.resolve("curv_manifolds.png");
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(pic.toFile());
        assertTrue(img != null && img.getWidth() > 1000 && img.getHeight() > 800, "picture " + pic);
        assertEquals(0, Main.run("curvature", "--model", run.resolve("model.gear").toString(), "-i", tgt.toString(), "-o",
                out.toString(), "--picture", dir.resolve("pics/m.png").toString()));
        assertTrue(Files.isRegularFile(dir.resolve("pics/m.png")));
        assertEquals(2, Main.run("curvature", "--model", run.resolve("model.gear").toString(), "-i", tgt.toString(), "-o",
                out.toString(), "--value-column", "nope"));

        // gear predict on a transfer model: both tasks, same predictions as the library, bad task = exit 2
        gear.transfer.TransferModel model = gear.transfer.TransferModelFile.load(run.resolve("model.gear"));
        for (String task : List.of("source", "target")) {
            Path pred = dir.resolve("pred_" + task + ".csv");
            assertEquals(0, Main.run("predict", "-i", tgt.toString(), "--model", run.resolve("model.gear").toString(), "-o",
                    pred.toString(), "--task", task, "-q"));
            List<String> rows = Files.readAllLines(pred);
            gear.transfer.Task t = gear.transfer.Task.parse(task);
            assertEquals("smiles," + model.taskName(t) + ",reason", rows.get(0));
            assertEquals(61, rows.size());
            String smiles1 = rows.get(1).substring(0, rows.get(1).indexOf(','));
            double expected = model.predict(t, List.of(gear.chem.Chem.featurize(smiles1)))[0];
            // float32 model: a batch of 1 and a batch of 60 may round differently in the last bits
            assertEquals(expected, Double.parseDouble(rows.get(1).split(",")[1]), 1e-6 * (1 + Math.abs(expected)));
        }
        assertEquals(2, Main.run("predict", "-i", tgt.toString(), "--model", run.resolve("model.gear").toString(), "-o",
                dir.resolve("bad.csv").toString(), "--task", "neither"));
    }

    @Test
    void squareCommonSpaceIsRefused(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("src.csv");
        write(src, "a", 30, 1, 2.0);
        assertEquals(2, Main.run("transfer", "--source", src.toString(), "--source-column", "a", "--target",
                src.toString(), "--target-column", "a", "--method", "gear", "-o", dir.resolve("r").toString(),
                "--latent-size", "8", "--common-size", "8"));
    }

    @Test
    void curvatureOfAPlainDmpnnModelExitsTwo(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("plain.gear");
        DmpnnConfig cfg = new DmpnnConfig(16, 2, 0.0, 16, 2, 1, false);
        ModelFile.save(model, new TrainedModel(new Dmpnn(cfg, 0), new StandardScaler(new double[] {0}, new double[] {1}),
                List.of("y"), Provenance.now("", 0), null));
        Path in = dir.resolve("in.csv");
        Files.writeString(in, "smiles\nCCO\n");
        assertEquals(2, Main.run("curvature", "--model", model.toString(), "-i", in.toString(), "-o",
                dir.resolve("o.csv").toString()));
        assertTrue(!Files.exists(dir.resolve("o.csv")));
    }
}
