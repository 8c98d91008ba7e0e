package gear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link BernoulliMask} against libtorch's own {@code bernoulli_(q).div_(q)}: the same float bits and the same
 * generator state afterwards, over sizes that start and end anywhere in a block of 624 MT19937 words, with other
 * draws of the generator in between (an odd number of words, so that draws straddle a twist).
 */
class BernoulliMaskTest {
    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    /** A sequence of draws of these sizes, with a torch.rand of {@code between} words after each (0 = none). */
    private static List<int[]> run(long seed, boolean fast, double q, long[] sizes, int between) {
        List<int[]> out = new ArrayList<>();
        try (PointerScope s = new PointerScope(); Scalar keep = new Scalar(q)) {
            torch.manual_seed(seed);
            for (long n : sizes) {
                Tensor noise = torch.empty(n, 300L);
                if (fast) {
                    assertTrue(BernoulliMask.generated(noise, q, keep), "generated here");
                } else {
                    noise.bernoulli_(q, new GeneratorOptional());
                    noise.div_(keep);
                }
                out.add(bits(noise));
                if (between > 0) {
                    out.add(bits(torch.rand(between)));
                }
            }
            out.add(bits(torch.rand(7)));
            out.add(bits(torch.randn(3))); // caches a normal sample: the state round trip keeps it
            out.add(bits(torch.empty(2000).bernoulli_(q, new GeneratorOptional())));
            out.add(bits(torch.randn(1)));
            Tensor st = torch.getDefaultCPUGenerator().get_state();
            byte[] b = new byte[(int) st.numel()];
            st.data_ptr_byte().get(b);
            int[] w = new int[b.length];
            for (int i = 0; i < b.length; i++) {
                w[i] = b[i];
            }
            out.add(w);
        }
        return out;
    }

    private static int[] bits(Tensor t) {
        float[] f = Tensors.toFloats(t);
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = Float.floatToRawIntBits(f[i]);
        }
        return b;
    }

    @Test
    void sameBitsAndStateAsLibtorch() {
        long[] sizes = {1, 2, 3, 5, 13, 517, 1, 2080, 4};
        int cases = 0;
        for (long seed : new long[] {0, 1, 42, -7, 0x9E3779B97F4A7C15L}) {
            for (double q : new double[] {1 - 0.1295, 1 - 0.164, 0.5, 1 - 1e-9, 1.0, 1e-3}) {
                for (int between : new int[] {0, 1, 3}) {
                    List<int[]> ref = run(seed, false, q, sizes, between);
                    List<int[]> got = run(seed, true, q, sizes, between);
                    assertEquals(ref.size(), got.size());
                    for (int i = 0; i < ref.size(); i++) {
                        assertArrayEquals(ref.get(i), got.get(i), "seed " + seed + " q " + q + " between " + between
                                + " item " + i);
                    }
                    cases++;
                }
            }
        }
        assertEquals(90, cases);
    }

    /**
     * {@link BernoulliMask#dropout} against {@code torch.dropout(x, p, true)}: the same output bits, the same gradient
     * bits through autograd, the same generator state after (the next draws), for a contiguous input (generated here)
     * and a transposed one (left to libtorch).
     */
    @Test
    void dropoutMatchesTorchDropout() {
        for (boolean transposed : new boolean[] {false, true}) {
            for (double p : new double[] {0.1295, 0.5}) {
                List<int[]> ref = dropoutRun(false, transposed, p);
                List<int[]> got = dropoutRun(true, transposed, p);
                for (int i = 0; i < ref.size(); i++) {
                    assertArrayEquals(ref.get(i), got.get(i), "transposed " + transposed + " p " + p + " item " + i);
                }
            }
        }
    }

    private static List<int[]> dropoutRun(boolean mine, boolean transposed, double p) {
        List<int[]> out = new ArrayList<>();
        try (PointerScope s = new PointerScope()) {
            torch.manual_seed(99);
            Tensor x0 = torch.randn(57, 31L);
            Tensor w = torch.randn(57, 31L);
            Tensor x = (transposed ? x0.t().contiguous().t() : x0).detach().requires_grad_(true);
            Tensor y = mine ? BernoulliMask.dropout(x, p) : torch.dropout(x, p, true);
            y.mul(w).sum().backward();
            out.add(bits(y));
            out.add(bits(x.grad()));
            out.add(bits(torch.rand(11)));
        }
        return out;
    }

    /** The first-use check agrees with this libtorch, and leaves the generator's state as it found it. */
    @Test
    void selfCheckPassesAndLeavesTheStateAlone() {
        try (PointerScope s = new PointerScope()) {
            torch.manual_seed(3);
            torch.rand(5);
            int[] before = bits(torch.getDefaultCPUGenerator().get_state().to(torch.ScalarType.Float));
            assertTrue(BernoulliMask.matchesLibtorch());
            assertArrayEquals(before, bits(torch.getDefaultCPUGenerator().get_state().to(torch.ScalarType.Float)));
        }
    }

    /** The masks hold 0 and 1/q only, and about a share q of the elements is kept (the draws are not constant). */
    @Test
    void keptShareIsQ() {
        try (PointerScope s = new PointerScope(); Scalar keep = new Scalar(0.8)) {
            torch.manual_seed(5);
            Tensor noise = torch.empty(1000, 300L);
            assertTrue(BernoulliMask.generated(noise, 0.8, keep));
            float[] f = Tensors.toFloats(noise);
            int kept = 0;
            for (float v : f) {
                assertTrue(v == 0f || v == 1f / 0.8f, "value " + v);
                kept += v == 0f ? 0 : 1;
            }
            assertEquals(0.8, kept / (double) f.length, 0.005);
        }
    }

    /** Where the fast path does not apply (float64, non-contiguous, q = 0) nothing is generated here. */
    @Test
    void otherTensorsAreLeftToLibtorch() {
        try (PointerScope s = new PointerScope(); Scalar keep = new Scalar(0.5)) {
            assertTrue(!BernoulliMask.generated(torch.empty(4, 3L).to(torch.ScalarType.Double), 0.5, keep));
            assertTrue(!BernoulliMask.generated(torch.empty(4, 3L).t(), 0.5, keep));
            assertTrue(!BernoulliMask.generated(torch.empty(4, 3L), 0, keep));
        }
    }
}
