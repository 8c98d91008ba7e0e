package gear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.chem.MolGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The D-MPNN step data-parallel on lanes against autograd on the whole batch (same dropout draws). */
class EncoderLanesTest {
    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    static List<MolGraph> molecules() {
        Random r = new Random(17);
        List<MolGraph> mols = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            mols.add(i == 4 ? DmpnnTest.empty() : i % 3 == 0 ? DmpnnTest.chain() : DmpnnTest.randomRing(3 + i % 4, r));
        }
        return mols;
    }

    /**
     * Loss and every gradient of 2 and 3 lanes equal to autograd's on the whole batch, with and without
     * dropout (the lanes take their rows of masks drawn in the one-lane order), in float64 (1e-12) and
     * float32 (1e-5); a second step gives the same (no state carried between steps).
     */
    @Test
    void lanesMatchAutogradOnTheWholeBatch() {
        List<MolGraph> mols = molecules();
        int n = mols.size();
        Random r = new Random(3);
        double[] y = new double[n];
        double[] m = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextGaussian();
            m[i] = i % 4 == 1 ? 0 : 1;
        }
        int cases = 0;
        for (int k : new int[] {2, 3}) {
            try (Lanes lanes = new Lanes(k)) {
                for (boolean f64 : new boolean[] {true, false}) {
                    for (double p : new double[] {0, 0.3}) {
                        DmpnnConfig cfg = new DmpnnConfig(8, 3, p, 6, 2, 1, f64);
                        Dmpnn net = new Dmpnn(cfg, 7 + k);
                        DmpnnTrainStep step = new DmpnnTrainStep(net, lanes);
                        String what = k + " lanes " + cfg;
                        try (PointerScope s = new PointerScope()) {
                            BatchGraph b = net.batch(mols);
                            Tensor target = Tensors.of(y, n, 1).to(cfg.dtype());
                            Tensor mask = Tensors.of(m, n, 1).to(cfg.dtype());
                            torch.manual_seed(5);
                            net.params().zeroGrad();
                            Tensor loss = Losses.maskedMse(net.forward(b, true), target, mask);
                            double want = loss.item_double();
                            loss.backward();
                            Map<String, double[]> auto = grads(net);
                            double tol = f64 ? 1e-12 : 1e-5;
                            for (int rep = 0; rep < 2; rep++) {
                                BatchParts parts = BatchParts.of(mols, k, cfg.dtype());
                                assertEquals(k, parts.size(), what);
                                torch.manual_seed(5);
                                assertEquals(want, step.forward(parts, HeadLoss.maskedMse(target, mask), null), tol * want,
                                        what + " loss");
                                step.backward(null);
                                lanes.release();
                            }
                            Map<String, double[]> got = grads(net);
                            for (String key : auto.keySet()) {
                                double scale = 0;
                                for (double v : auto.get(key)) {
                                    scale = Math.max(scale, Math.abs(v));
                                }
                                assertTrue(scale > 0, what + " " + key + " has a zero gradient: the test would be void");
                                assertArrayEquals(auto.get(key), got.get(key), tol * scale, what + " " + key);
                            }
                            cases++;
                        }
                    }
                }
            }
        }
        assertEquals(8, cases);
    }

    /** The cut: consecutive, non-empty parts covering the batch, with offsets of the whole batch's rows. */
    @Test
    void partsCoverTheBatchInOrder() {
        List<MolGraph> mols = molecules();
        for (int k = 1; k <= 12; k++) {
            BatchParts p = BatchParts.of(mols, k, torch.ScalarType.Float);
            assertEquals(Math.min(k, mols.size()), p.size());
            assertEquals(0, p.molOffset(0));
            assertEquals(mols.size(), p.molOffset(p.size()));
            int atoms = 0;
            int edges = 0;
            for (int i = 0; i < p.size(); i++) {
                assertTrue(p.molOffset(i + 1) > p.molOffset(i), "part " + i + " of " + k + " is empty");
                assertEquals(atoms, p.atomOffset(i));
                assertEquals(edges, p.edgeOffset(i));
                for (int j = p.molOffset(i); j < p.molOffset(i + 1); j++) {
                    atoms += mols.get(j).nAtoms();
                    edges += mols.get(j).nEdges();
                }
            }
            assertEquals(atoms, p.atomOffset(p.size()));
            assertEquals(edges, p.edgeOffset(p.size()));
        }
    }

    private static Map<String, double[]> grads(Dmpnn net) {
        Map<String, double[]> g = new LinkedHashMap<>();
        net.params().asMap().forEach((k, v) -> g.put(k, v.grad().defined() ? Tensors.toDoubles(v.grad())
                : new double[(int) v.numel()]));
        return g;
    }
}
