package gear.experiment.grid;

import gear.data.MoleculeDataset;
import java.util.Map;

/**
 * One cell of the grid with its resolved inputs: everything a {@link CellRunner} needs to train and
 * evaluate one model.
 *
 * @param key the coordinates (pair, method, split type, fold, seed, noise fraction)
 * @param pair the pair definition
 * @param source the source molecules, already purged of every target-test molecule (canonical SMILES);
 *     one target: {@code sourceColumn}
 * @param sourceColumn the source value column
 * @param target the whole target data set (one target: {@code targetColumn}); the index arrays below are
 *     positions in it. For a noisy cell its labels at the {@code train} positions are corrupted (see
 *     {@link #noise()}); every other label is the clean one
 * @param targetColumn the target value column
 * @param train target training positions
 * @param val target validation positions (the cell's fold)
 * @param test target test positions (held out; the same for every fold of a split type and seed)
 * @param options method options: those of the command line ({@code epochs}, {@code batch_size}, {@code --set}
 *     pairs), for an ablation variant with its weight set to 0 ({@link Ablation#options})
 * @param noise the label corruption of the target's training rows, or null for a clean cell
 * @param trainRmse whether the runner should record the target training RMSE after every epoch
 *     ({@link GridConfig#trainRmse()})
 * @param moreSources a task set's further sources ({@link PairSpec#moreSources}, same order), whole (the k-task
 *     run purges them of the target's test molecules); empty for a pair
 */
public record Cell(CellKey key, PairSpec pair, MoleculeDataset source, String sourceColumn, MoleculeDataset target,
        String targetColumn, int[] train, int[] val, int[] test, Map<String, String> options, Noise noise, boolean trainRmse,
        java.util.List<MoleculeDataset> moreSources) {
    /** A cell of a pair. */
    public Cell(CellKey key, PairSpec pair, MoleculeDataset source, String sourceColumn, MoleculeDataset target,
            String targetColumn, int[] train, int[] val, int[] test, Map<String, String> options, Noise noise,
            boolean trainRmse) {
        this(key, pair, source, sourceColumn, target, targetColumn, train, val, test, options, noise, trainRmse,
                java.util.List.of());
    }

    public Cell {
        moreSources = java.util.List.copyOf(moreSources);
        train = train.clone();
        val = val.clone();
        test = test.clone();
        options = Map.copyOf(options);
    }

    /** A clean cell without training RMSE. */
    public Cell(CellKey key, PairSpec pair, MoleculeDataset source, String sourceColumn, MoleculeDataset target,
            String targetColumn, int[] train, int[] val, int[] test, Map<String, String> options) {
        this(key, pair, source, sourceColumn, target, targetColumn, train, val, test, options, null, false);
    }

    /**
     * What {@link gear.data.LabelNoise} did to a noisy cell's target training labels.
     *
     * @param fraction the fraction f of labelled training rows corrupted
     * @param sigma k, the shift in standard deviations of the clean training labels
     * @param corrupted the number of labels shifted, round(f · labelled training rows)
     * @param shift k·σ, the absolute shift (target units)
     * @param seed the seed of the row choice and signs
     */
    public record Noise(double fraction, double sigma, int corrupted, double shift, long seed) {}

    /** @return the cell id */
    public String id() {
        return key.id();
    }

    /** @return the method name (an ablation variant's own name, e.g. {@code gear-no-curv}) */
    public String method() {
        return key.method();
    }

    /** @return the seed */
    public long seed() {
        return key.seed();
    }
}
