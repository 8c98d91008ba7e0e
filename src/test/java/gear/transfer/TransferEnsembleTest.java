package gear.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.chem.MolGraph;
import gear.data.MoleculeDataset;
import gear.nn.SafeTensors;
import gear.nn.Torch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transfer ensembles: identical seeds give the plain model, different seeds a mean and a spread; the model file. */
class TransferEnsembleTest {
    static MoleculeDataset[] pair;

    @BeforeAll
    static void init() {
        Torch.init(1);
        pair = PairFixture.pair(120, 60);
    }

    private static TransferSpec spec(String method, Path dir) {
        return new TransferSpec(Methods.get(method), pair[0], "ys", pair[1], "yt", PairFixture.split(pair[1]),
                PairFixture.small(1), 5, dir);
    }

    /** The must-hold test: three members with identical seeds predict exactly what one model predicts, std 0. */
    @Test
    void ensembleOfIdenticalSeedsEqualsOneModel(@TempDir Path dir) {
        TransferOutcome one = TransferRun.run(spec("gear", dir.resolve("one")));
        TransferOutcome three = TransferRun.run(spec("gear", dir.resolve("three")), null, null, false, null,
                new long[] {5, 5, 5});
        assertArrayEquals(one.testPredictions(), three.testPredictions(), 0.0);
        assertEquals(one.testRmse(), three.testRmse(), 0.0);
        assertEquals(one.valRmse(), three.valRmse(), 1e-12);
        Path f = dir.resolve("three").resolve(RunFiles.MODEL);
        Map<String, String> md = read(f);
        assertEquals(TransferEnsembleFile.MODEL_TYPE, md.get("model_type"));
        assertEquals("3", md.get("ensemble_size"));
        TransferEnsemble e = TransferEnsembleFile.load(f);
        assertEquals(3, e.size());
        List<MolGraph> g = pair[1].graphs().subList(0, 30);
        for (Task t : Task.values()) {
            TransferEnsemble.Output o = e.predict(t, g, true);
            assertArrayEquals(one.model().predict(t, g), o.mean(), 0.0, t.toString());
            for (double s : o.std()) {
                assertEquals(0.0, s, 0.0);
            }
        }
        // the member checkpoints are gone once the run directory is complete
        assertFalse(Files.exists(dir.resolve("three").resolve("member-1")));
    }

    /** Seeds seed, seed+1: member 0 is the plain run; the mean and the spread are the members' (times the z-scale). */
    @Test
    void differentSeedsGiveMeanAndSpreadAndMemberZeroIsThePlainRun(@TempDir Path dir) throws Exception {
        TransferOutcome one = TransferRun.run(spec("stl", dir.resolve("one")));
        TransferOutcome two = TransferRun.run(spec("stl", dir.resolve("two")), null, null, false, null, 2);
        TransferEnsemble e = TransferEnsembleFile.load(dir.resolve("two").resolve(RunFiles.MODEL));
        assertArrayEquals(new long[] {5, 6}, e.seeds());
        double z = e.zScale();
        assertTrue(Double.isFinite(z) && z > 0, "z-scale " + z);
        List<MolGraph> g = pair[1].graphs().subList(0, 30);
        double[] p0 = e.members().get(0).predict(Task.TARGET, g);
        double[] p1 = e.members().get(1).predict(Task.TARGET, g);
        assertArrayEquals(one.model().predict(Task.TARGET, g), p0, 0.0);
        TransferEnsemble.Output o = e.predict(Task.TARGET, g, true);
        boolean differ = false;
        for (int i = 0; i < g.size(); i++) {
            differ |= p0[i] != p1[i];
            assertEquals((p0[i] + p1[i]) / 2, o.mean()[i], 1e-12);
            assertEquals(z * Math.abs(p0[i] - p1[i]) / 2, o.std()[i], 1e-12);
        }
        assertTrue(differ, "members initialized differently");
        assertEquals(gear.eval.Metrics.regression(two.testPredictions(), two.testTruth()).rmse(), two.testRmse(), 0.0);
        var cfg = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("two").resolve(RunFiles.CONFIG)
                .toFile());
        assertEquals(z, cfg.get("results").get("uncertainty").get("z_scale").asDouble(), 0.0);
        assertTrue(Files.readAllLines(dir.resolve("two").resolve(RunFiles.PREDICTIONS)).get(0).endsWith(",std"));
        // a plain transfer file still loads, as one member
        assertEquals(1, TransferEnsembleFile.load(dir.resolve("one").resolve(RunFiles.MODEL)).size());
    }

    private static Map<String, String> read(Path f) {
        try {
            return SafeTensors.read(f).metadata();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
