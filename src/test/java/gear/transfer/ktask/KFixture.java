package gear.transfer.ktask;

import gear.chem.Chem;
import gear.chem.MolGraph;
import gear.data.StandardScaler;
import gear.train.TrainOptions;
import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Small generated molecules and labels for the k-task tests. */
final class KFixture {
    private static final String[] TOKENS = {"C", "CC", "O", "N", "C(C)", "C(=O)", "c1ccccc1", "C(O)", "CN", "Cl"};

    private KFixture() {}

    static List<MolGraph> graphs(int n, long seed) {
        Random r = new Random(seed);
        Set<String> out = new LinkedHashSet<>();
        while (out.size() < n) {
            StringBuilder sb = new StringBuilder("C");
            int k = 1 + r.nextInt(7);
            for (int j = 0; j < k; j++) {
                sb.append(TOKENS[r.nextInt(TOKENS.length)]);
            }
            out.add(sb.toString());
        }
        List<MolGraph> g = new ArrayList<>();
        for (String s : out) {
            try {
                g.add(Chem.featurize(s));
            } catch (Exception e) {
                throw new IllegalStateException(s, e);
            }
        }
        return g;
    }

    /** A label per molecule: a smooth function of its size and the task, NaN on a seeded share {@code missing}. */
    static float[] labels(List<MolGraph> g, int task, double missing, long seed) {
        Random r = new Random(seed);
        float[] y = new float[g.size()];
        for (int i = 0; i < y.length; i++) {
            double v = Math.sin(0.3 * g.get(i).nAtoms() + task) + 0.1 * g.get(i).nBonds() * (task + 1) - 1;
            y[i] = r.nextDouble() < missing ? Float.NaN : (float) v;
        }
        return y;
    }

    /** Small, fast options: hidden 32, d_z 8, d_M 12, batch 10, curvature on 4 molecules, Gauss route. */
    static TransferOptions small(int epochs) {
        return TransferOptions.defaults().with(TransferSchema.HIDDEN_SIZE, 32).with(TransferSchema.LATENT_SIZE, 8)
                .with(TransferSchema.COMMON_SIZE, 12).with(TransferSchema.MAP_HIDDEN, 12).with(TransferSchema.EPOCHS, epochs)
                .with(TrainOptions.BATCH_SIZE, 10).with(TrainOptions.WARMUP_EPOCHS, Math.min(2.0, epochs))
                .with(TransferSchema.PERTURB_SCALE, 0.1).with(TransferSchema.PERTURBATIONS, 2)
                .with(TransferSchema.CURV_SUBSET, 4).with(TransferSchema.CURV_ROUTE, "gauss")
                .with(TransferSchema.W_CURV, 0.1);
    }

    static StandardScaler unit() {
        return new StandardScaler(new double[] {0}, new double[] {1});
    }

    /**
     * k tasks over molecules drawn from one pool, overlapping: task τ takes molecules [10τ, 10τ + 30), labelled for
     * every task where the molecule is in that task's range; the last task is primary with validation molecules.
     */
    static KTaskData data(int k) {
        List<MolGraph> pool = graphs(10 * k + 40, 7);
        List<String> names = new ArrayList<>();
        List<List<MolGraph>> graphs = new ArrayList<>();
        List<float[][]> labels = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            names.add("p" + t);
            List<MolGraph> g = pool.subList(10 * t, 10 * t + 30);
            graphs.add(g);
            float[][] y = new float[k][];
            for (int s = 0; s < k; s++) {
                float[] ys = labels(g, s, 0.0, s);
                for (int i = 0; i < ys.length; i++) {
                    int m = 10 * t + i;
                    if (m < 10 * s || m >= 10 * s + 30) {
                        ys[i] = Float.NaN;
                    }
                }
                y[s] = ys;
            }
            labels.add(y);
        }
        List<MolGraph> val = pool.subList(10 * k + 30, 10 * k + 40);
        float[] vy = labels(val, k - 1, 0.0, 0);
        double[] v = new double[vy.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = vy[i];
        }
        return new KTaskData(names, k - 1, graphs, labels, val, v);
    }
}
