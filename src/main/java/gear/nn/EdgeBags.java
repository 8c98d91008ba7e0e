package gear.nn;

/**
 * The neighbourhood lists of a batch's directed-edge graph, in the layout of {@code torch.embedding_bag}
 * (concatenated indices plus the offset of each bag), so that every scatter-add of the D-MPNN becomes one
 * gather-sum of rows with no zero-filled target and no separate subtraction.
 *
 * <p>For directed edges uv (source u, target v, reverse vu), with in(v) = {wv} and out(u) = {uw}:
 * <ul>
 *   <li>{@code in}: bag v = in(v); Σ over it is the atom message m_v = Σ_{w→v} h_wv (readout);</li>
 *   <li>{@code out}: bag u = out(u); Σ over it of G_{H0} gives the W_i,x weight gradient's atom sums;</li>
 *   <li>{@code message}: bag uv = in(u) \ {vu}; Σ over it is chemprop's edge message
 *       m_uv = Σ_{w→u} h_wu − h_vu (Yang et al., JCIM 2019, eq. 2), summed without the reverse edge
 *       instead of adding it and subtracting it again;</li>
 *   <li>{@code messageT}: bag wu = out(u) \ {uw}, the transpose of {@code message}: the edges whose message
 *       reads h_wu, so G_{H}[wu] = Σ over it of G_M.</li>
 * </ul>
 * Bags list edges in increasing index order. Sizes: |in| = |out| = n_edges, |message| = |messageT| =
 * Σ_u deg(u)(deg(u) − 1), about 1.1 n_edges for organic molecules.
 *
 * @param inIndex edges of bag v of {@code in}, concatenated
 * @param inOffsets start of each atom's bag in {@code inIndex}
 * @param outIndex edges of bag u of {@code out}
 * @param outOffsets start of each atom's bag in {@code outIndex}
 * @param messageIndex edges of bag uv of {@code message}
 * @param messageOffsets start of each edge's bag in {@code messageIndex}
 * @param messageTIndex edges of bag wu of {@code messageT}
 * @param messageTOffsets start of each edge's bag in {@code messageTIndex}
 */
record EdgeBags(long[] inIndex, long[] inOffsets, long[] outIndex, long[] outOffsets, long[] messageIndex,
        long[] messageOffsets, long[] messageTIndex, long[] messageTOffsets) {

    /**
     * Builds the bags of a batch (plain arrays, no native calls).
     *
     * @param nAtoms atoms in the batch
     * @param source source atom of each directed edge
     * @param target target atom of each directed edge
     * @param reverse reverse edge of each directed edge
     */
    static EdgeBags of(int nAtoms, long[] source, long[] target, long[] reverse) {
        int nEdges = source.length;
        long[][] in = group(nAtoms, target);
        long[][] out = group(nAtoms, source);
        long[][] msg = exceptReverse(in, source, reverse, "message");
        long[][] msgT = exceptReverse(out, target, reverse, "messageT");
        assert in[0].length == nEdges && out[0].length == nEdges;
        return new EdgeBags(in[0], in[1], out[0], out[1], msg[0], msg[1], msgT[0], msgT[1]);
    }

    /** @return {edges grouped by {@code key} (stable), start of each group} */
    private static long[][] group(int nAtoms, long[] key) {
        long[] offsets = new long[nAtoms];
        int[] count = new int[nAtoms];
        for (long k : key) {
            count[(int) k]++;
        }
        for (int v = 1; v < nAtoms; v++) {
            offsets[v] = offsets[v - 1] + count[v - 1];
        }
        long[] index = new long[key.length];
        int[] fill = new int[nAtoms];
        for (int e = 0; e < key.length; e++) {
            int v = (int) key[e];
            index[(int) offsets[v] + fill[v]++] = e;
        }
        return new long[][] {index, offsets};
    }

    /**
     * Per edge uv, the group of atom {@code atomOf[uv]} without the reverse edge: {@code message} takes
     * in(u) \ {vu} ({@code atomOf} = source), {@code messageT} takes out(v) \ {vu} ({@code atomOf} = target).
     */
    private static long[][] exceptReverse(long[][] groups, long[] atomOf, long[] reverse, String name) {
        long[] index = groups[0];
        long[] starts = groups[1];
        int nEdges = atomOf.length;
        long total = 0;
        for (int e = 0; e < nEdges; e++) {
            total += size(starts, index.length, (int) atomOf[e]) - 1;
        }
        long[] bag = new long[(int) total];
        long[] offsets = new long[nEdges];
        int at = 0;
        for (int e = 0; e < nEdges; e++) {
            offsets[e] = at;
            int v = (int) atomOf[e];
            int from = (int) starts[v];
            int to = from + size(starts, index.length, v);
            long skip = reverse[e];
            for (int k = from; k < to; k++) {
                if (index[k] != skip) {
                    bag[at++] = index[k];
                }
            }
        }
        if (at != total) {
            throw new IllegalStateException(name + " bags: reverse edges do not pair up (" + at + " of " + total + " entries)");
        }
        return new long[][] {bag, offsets};
    }

    private static int size(long[] starts, int total, int v) {
        long end = v + 1 < starts.length ? starts[v + 1] : total;
        return (int) (end - starts[v]);
    }
}
