package gear.train;

import gear.chem.Chem;
import gear.chem.MolGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small generated molecule sets with targets computed from their own graphs. */
final class Fixtures {
    private static final String[] TOKENS = {"C", "CC", "O", "N", "C(C)", "C(=O)", "c1ccccc1", "C(O)", "CN"};

    private Fixtures() {}

    /** @return n distinct-ish random SMILES built from valid chain tokens */
    static List<String> smiles(int n, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder("C");
            int k = 1 + r.nextInt(6);
            for (int j = 0; j < k; j++) {
                sb.append(TOKENS[r.nextInt(TOKENS.length)]);
            }
            out.add(sb.toString());
        }
        return out;
    }

    static List<MolGraph> graphs(List<String> smiles) {
        List<MolGraph> g = new ArrayList<>();
        for (String s : smiles) {
            try {
                g.add(Chem.featurize(s));
            } catch (Exception e) {
                throw new IllegalStateException("fixture SMILES " + s + ": " + e, e);
            }
        }
        return g;
    }

    /** Counts atoms of atomic number z (one-hot slot z−1 of the atom features). */
    static int count(MolGraph g, int z) {
        int c = 0;
        for (int a = 0; a < g.nAtoms(); a++) {
            if (g.atomFeatures()[a * MolGraph.ATOM_FDIM + z - 1] == 1f) {
                c++;
            }
        }
        return c;
    }

    /** Targets: [#C + 2 #O − #N] and, for two tasks, [#bonds] with every 5th value missing. */
    static double[][] targets(List<MolGraph> graphs, int tasks) {
        double[][] y = new double[graphs.size()][tasks];
        for (int i = 0; i < graphs.size(); i++) {
            MolGraph g = graphs.get(i);
            y[i][0] = count(g, 6) + 2 * count(g, 8) - count(g, 7);
            if (tasks > 1) {
                y[i][1] = i % 5 == 0 ? Double.NaN : g.nBonds();
            }
        }
        return y;
    }

    static GraphSet set(List<MolGraph> g, int tasks) {
        return new GraphSet(g, targets(g, tasks));
    }
}
