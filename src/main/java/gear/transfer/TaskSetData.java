package gear.transfer;

import gear.chem.MolGraph;
import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.data.StandardScaler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The training data of a set of k tasks, each a data set with its property as its only target column, of which some
 * are evaluated (each split by its own {@link Split}) and the others are sources; the one code path of the two-task
 * runs ({@link TransferRun}: k = 2, the source, then the evaluated target) and the k-task runs
 * ({@code gear.transfer.ktask.KTaskRun}):
 * <ol>
 *   <li>every task loses each molecule whose canonical SMILES is in the test part of another evaluated task (a
 *       source: of any evaluated task), and with {@code purgeValidation} also each one in the validation part of
 *       another evaluated task ({@code source_purge validation}); an evaluated task trains on its training part
 *       only;</li>
 *   <li>molecules without a value for their task are left out of its training set; a source's unlabelled molecules
 *       in a purged part count as purged too;</li>
 *   <li>each property is standardized with a scaler fit on its training labels;</li>
 *   <li>a molecule carries the scaled labels of the other tasks where the same canonical SMILES has one among their
 *       training molecules (evaluated tasks' from their training parts only; the first molecule of a SMILES
 *       counts).</li>
 * </ol>
 *
 * @param splits the evaluated tasks' splits, validated against their data sets (order of {@code targets})
 * @param rows per task, the data-set positions of its training molecules, in data-set order
 * @param purged molecules removed because they are in the test part (or, purging validation, the validation part) of
 *     an evaluated task
 * @param scalers per task, the standardization of its property
 * @param graphs per task, its training molecules
 * @param labels per task τ, {@code labels[s][j]}: the scaled s-label of τ's training molecule j (NaN = none)
 */
public record TaskSetData(List<Split> splits, List<int[]> rows, int purged, List<StandardScaler> scalers,
        List<List<MolGraph>> graphs, List<float[][]> labels) {

    /**
     * @param targets the indices of the evaluated tasks
     * @param splits their splits (same order)
     * @param names the task names, for the message on an empty training set
     * @param allowEmpty whether a task may have no training molecule (false: refused)
     * @throws IllegalArgumentException when a task's training set is empty and that is not allowed
     */
    public static TaskSetData of(List<MoleculeDataset> datasets, List<Integer> targets, List<Split> splits,
            List<String> names, boolean allowEmpty) {
        return of(datasets, targets, splits, names, allowEmpty, false);
    }

    /**
     * @param purgeValidation whether the evaluated tasks' validation molecules are purged from the other tasks too
     * @see #of(List, List, List, List, boolean)
     */
    public static TaskSetData of(List<MoleculeDataset> datasets, List<Integer> targets, List<Split> splits,
            List<String> names, boolean allowEmpty, boolean purgeValidation) {
        int k = datasets.size();
        List<Split> valid = new ArrayList<>();
        List<Set<String>> testCanon = new ArrayList<>();
        for (int e = 0; e < targets.size(); e++) {
            MoleculeDataset d = datasets.get(targets.get(e));
            Split s = splits.get(e).validate(d.size());
            valid.add(s);
            Set<String> c = new HashSet<>();
            for (int i : s.test()) {
                c.add(d.canonicalSmiles(i));
            }
            if (purgeValidation) {
                for (int i : s.val()) {
                    c.add(d.canonicalSmiles(i));
                }
            }
            testCanon.add(c);
        }
        int purged = 0;
        List<int[]> rows = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            MoleculeDataset d = datasets.get(t);
            int own = targets.indexOf(t);
            List<Integer> keep = new ArrayList<>();
            int[] candidates = own >= 0 ? valid.get(own).train() : allRows(d.size());
            for (int i : candidates) {
                boolean inTest = false;
                for (int e = 0; e < targets.size(); e++) {
                    inTest |= e != own && testCanon.get(e).contains(d.canonicalSmiles(i));
                }
                boolean labelled = !Double.isNaN(d.target(i, 0));
                if (inTest && (labelled || own < 0)) { // a source's unlabelled test molecules count as purged too
                    purged++;
                } else if (!inTest && labelled) {
                    keep.add(i);
                }
            }
            rows.add(keep.stream().mapToInt(Integer::intValue).toArray());
        }
        List<StandardScaler> scalers = new ArrayList<>();
        List<Map<String, Double>> byCanon = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            MoleculeDataset d = datasets.get(t);
            int[] r = rows.get(t);
            if (r.length == 0 && !allowEmpty) {
                throw new IllegalArgumentException("the training set of task " + names.get(t) + " is empty");
            }
            double[][] y = new double[r.length][1];
            Map<String, Double> m = new HashMap<>();
            for (int j = 0; j < r.length; j++) {
                y[j][0] = d.target(r[j], 0);
                m.putIfAbsent(d.canonicalSmiles(r[j]), y[j][0]);
            }
            scalers.add(StandardScaler.fit(y));
            byCanon.add(m);
        }
        List<List<MolGraph>> graphs = new ArrayList<>();
        List<float[][]> labels = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            MoleculeDataset d = datasets.get(t);
            int[] r = rows.get(t);
            List<MolGraph> g = new ArrayList<>(r.length);
            float[][] y = new float[k][r.length];
            for (int j = 0; j < r.length; j++) {
                g.add(d.graph(r[j]));
                String canon = d.canonicalSmiles(r[j]);
                for (int s = 0; s < k; s++) {
                    Double v = s == t ? Double.valueOf(d.target(r[j], 0)) : byCanon.get(s).get(canon);
                    y[s][j] = v == null ? Float.NaN : (float) scalers.get(s).transform(v, 0);
                }
            }
            graphs.add(g);
            labels.add(y);
        }
        return new TaskSetData(List.copyOf(valid), List.copyOf(rows), purged, List.copyOf(scalers), List.copyOf(graphs),
                List.copyOf(labels));
    }

    /** @return the training-set size of each task */
    public int[] sizes() {
        return rows.stream().mapToInt(r -> r.length).toArray();
    }

    private static int[] allRows(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }
}
