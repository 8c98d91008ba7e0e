package gear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The neighbour lists of the directed-edge graph, by hand on a chain and by brute force on rings. */
class EdgeBagsTest {
    @Test
    void chainByHand() {
        // 0 - 1 - 2: edges 0: 0→1, 1: 1→0, 2: 1→2, 3: 2→1
        BatchGraph.Arrays a = BatchGraph.arrays(List.of(DmpnnTest.chain()));
        EdgeBags g = EdgeBags.of(a.nAtoms(), a.edgeSource(), a.edgeTarget(), a.edgeReverse());
        assertArrayEquals(new long[] {1, 0, 3, 2}, g.inIndex());
        assertArrayEquals(new long[] {0, 1, 3}, g.inOffsets());
        assertArrayEquals(new long[] {0, 1, 2, 3}, g.outIndex());
        assertArrayEquals(new long[] {0, 1, 3}, g.outOffsets());
        // m_01 = {} (atom 0 has no other neighbour), m_10 = h_21, m_12 = h_01, m_21 = {}
        assertArrayEquals(new long[] {3, 0}, g.messageIndex());
        assertArrayEquals(new long[] {0, 0, 1, 2}, g.messageOffsets());
        // h_01 feeds m_12, h_21 feeds m_10
        assertArrayEquals(new long[] {2, 1}, g.messageTIndex());
        assertArrayEquals(new long[] {0, 1, 1, 1}, g.messageTOffsets());
    }

    @Test
    void definitionsAndTransposeOnABatch() {
        Random r = new Random(5);
        BatchGraph.Arrays a = BatchGraph.arrays(List.of(DmpnnTest.randomRing(6, r), DmpnnTest.empty(),
                DmpnnTest.chain(), DmpnnTest.randomRing(4, r)));
        long[] src = a.edgeSource();
        long[] tgt = a.edgeTarget();
        long[] rev = a.edgeReverse();
        int n = src.length;
        EdgeBags g = EdgeBags.of(a.nAtoms(), src, tgt, rev);
        List<Set<Long>> message = bags(g.messageIndex(), g.messageOffsets());
        List<Set<Long>> messageT = bags(g.messageTIndex(), g.messageTOffsets());
        List<Set<Long>> in = bags(g.inIndex(), g.inOffsets());
        List<Set<Long>> out = bags(g.outIndex(), g.outOffsets());
        for (int v = 0; v < a.nAtoms(); v++) {
            Set<Long> wantIn = new TreeSet<>();
            Set<Long> wantOut = new TreeSet<>();
            for (long e = 0; e < n; e++) {
                if (tgt[(int) e] == v) {
                    wantIn.add(e);
                }
                if (src[(int) e] == v) {
                    wantOut.add(e);
                }
            }
            assertEquals(wantIn, in.get(v), "in(" + v + ")");
            assertEquals(wantOut, out.get(v), "out(" + v + ")");
        }
        for (int e = 0; e < n; e++) {
            Set<Long> want = new TreeSet<>();
            Set<Long> wantT = new TreeSet<>();
            for (long f = 0; f < n; f++) {
                if (tgt[(int) f] == src[e] && f != rev[e]) {
                    want.add(f); // f = wu feeds m_uv
                }
                if (src[(int) f] == tgt[e] && f != rev[e]) {
                    wantT.add(f); // e = wu feeds m_f for f = uv, v ≠ w
                }
            }
            assertEquals(want, message.get(e), "message(" + e + ")");
            assertEquals(wantT, messageT.get(e), "messageT(" + e + ")");
            for (long f : message.get(e)) {
                assertEquals(true, messageT.get((int) f).contains((long) e), "transpose of " + f + " → " + e);
            }
        }
    }

    private static List<Set<Long>> bags(long[] index, long[] offsets) {
        List<Set<Long>> out = new ArrayList<>();
        for (int b = 0; b < offsets.length; b++) {
            long end = b + 1 < offsets.length ? offsets[b + 1] : index.length;
            Set<Long> s = new TreeSet<>();
            for (long k = offsets[b]; k < end; k++) {
                assertEquals(true, s.add(index[(int) k]), "duplicate in bag " + b);
            }
            out.add(s);
        }
        return out;
    }

    /**
     * In a scope, the bags are made on first request only; made inside a scope nested in the batch's, they
     * still belong to the batch's scope and outlive the nested one. Outside any scope they are made at once.
     */
    @Test
    void stepIndexIsLazyAndOwnedByTheBatchScope() {
        Torch.init(1);
        Random r = new Random(7);
        try (org.bytedeco.javacpp.PointerScope outer = new org.bytedeco.javacpp.PointerScope()) {
            BatchGraph.Arrays a = BatchGraph.arrays(List.of(DmpnnTest.randomRing(5, r), DmpnnTest.chain()));
            BatchGraph b = BatchGraph.of(a, org.bytedeco.pytorch.global.torch.ScalarType.Float);
            org.junit.jupiter.api.Assertions.assertFalse(b.hasStepIndex());
            try (org.bytedeco.javacpp.PointerScope inner = new org.bytedeco.javacpp.PointerScope()) {
                b.messageBags();
            }
            org.junit.jupiter.api.Assertions.assertTrue(b.hasStepIndex());
            System.gc();
            EdgeBags g = EdgeBags.of(a.nAtoms(), a.edgeSource(), a.edgeTarget(), a.edgeReverse());
            assertArrayEquals(g.messageIndex(), Tensors.toLongs(b.messageBags()[0]));
            assertArrayEquals(g.inOffsets(), Tensors.toLongs(b.inBags()[1]));
            assertEquals(a.nAtoms(), b.moleculeBags()[0].size(0));
        }
        // made outside any scope (a builder thread): complete at once
        BatchGraph ahead = BatchGraph.of(BatchGraph.arrays(List.of(DmpnnTest.chain())), org.bytedeco.pytorch.global.torch.ScalarType.Float);
        org.junit.jupiter.api.Assertions.assertTrue(ahead.hasStepIndex());
    }
}
