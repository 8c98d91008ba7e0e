package gear.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.chem.MolGraph;
import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.eval.Metrics;
import gear.nn.Torch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A 2-epoch run of every method on a small pair (150 source, 80 target molecules), and the training-RMSE option. */
class TransferSmokeTest {
    /** @return the names of the built-in methods (the registry's first seven) */
    static java.util.stream.Stream<String> methods() {
        return Methods.names().stream().limit(7);
    }

    static MoleculeDataset[] pair;
    static Split split;

    @BeforeAll
    static void init() {
        Torch.init(1);
        pair = PairFixture.pair(150, 80);
        split = PairFixture.split(pair[1]);
    }

    @ParameterizedTest
    @MethodSource("methods")
    void twoEpochs(String name) {
        TransferMethod m = Methods.get(name);
        TransferOutcome r = TransferRun.run(new TransferSpec(m, pair[0], "ys", pair[1], "yt", split,
                PairFixture.small(2), 1, null));
        long trainEpochs = r.history().stream().filter(e -> e.phase().equals("train")).count();
        assertEquals(2, trainEpochs);
        if (m.pretrains()) {
            assertEquals(2, r.history().stream().filter(e -> e.phase().equals("pretrain")).count());
        }
        assertEquals(split.test().length, r.testPredictions().length);
        assertTrue(Double.isFinite(r.testRmse()), "test RMSE " + r.testRmse());
        assertTrue(Double.isFinite(r.valRmse()), "val RMSE " + r.valRmse());
        for (gear.train.EpochStats e : r.history()) {
            e.terms().forEach((k, v) -> assertTrue(Double.isFinite(v), m + " " + k + " = " + v));
        }
        var terms = r.history().get(r.history().size() - 1).terms().keySet();
        switch (m.name()) {
            case "gear" -> assertTrue(terms.containsAll(java.util.List.of("reg", "auto", "cons", "map", "metric", "curv")), terms.toString());
            case "gate" -> assertTrue(terms.containsAll(java.util.List.of("reg", "auto", "cons", "map", "dis")), terms.toString());
            case "kd", "gspkd" -> assertTrue(terms.contains("kd"), terms.toString());
            default -> assertTrue(terms.contains("reg"), terms.toString());
        }
        if (m.hasTransferMaps()) {
            assertTrue(r.meanAbsRicciSource() > 0 && Double.isFinite(r.meanAbsRicciSource()));
            assertTrue(r.meanAbsRicciTarget() > 0 && Double.isFinite(r.meanAbsRicciTarget()));
        } else {
            assertTrue(Double.isNaN(r.meanAbsRicciSource()));
        }
    }

    /** {@link TransferSpec#trainRmse()}: the per-epoch target training RMSE is logged and changes nothing else. */
    @Test
    void gearWithTrainRmseTrainsTheSameModel(@TempDir Path dir) throws Exception {
        TransferOutcome plain = TransferRun.run(new TransferSpec(Methods.get("gear"), pair[0], "ys", pair[1], "yt", split,
                PairFixture.small(3), 5, dir.resolve("plain")));
        TransferOutcome tracked = TransferRun.run(new TransferSpec(Methods.get("gear"), pair[0], "ys", pair[1], "yt", split,
                PairFixture.small(3), 5, dir.resolve("tracked"), true));
        assertArrayEquals(plain.testPredictions(), tracked.testPredictions(), 0.0, "same predictions, bit for bit");
        assertEquals(plain.bestEpoch(), tracked.bestEpoch());
        for (int e = 0; e < 3; e++) {
            assertEquals(plain.history().get(e).valScore(), tracked.history().get(e).valScore(), 0.0);
            assertEquals(plain.history().get(e).terms().get("total"), tracked.history().get(e).terms().get("total"), 0.0);
            assertFalse(plain.history().get(e).terms().containsKey("train_rmse"));
            assertTrue(tracked.history().get(e).terms().get("train_rmse") > 0);
        }
        // the logged value of the kept epoch is the RMSE of the final (kept) model over the training molecules
        List<MolGraph> g = new ArrayList<>();
        double[] y = new double[split.train().length];
        for (int k = 0; k < y.length; k++) {
            g.add(pair[1].graph(split.train()[k]));
            y[k] = pair[1].target(split.train()[k], 0);
        }
        double rmse = Metrics.regression(tracked.model().predict(Task.TARGET, g), y).rmse();
        assertEquals(rmse, tracked.history().get(tracked.bestEpoch()).terms().get("train_rmse"), 1e-5 * rmse);
        String header = Files.readAllLines(dir.resolve("tracked").resolve(RunFiles.METRICS)).get(0);
        assertTrue(header.contains(",train_rmse,val_rmse,"), header);
        assertFalse(Files.readAllLines(dir.resolve("plain").resolve(RunFiles.METRICS)).get(0).contains("train_rmse"));
    }
}
