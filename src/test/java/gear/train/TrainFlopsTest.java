package gear.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gear.chem.Chem;
import gear.nn.DmpnnConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The GEMM FLOP count of one training step, checked by hand for ethane (2 atoms, 1 bond). */
class TrainFlopsTest {
    @Test
    void ethaneByHand() throws Exception {
        DmpnnConfig c = DmpnnConfig.defaults(1);
        double wi = 2 * 2 * 147 * 300;      // 2 directed edges × (133+14) × 300
        double wh = 2 * 2 * 2 * 300 * 300;  // depth−1 = 2 steps over 2 edges
        double wo = 2 * 2 * 433 * 300;      // 2 atoms × (133+300) × 300
        double ffn = 2 * (300 * 300 + 300); // 300→300→1
        assertEquals(wi + wh + wo + ffn, TrainFlops.forwardFlops(c, 2, 1), 0);
        assertEquals(3 * (wi + wh + wo + ffn), TrainFlops.trainFlopsPerMolecule(c, List.of(Chem.featurize("CC"))), 0);
        // the implemented step: W_h 3×, W_o message block 3×, bond block of W_i forward only, FFN 3×
        double step = 3 * wh + 3 * (2 * 2 * 300 * 300) + 2 * 2 * 14 * 300 + 3 * ffn;
        assertEquals(step, TrainFlops.stepGemmFlopsPerMolecule(c, List.of(Chem.featurize("CC"))), 0);
    }
}
