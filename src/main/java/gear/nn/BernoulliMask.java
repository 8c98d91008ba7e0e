package gear.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.pytorch.Generator;
import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Dropout masks drawn as {@code noise.bernoulli_(q).div_(q)} draws them on the CPU, the same values from the same
 * random numbers, with libtorch's default CPU generator left in the same state, but generated here instead of by
 * libtorch's serial kernel (a quarter of a D-MPNN training step's time on one thread).
 *
 * <p>libtorch's CPU {@code bernoulli_(q)} (built without MKL, as the bundled libtorch is) draws element i of a
 * contiguous tensor, in memory order, as u_i &lt; q with
 * <pre>
 * r_i = 2^32 · y_{2i} + y_{2i+1}   (two consecutive 32-bit outputs of the generator's MT19937, the first high)
 * u_i = (r_i mod 2^53) · 2^−53     (at::uniform_real_distribution&lt;double&gt;(0, 1))
 * </pre>
 * where y is the tempered output of MT19937 (Matsumoto &amp; Nishimura, ACM TOMACS 8(1), 1998), whose state is the
 * generator's ({@code get_state}: 624 words, the index of the next word and the count left before the next
 * twist). Since multiplying by 2^−53 is exact, u_i &lt; q ⟺ (r_i mod 2^53) &lt; ⌈q · 2^53⌉, an integer
 * comparison.
 * The kept elements get the value 1/q as libtorch's {@code div_} computes it in float32 (taken from libtorch, not
 * recomputed), the dropped ones 0.
 *
 * <p>A libtorch whose kernel draws otherwise (an MKL build, another generator) is caught twice: the tests compare
 * bits and state with libtorch's own {@code bernoulli_}, and the first draw of a process does the same on 1,000
 * elements (undoing both draws afterwards); on a mismatch every draw of the process is left to libtorch.
 *
 * <p>{@link #draw} reads the generator's state (little-endian, as on x86-64 and AArch64), advances it by the 2n outputs
 * it uses and writes it back ({@code set_state}; the cached normal samples travel unchanged), so every later draw of
 * the generator (torch.dropout in the heads, the next step's masks) is the one it would have been. Where the fast path
 * does not apply (not a contiguous float32 CPU tensor, a state of an unknown layout) it calls {@code bernoulli_} and
 * {@code div_} itself. Not thread-safe with respect to other users of the default generator in the same instant (as
 * {@code bernoulli_} itself is not across a draw and another thread's draw); the masks of a step are drawn on one
 * thread.
 */
public final class BernoulliMask {
    private BernoulliMask() {}

    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER = 0x80000000;
    private static final int LOWER = 0x7fffffff;
    /** Byte size of libtorch's CPUGeneratorImplState and the offsets of the fields read and written. */
    private static final int STATE_BYTES = 5056;
    private static final int OFF_LEFT = 8;
    private static final int OFF_SEEDED = 12;
    private static final int OFF_NEXT = 16;
    private static final int OFF_WORDS = 24;

    /**
     * {@code noise.bernoulli_(q).div_(keep)}: fills {@code noise} with Bernoulli(q)/q draws of the default CPU
     * generator.
     *
     * @param keep the scalar q (the same value as {@code q})
     */
    public static void draw(Tensor noise, double q, Scalar keep) {
        if (!generated(noise, q, keep)) {
            noise.bernoulli_(q, new GeneratorOptional());
            noise.div_(keep);
        }
    }

    /**
     * {@code torch.dropout(x, p, true)} on the CPU, as libtorch composes it (a mask Bernoulli(1 − p)/(1 − p) of
     * {@code empty_like(x)}, then {@code x * mask}, which autograd differentiates as a product), with the mask
     * drawn by {@link #draw}: the same values, gradients and generator state. Elsewhere, for p outside (0, 1) and for
     * an empty x, it is {@code torch.dropout} itself.
     */
    public static Tensor dropout(Tensor x, double p) {
        if (!(p > 0 && p < 1) || !x.is_cpu() || x.numel() == 0) {
            return torch.dropout(x, p, true);
        }
        Tensor noise = torch.empty_like(x);
        draw(noise, 1 - p, new Scalar(1 - p));
        return x.mul(noise);
    }

    /** @return whether the draws were generated here (false: nothing was drawn, the caller calls libtorch) */
    static boolean generated(Tensor noise, double q, Scalar keep) {
        return SelfCheck.PASSED && generatedUnchecked(noise, q, keep);
    }

    /** The first use's comparison with libtorch's own draws (see the class comment). */
    private static final class SelfCheck {
        static final boolean PASSED = matchesLibtorch();
    }

    /**
     * Draws 1,000 elements with libtorch's {@code bernoulli_} and {@code div_} and the same from the same state here,
     * compares values and the generator's state after, and restores the state it found.
     *
     * @return whether both agree
     */
    static boolean matchesLibtorch() {
        Generator g = torch.getDefaultCPUGenerator();
        Tensor before = g.get_state().clone();
        try {
            double q = 0.7;
            Scalar keep = new Scalar(q);
            Tensor want = torch.empty(1000);
            want.bernoulli_(q, new GeneratorOptional());
            want.div_(keep);
            Tensor wantState = g.get_state().clone();
            g.set_state(before);
            Tensor got = torch.empty(1000);
            boolean ok = generatedUnchecked(got, q, keep) && torch.equal(want, got)
                    && torch.equal(wantState, g.get_state());
            if (!ok) {
                System.err.println("WARN this libtorch draws Bernoulli masks otherwise than expected: dropout "
                        + "masks are left to libtorch (slower, same results)");
            }
            return ok;
        } finally {
            g.set_state(before);
        }
    }

    private static boolean generatedUnchecked(Tensor noise, double q, Scalar keep) {
        boolean float32 = noise.scalar_type().value == torch.ScalarType.Float.value;
        if (!noise.is_cpu() || !float32 || !noise.is_contiguous() || noise.numel() == 0
                || noise.numel() > Integer.MAX_VALUE || !(q > 0 && q <= 1)) {
            return false;
        }
        Generator g = torch.getDefaultCPUGenerator();
        Tensor state = g.get_state();
        if (state.numel() != STATE_BYTES) {
            return false;
        }
        ByteBuffer s = state.data_ptr_byte().capacity(STATE_BYTES).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int left = s.getInt(OFF_LEFT);
        long next = s.getLong(OFF_NEXT);
        if (s.getInt(OFF_SEEDED) == 0 || left < 1 || left > N || next < 0 || next > N) {
            return false;
        }
        Mt19937 mt = new Mt19937(s, left, (int) next);
        float scale = scale(keep);
        long n = noise.numel();
        FloatBuffer out = noise.data_ptr_float().capacity(n).asBuffer();
        mt.fill(out, n, threshold(q), scale);
        mt.store(s);
        g.set_state(state);
        return true;
    }

    /** @return ⌈q · 2^53⌉: u &lt; q ⟺ (r mod 2^53) &lt; this, for u = (r mod 2^53) · 2^−53 */
    static long threshold(double q) {
        return (long) Math.ceil(q * 0x1p53);
    }

    /** @return 1/q in float32 as libtorch's {@code div_} computes it for a kept element (1.0f divided by keep) */
    private static float scale(Scalar keep) {
        Tensor one = torch.ones(1);
        one.div_(keep);
        return one.item_float();
    }

    /**
     * libtorch's at::mt19937 (its state words, the index of the next word, the count left before a twist) and its
     * bulk use for Bernoulli draws. Every word of a block is tempered at once after a twist, and the twist runs on
     * shifted copies of the state, so that both are loops over equal indices of distinct arrays, which the JIT
     * compiles to vector instructions.
     */
    private static final class Mt19937 {
        private int[] state = new int[N];
        private int[] spare = new int[N];
        private final int[] tempered = new int[N];
        /** state shifted by one word, and the words x_{i+M} (old or new) the twist reads at index i */
        private final int[] plusOne = new int[N];
        private final int[] plusM = new int[N];
        private int left;
        private int next;

        Mt19937(ByteBuffer s, int left, int next) {
            for (int i = 0; i < N; i++) {
                state[i] = (int) s.getLong(OFF_WORDS + 8 * i);
            }
            this.left = left;
            this.next = next;
            temperAll();
        }

        void store(ByteBuffer s) {
            for (int i = 0; i < N; i++) {
                s.putLong(OFF_WORDS + 8 * i, state[i] & 0xFFFFFFFFL);
            }
            s.putInt(OFF_LEFT, left);
            s.putLong(OFF_NEXT, next);
        }

        /**
         * The MT19937 twist, x_i ← x_{i+M} ⊕ ((upper(x_i) | lower(x_{i+1})) ≫ 1) ⊕ (x_{i+1} odd ? A : 0), in
         * place in index order (x_{i+M} is already new for i ≥ N − M, x_0 is new for i = N − 1). The engine decrements
         * {@code left} before it looks, twists at 0, then serves word 0 with {@code left} = N; here a twisted block
         * is marked by left = N + 1, next = 0, so that the words left without a twist are always {@code left − 1}.
         */
        private void twist() {
            int[] p = state;
            int[] o = spare;
            int[] c = plusOne;
            int[] a = plusM;
            int h = N - M;
            System.arraycopy(p, 1, c, 0, N - 1);
            System.arraycopy(p, M, a, 0, h);
            step(p, c, a, o, 0, h);
            System.arraycopy(o, 0, a, h, h);
            step(p, c, a, o, h, 2 * h);
            System.arraycopy(o, h, a, 2 * h, N - 1 - 2 * h);
            step(p, c, a, o, 2 * h, N - 1);
            o[N - 1] = o[M - 1] ^ mix(p[N - 1], o[0]);
            state = o;
            spare = p;
            left = N + 1;
            next = 0;
            temperAll();
        }

        private static void step(int[] p, int[] c, int[] a, int[] o, int from, int to) {
            for (int i = from; i < to; i++) {
                o[i] = a[i] ^ (((p[i] & UPPER) | (c[i] & LOWER)) >>> 1) ^ (-(c[i] & 1) & MATRIX_A);
            }
        }

        private static int mix(int u, int v) {
            return (((u & UPPER) | (v & LOWER)) >>> 1) ^ (-(v & 1) & MATRIX_A);
        }

        private void temperAll() {
            int[] s = state;
            int[] t = tempered;
            for (int i = 0; i < N; i++) {
                int y = s[i];
                y ^= y >>> 11;
                y ^= (y << 7) & 0x9d2c5680;
                y ^= (y << 15) & 0xefc60000;
                t[i] = y ^ (y >>> 18);
            }
        }

        /** One output of the engine (the slow path across a twist). */
        private int one() {
            if (left == 1) {
                twist();
            }
            left--;
            return tempered[next++];
        }

        /**
         * Writes n draws into {@code out} (element i: scale when r_i mod 2^53 &lt; threshold, else 0) and advances
         * the engine by 2n outputs. With r mod 2^53 = 2^32 · (hi mod 2^21) + lo, the comparison is decided by the
         * high word alone unless hi mod 2^21 equals the threshold's high part (then by the low word).
         */
        void fill(FloatBuffer out, long n, long threshold, float scale) {
            int tHi = (int) (threshold >>> 32);
            long tLo = threshold & 0xFFFFFFFFL;
            int scaleBits = Float.floatToRawIntBits(scale);
            int len = (int) n;
            int k = 0;
            while (k < len) {
                int avail = left - 1;
                if (avail < 2) {
                    int hi = one() & 0x1FFFFF;
                    long lo = one() & 0xFFFFFFFFL;
                    out.put(k++, hi < tHi || (hi == tHi && lo < tLo) ? scale : 0f);
                    continue;
                }
                int[] t = tempered;
                int pairs = Math.min(avail >>> 1, len - k);
                int j = next;
                for (int e = k; e < k + pairs; e++, j += 2) {
                    int hi = t[j] & 0x1FFFFF;
                    int kept = (hi - tHi) >>> 31; // hi < tHi (both below 2^21)
                    if (hi == tHi) {
                        kept = (t[j + 1] & 0xFFFFFFFFL) < tLo ? 1 : 0;
                    }
                    out.put(e, Float.intBitsToFloat(scaleBits & -kept));
                }
                k += pairs;
                next = j;
                left -= 2 * pairs;
            }
        }
    }
}
