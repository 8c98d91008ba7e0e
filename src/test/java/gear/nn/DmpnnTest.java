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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DmpnnTest {
    static final int AF = MolGraph.ATOM_FDIM;
    static final int BF = MolGraph.BOND_FDIM;

    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    /** A chain 0-1-2 with x_u[0] = u+1 and bond k feature[1] = 0.5 (k+1), all else 0. */
    static MolGraph chain() {
        float[] x = new float[3 * AF];
        for (int u = 0; u < 3; u++) {
            x[u * AF] = u + 1;
        }
        float[] e = new float[2 * BF];
        e[1] = 0.5f;
        e[BF + 1] = 1.0f;
        return new MolGraph("CCO", 3, x, new int[] {0, 1}, new int[] {1, 2}, e);
    }

    static MolGraph empty() {
        return new MolGraph("", 0, new float[0], new int[0], new int[0], new float[0]);
    }

    /** Random features on a ring of n atoms with one pendant atom (a cycle exercises the reverse edges). */
    static MolGraph randomRing(int n, Random r) {
        int na = n + 1;
        float[] x = new float[na * AF];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() < 0.1 ? r.nextFloat() : 0;
        }
        int nb = n + 1;
        int[] b = new int[nb];
        int[] en = new int[nb];
        for (int k = 0; k < n; k++) {
            b[k] = Math.min(k, (k + 1) % n);
            en[k] = Math.max(k, (k + 1) % n);
        }
        b[n] = 0;
        en[n] = n;
        float[] bf = new float[nb * BF];
        for (int i = 0; i < bf.length; i++) {
            bf[i] = r.nextFloat() < 0.3 ? 1 : 0;
        }
        return new MolGraph("ring", na, x, b, en, bf);
    }

    @Test
    void batchLayoutHasOffsetsAndReverseEdges() {
        BatchGraph.Arrays a = BatchGraph.arrays(List.of(chain(), empty(), chain()));
        assertEquals(3, a.nMols());
        assertEquals(6, a.nAtoms());
        assertEquals(8, a.nEdges());
        assertArrayEquals(new long[] {0, 1, 1, 0, 1, 2, 2, 1, 3, 4, 4, 3, 4, 5, 5, 4},
                interleave(a.edgeSource(), a.edgeTarget()));
        assertArrayEquals(new long[] {1, 0, 3, 2, 5, 4, 7, 6}, a.edgeReverse());
        assertArrayEquals(new long[] {0, 0, 0, 2, 2, 2}, a.atomMolecule());
        assertArrayEquals(new float[] {3, 1, 3}, a.atomCounts());
        // edge 5 = second chain's 1->0 (atoms 4->3): x of atom 4 (2.0) then bond 0 features
        assertEquals(0.5f, a.edgeBonds()[5 * BF + 1]);
        float[] in = Tensors.toFloats(BatchGraph.of(a, org.bytedeco.pytorch.global.torch.ScalarType.Float).edgeInput());
        assertEquals(8 * BatchGraph.EDGE_INPUT_DIM, in.length);
        assertEquals(2.0f, in[5 * BatchGraph.EDGE_INPUT_DIM]);
        assertEquals(0.5f, in[5 * BatchGraph.EDGE_INPUT_DIM + AF + 1]);
    }

    private static long[] interleave(long[] s, long[] t) {
        long[] o = new long[2 * s.length];
        for (int i = 0; i < s.length; i++) {
            o[2 * i] = s[i];
            o[2 * i + 1] = t[i];
        }
        return o;
    }

    /**
     * Hidden size 1, depth 2. H0 = x_u[0] + e_uv[1]: e0 (0→1) 1.5, e1 (1→0) 2.5, e2 (1→2) 3, e3 (2→1) 4.
     * M: e0 = H[1→0] − H[1→0] = 0; e1 = (1.5 + 4) − 1.5 = 4; e2 = 5.5 − 4 = 1.5; e3 = 3 − 3 = 0.
     * H = H0 + M: 1.5, 6.5, 4.5, 4. m_v: 6.5, 5.5, 4.5. h_v = ReLU(−x_v[0] + 2 m_v − 10): 2, 0, 0;
     * mean 2/3. The empty molecule encodes to 0.
     */
    @Test
    void messagePassingOnChainMatchesHandComputation() {
        DmpnnConfig cfg = new DmpnnConfig(1, 2, 0, 1, 1, 1, true);
        Dmpnn model = new Dmpnn(cfg, 1);
        Map<String, Tensor> w = new LinkedHashMap<>();
        double[] wi = new double[147];
        wi[0] = 1;
        wi[AF + 1] = 1;
        w.put("encoder.W_i.weight", Tensors.of(wi, 1, 147));
        w.put("encoder.W_h.weight", Tensors.of(new double[] {1}, 1, 1));
        double[] wo = new double[AF + 1];
        wo[0] = -1;
        wo[AF] = 2;
        w.put("encoder.W_o.weight", Tensors.of(wo, 1, AF + 1));
        w.put("encoder.W_o.bias", Tensors.of(new double[] {-10}, 1));
        w.put("head.0.weight", Tensors.of(new double[] {1}, 1, 1));
        w.put("head.0.bias", Tensors.of(new double[] {0}, 1));
        model.params().copyFrom(w);
        try (PointerScope s = new PointerScope()) {
            BatchGraph b = model.batch(List.of(chain(), empty(), chain()));
            assertArrayEquals(new double[] {2, 0, 0, 2, 0, 0}, Tensors.toDoubles(model.encoder().atomHiddens(b, false)), 1e-12);
            assertArrayEquals(new double[] {2.0 / 3, 0, 2.0 / 3}, Tensors.toDoubles(model.forward(b, false)), 1e-12);
        }
    }

    /** Naive per-edge reference of the D-MPNN equations (neighbour loops, no scatter ops). */
    static double[] reference(Dmpnn model, MolGraph g) {
        int h = model.config().hiddenSize();
        double[] wi = Tensors.toDoubles(model.params().get("encoder.W_i.weight"));
        double[] wh = Tensors.toDoubles(model.params().get("encoder.W_h.weight"));
        double[] wo = Tensors.toDoubles(model.params().get("encoder.W_o.weight"));
        double[] bo = Tensors.toDoubles(model.params().get("encoder.W_o.bias"));
        int ne = g.nEdges();
        int in = AF + BF;
        double[][] h0 = new double[ne][h];
        for (int e = 0; e < ne; e++) {
            int u = g.edgeSource(e);
            for (int j = 0; j < h; j++) {
                double s = 0;
                for (int f = 0; f < AF; f++) {
                    s += wi[j * in + f] * g.atomFeatures()[u * AF + f];
                }
                for (int f = 0; f < BF; f++) {
                    s += wi[j * in + AF + f] * g.bondFeatures()[(e >> 1) * BF + f];
                }
                h0[e][j] = s;
            }
        }
        double[][] hh = new double[ne][];
        for (int e = 0; e < ne; e++) {
            hh[e] = relu(h0[e].clone());
        }
        for (int d = 1; d < model.config().depth(); d++) {
            double[][] next = new double[ne][h];
            for (int e = 0; e < ne; e++) {
                int u = g.edgeSource(e);
                int v = g.edgeTarget(e);
                double[] m = new double[h];
                for (int w = 0; w < ne; w++) {
                    if (g.edgeTarget(w) == u && g.edgeSource(w) != v) {
                        for (int j = 0; j < h; j++) {
                            m[j] += hh[w][j];
                        }
                    }
                }
                for (int j = 0; j < h; j++) {
                    double s = h0[e][j];
                    for (int k = 0; k < h; k++) {
                        s += wh[j * h + k] * m[k];
                    }
                    next[e][j] = Math.max(0, s);
                }
            }
            hh = next;
        }
        double[] mol = new double[h];
        for (int v = 0; v < g.nAtoms(); v++) {
            double[] mv = new double[h];
            for (int e = 0; e < ne; e++) {
                if (g.edgeTarget(e) == v) {
                    for (int j = 0; j < h; j++) {
                        mv[j] += hh[e][j];
                    }
                }
            }
            for (int j = 0; j < h; j++) {
                double s = bo[j];
                for (int f = 0; f < AF; f++) {
                    s += wo[j * (AF + h) + f] * g.atomFeatures()[v * AF + f];
                }
                for (int k = 0; k < h; k++) {
                    s += wo[j * (AF + h) + AF + k] * mv[k];
                }
                mol[j] += Math.max(0, s) / g.nAtoms();
            }
        }
        return mol;
    }

    private static double[] relu(double[] a) {
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.max(0, a[i]);
        }
        return a;
    }

    @Test
    void encoderMatchesNaiveReferenceOnRings() {
        Random r = new Random(5);
        DmpnnConfig cfg = new DmpnnConfig(7, 4, 0, 7, 2, 1, true);
        Dmpnn model = new Dmpnn(cfg, 3);
        List<MolGraph> mols = List.of(randomRing(5, r), chain(), randomRing(6, r), randomRing(3, r));
        try (PointerScope s = new PointerScope()) {
            double[] got = Tensors.toDoubles(model.encoder().forward(model.batch(mols), false));
            for (int m = 0; m < mols.size(); m++) {
                double[] want = reference(model, mols.get(m));
                for (int j = 0; j < 7; j++) {
                    assertEquals(want[j], got[m * 7 + j], 1e-10, "molecule " + m + " unit " + j);
                }
            }
        }
    }

    /** d loss / d w by autograd equals central finite differences in float64, for encoder and head weights. */
    @Test
    void gradientMatchesFiniteDifferences() {
        Random r = new Random(11);
        DmpnnConfig cfg = new DmpnnConfig(6, 3, 0, 5, 3, 2, true);
        Dmpnn model = new Dmpnn(cfg, 7);
        List<MolGraph> mols = List.of(randomRing(4, r), chain(), randomRing(5, r));
        Tensor target = Tensors.of(new double[] {0.3, -1, 2, 0, 0.5, 1.5}, 3, 2);
        Tensor mask = Tensors.of(new double[] {1, 1, 1, 0, 1, 1}, 3, 2);
        BatchGraph b = model.batch(mols);
        List<String> names = new ArrayList<>(model.params().asMap().keySet());
        Map<String, double[]> grads = new LinkedHashMap<>();
        try (PointerScope s = new PointerScope()) {
            model.params().zeroGrad();
            Losses.maskedMse(model.forward(b, false), target, mask).backward();
            for (String n : names) {
                grads.put(n, Tensors.toDoubles(model.params().get(n).grad()));
            }
        }
        Random pick = new Random(1);
        int checked = 0;
        for (String n : names) {
            Tensor p = model.params().get(n);
            int numel = (int) p.numel();
            for (int t = 0; t < 3; t++) {
                int i = pick.nextInt(numel);
                double eps = 1e-6;
                double plus = lossWith(model, b, target, mask, p, i, eps);
                double minus = lossWith(model, b, target, mask, p, i, -eps);
                double fd = (plus - minus) / (2 * eps);
                double ad = grads.get(n)[i];
                assertEquals(fd, ad, 1e-7 + 1e-6 * Math.abs(fd), n + "[" + i + "]");
                checked++;
            }
        }
        assertTrue(checked >= 24);
        assertTrue(java.util.Arrays.stream(grads.get("encoder.W_h.weight")).anyMatch(g -> g != 0),
                "W_h gradient is not trivially zero");
    }

    private static double lossWith(Dmpnn model, BatchGraph b, Tensor target, Tensor mask, Tensor p, int i, double delta) {
        try (PointerScope s = new PointerScope(); org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
            Tensor flat = p.view(-1);
            double old = flat.get(i).item_double();
            flat.get(i).fill_(new org.bytedeco.pytorch.Scalar(old + delta));
            double l = Losses.maskedMse(model.forward(b, false), target, mask).item_double();
            flat.get(i).fill_(new org.bytedeco.pytorch.Scalar(old));
            return l;
        }
    }

    @Test
    void initializationIsSeededAndChempropLike() {
        Dmpnn a = new Dmpnn(DmpnnConfig.defaults(1), 42);
        Dmpnn b = new Dmpnn(DmpnnConfig.defaults(1), 42);
        Dmpnn c = new Dmpnn(DmpnnConfig.defaults(1), 43);
        for (String n : a.params().asMap().keySet()) {
            assertArrayEquals(Tensors.toFloats(a.params().get(n)), Tensors.toFloats(b.params().get(n)), 0f, n);
        }
        float[] wh = Tensors.toFloats(a.params().get("encoder.W_h.weight"));
        assertTrue(!java.util.Arrays.equals(wh, Tensors.toFloats(c.params().get("encoder.W_h.weight"))));
        double var = 0;
        for (float f : wh) {
            var += f * f;
        }
        var /= wh.length;
        assertEquals(2.0 / 600, var, 2.0 / 600 * 0.02, "xavier normal variance 2/(fan_in+fan_out)");
        assertArrayEquals(new float[300], Tensors.toFloats(a.params().get("encoder.W_o.bias")), 0f);
        assertEquals(List.of("encoder.W_i.weight", "encoder.W_h.weight", "encoder.W_o.weight", "encoder.W_o.bias",
                "head.0.weight", "head.0.bias", "head.1.weight", "head.1.bias"), new ArrayList<>(a.params().asMap().keySet()));
        assertArrayEquals(new long[] {300, 147}, Tensors.shape(a.params().get("encoder.W_i.weight")));
        assertArrayEquals(new long[] {300, 433}, Tensors.shape(a.params().get("encoder.W_o.weight")));
        assertArrayEquals(new long[] {1, 300}, Tensors.shape(a.params().get("head.1.weight")));
    }

}
