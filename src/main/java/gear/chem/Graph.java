package gear.chem;

/**
 * A compact undirected graph (compressed adjacency) over the atoms of a featurized molecule, with the
 * ring queries the RDKit rules need.
 */
final class Graph {
    final int n;
    final int[] bondA;
    final int[] bondB;
    private final int[] start;
    private final int[] adj;
    private final int[] adjBond;

    /** @param n atom count; @param a first atom of each bond; @param b second atom of each bond */
    Graph(int n, int[] a, int[] b) {
        this.n = n;
        this.bondA = a;
        this.bondB = b;
        start = new int[n + 1];
        for (int k = 0; k < a.length; k++) {
            start[a[k] + 1]++;
            start[b[k] + 1]++;
        }
        for (int i = 0; i < n; i++) {
            start[i + 1] += start[i];
        }
        adj = new int[2 * a.length];
        adjBond = new int[2 * a.length];
        int[] fill = new int[n];
        for (int k = 0; k < a.length; k++) {
            int pa = start[a[k]] + fill[a[k]]++;
            adj[pa] = b[k];
            adjBond[pa] = k;
            int pb = start[b[k]] + fill[b[k]]++;
            adj[pb] = a[k];
            adjBond[pb] = k;
        }
    }

    /** @return number of neighbours of atom a */
    int degree(int a) {
        return start[a + 1] - start[a];
    }

    /** @return the i-th neighbour of a */
    int neighbour(int a, int i) {
        return adj[start[a] + i];
    }

    /** @return the bond to the i-th neighbour of a */
    int neighbourBond(int a, int i) {
        return adjBond[start[a] + i];
    }

    /** @return the bond between atoms a and b, -1 if they are not bonded */
    int bondIndex(int a, int b) {
        for (int i = start[a]; i < start[a + 1]; i++) {
            if (adj[i] == b) {
                return adjBond[i];
            }
        }
        return -1;
    }

    /** Copies the neighbours of a and the connecting bonds into the given arrays. */
    void neighbours(int a, int[] nb, int[] bonds) {
        int d = degree(a);
        System.arraycopy(adj, start[a], nb, 0, d);
        System.arraycopy(adjBond, start[a], bonds, 0, d);
    }

    /** @return for each bond, whether it lies on a cycle (is not a bridge) */
    boolean[] ringBonds() {
        int m = bondA.length;
        boolean[] inRing = new boolean[m];
        if (m < n) {
            // a forest has no ring bonds; cheap check for acyclic molecules (m < n per component is not enough alone)
            int comps = components();
            if (m == n - comps) {
                return inRing;
            }
        }
        int[] disc = new int[n];
        int[] low = new int[n];
        java.util.Arrays.fill(disc, -1);
        int[] stackAtom = new int[n];
        int[] stackEdge = new int[n];
        int[] stackPos = new int[n];
        boolean[] bridge = new boolean[m];
        int time = 0;
        for (int s = 0; s < n; s++) {
            if (disc[s] >= 0) {
                continue;
            }
            int sp = 0;
            stackAtom[0] = s;
            stackEdge[0] = -1;
            stackPos[0] = 0;
            disc[s] = low[s] = time++;
            while (sp >= 0) {
                int u = stackAtom[sp];
                if (stackPos[sp] < degree(u)) {
                    int i = stackPos[sp]++;
                    int v = neighbour(u, i);
                    int e = neighbourBond(u, i);
                    if (e == stackEdge[sp]) {
                        continue;
                    }
                    if (disc[v] < 0) {
                        disc[v] = low[v] = time++;
                        sp++;
                        stackAtom[sp] = v;
                        stackEdge[sp] = e;
                        stackPos[sp] = 0;
                    } else {
                        low[u] = Math.min(low[u], disc[v]);
                    }
                } else {
                    if (sp > 0) {
                        int p = stackAtom[sp - 1];
                        low[p] = Math.min(low[p], low[u]);
                        if (low[u] > disc[p]) {
                            bridge[stackEdge[sp]] = true;
                        }
                    }
                    sp--;
                }
            }
        }
        for (int k = 0; k < m; k++) {
            inRing[k] = !bridge[k];
        }
        return inRing;
    }

    private int components() {
        int[] comp = new int[n];
        java.util.Arrays.fill(comp, -1);
        int[] queue = new int[n];
        int c = 0;
        for (int s = 0; s < n; s++) {
            if (comp[s] >= 0) {
                continue;
            }
            int head = 0;
            int tail = 0;
            queue[tail++] = s;
            comp[s] = c;
            while (head < tail) {
                int u = queue[head++];
                for (int i = 0; i < degree(u); i++) {
                    int v = neighbour(u, i);
                    if (comp[v] < 0) {
                        comp[v] = c;
                        queue[tail++] = v;
                    }
                }
            }
            c++;
        }
        return c;
    }

    /** @return size of the smallest cycle through bond k (Integer.MAX_VALUE if none) */
    int smallestRingThrough(int k) {
        int s = bondA[k];
        int t = bondB[k];
        int[] dist = new int[n];
        java.util.Arrays.fill(dist, -1);
        int[] queue = new int[n];
        int head = 0;
        int tail = 0;
        queue[tail++] = s;
        dist[s] = 0;
        while (head < tail) {
            int u = queue[head++];
            for (int i = 0; i < degree(u); i++) {
                if (neighbourBond(u, i) == k) {
                    continue;
                }
                int v = neighbour(u, i);
                if (dist[v] < 0) {
                    dist[v] = dist[u] + 1;
                    if (v == t) {
                        return dist[v] + 1;
                    }
                    queue[tail++] = v;
                }
            }
        }
        return Integer.MAX_VALUE;
    }

    /** @return whether atom a lies on a cycle of at most the given size */
    boolean inSmallRing(int a, int size) {
        for (int i = 0; i < degree(a); i++) {
            if (smallestRingThrough(neighbourBond(a, i)) <= size) {
                return true;
            }
        }
        return false;
    }
}
