package gear.chem;

import java.util.Arrays;

/**
 * Approximate CIP ranks of atoms, computed the way RDKit's legacy stereo perception does: start from
 * (atomic number, isotope) and refine iteratively by the sorted ranks of the neighbours (each counted
 * once per unit of bond order; implicit hydrogens count as the lowest rank) until the partition is stable.
 */
final class CipRanks {
    private CipRanks() {}

    /** @return rank per atom; higher rank = higher priority; equal ranks = indistinguishable */
    static int[] compute(Graph g, int[] z, int[] iso, int[] hs, int[] order, boolean[] aromatic) {
        int n = g.n;
        long[] inv = new long[n];
        for (int a = 0; a < n; a++) {
            inv[a] = (long) z[a] * 1000 + iso[a];
        }
        int[] rank = dense(inv, n);
        int classes = count(rank);
        for (int iter = 0; iter < n; iter++) {
            long[][] keys = new long[n][];
            for (int a = 0; a < n; a++) {
                int d = g.degree(a);
                int len = 0;
                for (int i = 0; i < d; i++) {
                    len += weight(g.neighbourBond(a, i), order, aromatic);
                }
                long[] nbr = new long[len + hs[a] * 2];
                int p = 0;
                for (int i = 0; i < d; i++) {
                    int w = weight(g.neighbourBond(a, i), order, aromatic);
                    for (int t = 0; t < w; t++) {
                        nbr[p++] = rank[g.neighbour(a, i)] + 1;
                    }
                }
                Arrays.sort(nbr);
                long[] key = new long[nbr.length + 1];
                key[0] = rank[a];
                for (int i = 0; i < nbr.length; i++) {
                    key[i + 1] = nbr[nbr.length - 1 - i];
                }
                keys[a] = key;
            }
            int[] next = denseRanks(keys);
            int c = n == 0 ? 0 : Arrays.stream(next).max().getAsInt() + 1;
            rank = next;
            if (c == classes) {
                break;
            }
            classes = c;
        }
        return rank;
    }

    private static int weight(int k, int[] order, boolean[] aromatic) {
        return aromatic[k] ? 3 : 2 * order[k];
    }

    private static int[] dense(long[] inv, int n) {
        long[] sorted = Arrays.stream(inv).sorted().distinct().toArray();
        int[] r = new int[n];
        for (int a = 0; a < n; a++) {
            r[a] = Arrays.binarySearch(sorted, inv[a]);
        }
        return r;
    }

    private static int count(int[] rank) {
        return (int) Arrays.stream(rank).distinct().count();
    }

    /**
     * Dense ranks of keys in lexicographic order: equal keys share a rank, ranks are 0, 1, 2, ... with
     * no gaps (the refinement step shared by CIP-like ranking and canonical ordering).
     */
    static int[] denseRanks(long[][] keys) {
        int n = keys.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (x, y) -> Arrays.compare(keys[x], keys[y]));
        int[] next = new int[n];
        int r = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && Arrays.compare(keys[idx[i]], keys[idx[i - 1]]) != 0) {
                r++;
            }
            next[idx[i]] = r;
        }
        return next;
    }
}
