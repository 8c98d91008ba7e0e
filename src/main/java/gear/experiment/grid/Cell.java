package gear.experiment.grid;

import gear.data.MoleculeDataset;
import java.util.Map;

/**
 * One cell of the grid with its resolved inputs: everything a {@link CellRunner} needs to train and
 * evaluate one model.
 *
 * @param key the coordinates (pair, method, split type, fold, seed)
 * @param pair the pair definition
 * @param source the source molecules, already purged of every target-test molecule (canonical SMILES);
 *     one target: {@code sourceColumn}
 * @param sourceColumn the source value column
 * @param target the whole target data set (one target: {@code targetColumn}); the index arrays below are
 *     positions in it
 * @param targetColumn the target value column
 * @param train target training positions
 * @param val target validation positions (the cell's fold)
 * @param test target test positions (held out; the same for every fold of a split type and seed)
 * @param options method options from the command line ({@code epochs}, {@code batch_size}, {@code --set} pairs)
 */
public record Cell(CellKey key, PairSpec pair, MoleculeDataset source, String sourceColumn, MoleculeDataset target,
        String targetColumn, int[] train, int[] val, int[] test, Map<String, String> options) {
    public Cell {
        train = train.clone();
        val = val.clone();
        test = test.clone();
        options = Map.copyOf(options);
    }

    /** @return the cell id */
    public String id() {
        return key.id();
    }

    /** @return the method name */
    public String method() {
        return key.method();
    }

    /** @return the seed */
    public long seed() {
        return key.seed();
    }
}
