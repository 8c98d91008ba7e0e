package gear.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.nn.Torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A 2-epoch run of every method on a small pair (150 source, 80 target molecules). */
class TransferSmokeTest {
    static MoleculeDataset[] pair;
    static Split split;

    @BeforeAll
    static void init() {
        Torch.init(1);
        pair = PairFixture.pair(150, 80);
        split = PairFixture.split(pair[1]);
    }

    @ParameterizedTest
    @EnumSource(Method.class)
    void twoEpochs(Method m) {
        TransferOutcome r = TransferRun.run(new TransferSpec(m, pair[0], "ys", pair[1], "yt", split,
                PairFixture.small(2), 1, null));
        long trainEpochs = r.history().stream().filter(e -> e.phase().equals("train")).count();
        assertEquals(2, trainEpochs);
        if (m.twoPhase()) {
            assertEquals(2, r.history().stream().filter(e -> e.phase().equals("pretrain")).count());
        }
        assertEquals(split.test().length, r.testPredictions().length);
        assertTrue(Double.isFinite(r.testRmse()), "test RMSE " + r.testRmse());
        assertTrue(Double.isFinite(r.valRmse()), "val RMSE " + r.valRmse());
        for (EpochTerms e : r.history()) {
            e.terms().forEach((k, v) -> assertTrue(Double.isFinite(v), m + " " + k + " = " + v));
        }
        var terms = r.history().get(r.history().size() - 1).terms().keySet();
        switch (m) {
            case GEAR -> assertTrue(terms.containsAll(java.util.List.of("reg", "auto", "cons", "map", "metric", "curv")), terms.toString());
            case GATE -> assertTrue(terms.containsAll(java.util.List.of("reg", "auto", "cons", "map", "dis")), terms.toString());
            case KD, GSPKD -> assertTrue(terms.contains("kd"), terms.toString());
            default -> assertTrue(terms.contains("reg"), terms.toString());
        }
        if (m.hasTransferMaps()) {
            assertTrue(r.meanAbsRicciSource() > 0 && Double.isFinite(r.meanAbsRicciSource()));
            assertTrue(r.meanAbsRicciTarget() > 0 && Double.isFinite(r.meanAbsRicciTarget()));
        } else {
            assertTrue(Double.isNaN(r.meanAbsRicciSource()));
        }
    }
}
