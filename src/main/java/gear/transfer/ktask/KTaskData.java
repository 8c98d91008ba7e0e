package gear.transfer.ktask;

import gear.chem.MolGraph;
import gear.transfer.PairData;
import java.util.List;

/**
 * The training data of a k-task run, featurized. Task τ has its own training molecules; each of them carries a
 * standardized label for every task σ where the same molecule has one (NaN = not labelled for σ).
 *
 * @param names the task names (columns), in task order
 * @param primary the index of the primary task: its training set defines an epoch, its validation score selects
 *     the epoch
 * @param graphs per task, its training molecules
 * @param labels per task τ, {@code labels.get(τ)[σ][i]}: the standardized σ-label of τ's i-th molecule
 * @param valGraphs the primary task's validation molecules
 * @param valY their values in original units
 * @param alsoEvaluated further evaluated tasks (targets besides the primary, or the sources of a pretraining
 *     phase) with their validation molecules; with any, the selection score is the mean over the evaluated
 *     tasks of the validation RMSE in standardized units ({@link KTaskObjective#validate})
 */
public record KTaskData(List<String> names, int primary, List<List<MolGraph>> graphs, List<float[][]> labels,
        List<MolGraph> valGraphs, double[] valY, List<Evaluated> alsoEvaluated) {

    /**
     * A task evaluated besides the primary one.
     *
     * @param task its index
     * @param valGraphs its validation molecules
     * @param valY their values in original units
     */
    public record Evaluated(int task, List<MolGraph> valGraphs, double[] valY) {
        public Evaluated {
            if (valGraphs.size() != valY.length) {
                throw new IllegalArgumentException("validation molecules and values differ in number");
            }
        }
    }

    /** Data with one evaluated task, the primary one. */
    public KTaskData(List<String> names, int primary, List<List<MolGraph>> graphs, List<float[][]> labels,
            List<MolGraph> valGraphs, double[] valY) {
        this(names, primary, graphs, labels, valGraphs, valY, List.of());
    }

    public KTaskData {
        alsoEvaluated = List.copyOf(alsoEvaluated);
        int k = names.size();
        if (k < 2) {
            throw new IllegalArgumentException("a k-task run needs at least 2 tasks, got " + k);
        }
        if (primary < 0 || primary >= k) {
            throw new IllegalArgumentException("primary task " + primary + " is not one of the " + k + " tasks");
        }
        if (graphs.size() != k || labels.size() != k) {
            throw new IllegalArgumentException("graphs and labels must have one entry per task");
        }
        for (int t = 0; t < k; t++) {
            if (labels.get(t).length != k) {
                throw new IllegalArgumentException("task " + names.get(t) + " needs a label row for each of the " + k
                        + " tasks");
            }
            for (float[] row : labels.get(t)) {
                if (row.length != graphs.get(t).size()) {
                    throw new IllegalArgumentException("task " + names.get(t) + ": labels and molecules differ in number");
                }
            }
        }
        for (Evaluated e : alsoEvaluated) {
            if (e.task() < 0 || e.task() >= k || e.task() == primary) {
                throw new IllegalArgumentException("evaluated task " + e.task() + " is not one of the " + k
                        + " tasks besides the primary one");
            }
        }
    }

    /** @return the evaluated tasks, the primary first */
    public List<Integer> evaluated() {
        List<Integer> e = new java.util.ArrayList<>();
        e.add(primary);
        alsoEvaluated.forEach(x -> e.add(x.task()));
        return e;
    }

    /** @return the number of tasks k */
    public int tasks() {
        return names.size();
    }

    /**
     * The two-task data as k = 2 data in the order (source, target), target primary: the layout under which
     * {@link KGear} reproduces the two-task GEAR.
     */
    public static KTaskData fromPair(PairData d, String sourceName, String targetName) {
        return new KTaskData(List.of(sourceName, targetName), 1, List.of(d.sourceGraphs(), d.targetGraphs()),
                List.of(new float[][] {d.sourceYs(), d.sourceYt()}, new float[][] {d.targetYs(), d.targetYt()}),
                d.valGraphs(), d.valY());
    }

    /**
     * Task {@code s} and the primary task as the two-task data of that pair, the inverse of {@link #fromPair} for
     * k = 2: s's molecules with their s- and primary labels, the primary's with theirs, the primary's validation set
     * (the data of each source's warm-start pretraining, {@link KTaskTrainer}).
     */
    public PairData pairData(int s) {
        float[][] ls = labels.get(s);
        float[][] lp = labels.get(primary);
        return new PairData(graphs.get(s), ls[s], ls[primary], graphs.get(primary), lp[primary], lp[s], valGraphs, valY);
    }
}
