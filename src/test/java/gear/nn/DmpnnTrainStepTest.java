package gear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.chem.MolGraph;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hand-derived training step against autograd on the same forward pass. */
class DmpnnTrainStepTest {
    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    static List<MolGraph> molecules() {
        Random r = new Random(11);
        return List.of(DmpnnTest.randomRing(4, r), DmpnnTest.chain(), DmpnnTest.empty(), DmpnnTest.randomRing(6, r),
                DmpnnTest.randomRing(3, r));
    }

    /**
     * Loss and gradients equal to autograd's (to rounding: the atom-feature products sum only the non-zero
     * terms, in another order), over depth, FFN depth, dropout (same draws) and dtype.
     */
    @Test
    void matchesAutograd() {
        List<MolGraph> mols = molecules();
        int n = mols.size();
        Random r = new Random(3);
        double[] y = new double[n * 2];
        double[] m = new double[n * 2];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextGaussian();
            m[i] = i % 3 == 1 ? 0 : 1;
        }
        int cases = 0;
        for (boolean f64 : new boolean[] {true, false}) {
            for (double p : new double[] {0, 0.3}) {
                for (int depth : new int[] {1, 2, 4}) {
                    for (int layers : new int[] {1, 3}) {
                        DmpnnConfig cfg = new DmpnnConfig(9, depth, p, 7, layers, 2, f64);
                        Dmpnn net = new Dmpnn(cfg, depth * 10L + layers);
                        DmpnnTrainStep step = new DmpnnTrainStep(net);
                        String what = cfg.toString();
                        try (PointerScope s = new PointerScope()) {
                            BatchGraph b = net.batch(mols);
                            Tensor target = Tensors.of(y, n, 2).to(cfg.dtype());
                            Tensor mask = Tensors.of(m, n, 2).to(cfg.dtype());
                            torch.manual_seed(5);
                            net.params().zeroGrad();
                            Tensor loss = Losses.maskedMse(net.forward(b, true), target, mask);
                            double want = loss.item_double();
                            loss.backward();
                            Map<String, double[]> auto = grads(net);
                            double tol = f64 ? 1e-12 : 1e-5;
                            // a second step must not depend on the first one's buffers or gradients
                            for (int rep = 0; rep < 2; rep++) {
                                torch.manual_seed(5);
                                assertEquals(want, step.forward(b, target, mask, null), tol * want, what + " loss");
                                step.backward(null);
                            }
                            Map<String, double[]> got = grads(net);
                            for (String k : auto.keySet()) {
                                double scale = 0;
                                for (double v : auto.get(k)) {
                                    scale = Math.max(scale, Math.abs(v));
                                }
                                assertArrayEquals(auto.get(k), got.get(k), tol * Math.max(scale, 1e-3), what + " " + k);
                            }
                            cases++;
                        }
                    }
                }
            }
        }
        assertEquals(24, cases);
    }

    /** Batches without edges (single atoms) or without atoms at all: no failure, same result as autograd. */
    @Test
    void batchesWithoutEdgesOrAtoms() {
        float[] x = new float[MolGraph.ATOM_FDIM];
        x[5] = 1;
        x[MolGraph.ATOM_FDIM - 1] = 0.12f;
        MolGraph atom = new MolGraph("C", 1, x, new int[0], new int[0], new float[0]);
        DmpnnConfig cfg = new DmpnnConfig(5, 3, 0, 4, 2, 1, true);
        for (List<MolGraph> mols : List.of(List.of(atom, DmpnnTest.empty(), atom), List.of(DmpnnTest.empty(), DmpnnTest.empty()))) {
            Dmpnn net = new Dmpnn(cfg, 1);
            DmpnnTrainStep step = new DmpnnTrainStep(net);
            int n = mols.size();
            double[] y = new double[n];
            double[] m = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = i - 0.5;
                m[i] = 1;
            }
            try (PointerScope s = new PointerScope()) {
                BatchGraph b = net.batch(mols);
                Tensor target = Tensors.of(y, n, 1);
                Tensor mask = Tensors.of(m, n, 1);
                net.params().zeroGrad();
                Tensor loss = Losses.maskedMse(net.forward(b, true), target, mask);
                double want = loss.item_double();
                loss.backward();
                Map<String, double[]> auto = grads(net);
                assertEquals(want, step.forward(b, target, mask, null), 1e-12 * want);
                step.backward(null);
                Map<String, double[]> got = grads(net);
                for (String k : auto.keySet()) {
                    assertArrayEquals(auto.get(k), got.get(k), 1e-12, mols.size() + " molecules: " + k);
                }
            }
        }
    }

    private static Map<String, double[]> grads(Dmpnn net) {
        Map<String, double[]> g = new LinkedHashMap<>();
        net.params().asMap().forEach((k, v) -> g.put(k, v.grad().defined() ? Tensors.toDoubles(v.grad())
                : new double[(int) v.numel()]));
        return g;
    }

    /** Central finite differences of the loss (float64) against the hand-derived gradient, every parameter. */
    @Test
    void gradientMatchesFiniteDifferences() {
        DmpnnConfig cfg = new DmpnnConfig(6, 3, 0, 5, 2, 1, true);
        Dmpnn net = new Dmpnn(cfg, 2);
        DmpnnTrainStep step = new DmpnnTrainStep(net);
        List<MolGraph> mols = molecules();
        Tensor target = Tensors.of(new double[] {0.5, -1, 0, 2, 1}, mols.size(), 1);
        Tensor mask = Tensors.of(new double[] {1, 1, 0, 1, 1}, mols.size(), 1);
        BatchGraph b = net.batch(mols);
        Map<String, double[]> g;
        try (PointerScope s = new PointerScope()) {
            step.forward(b, target, mask, null);
            step.backward(null);
            g = grads(net);
        }
        Random pick = new Random(4);
        int nonzero = 0;
        for (Map.Entry<String, Tensor> e : net.params().asMap().entrySet()) {
            Tensor flat = e.getValue().view(-1);
            for (int t = 0; t < 4; t++) {
                int i = pick.nextInt((int) flat.numel());
                double old;
                double[] l = new double[2];
                try (PointerScope s = new PointerScope(); org.bytedeco.pytorch.NoGradGuard ng = new org.bytedeco.pytorch.NoGradGuard()) {
                    old = flat.get(i).item_double();
                    for (int k = 0; k < 2; k++) {
                        flat.get(i).fill_(new org.bytedeco.pytorch.Scalar(old + (k == 0 ? 1e-6 : -1e-6)));
                        l[k] = Losses.maskedMse(net.forward(b, false), target, mask).item_double();
                    }
                    flat.get(i).fill_(new org.bytedeco.pytorch.Scalar(old));
                }
                double fd = (l[0] - l[1]) / 2e-6;
                double got = g.get(e.getKey())[i];
                assertEquals(fd, got, 1e-7 + 1e-6 * Math.abs(fd), e.getKey() + "[" + i + "]");
                if (got != 0) {
                    nonzero++;
                }
            }
        }
        assertTrue(nonzero >= 16, "too few non-zero gradient entries checked: " + nonzero);
    }
}
