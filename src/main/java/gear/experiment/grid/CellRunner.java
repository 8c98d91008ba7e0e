package gear.experiment.grid;

import java.nio.file.Path;

/**
 * Trains and evaluates one cell. Implementations must be deterministic for a given cell (seed the model
 * from {@link Cell#seed()} and, if they wish, {@link CellKey#fold()}), must not keep state between cells
 * that changes results, and need a public no-argument constructor: the grid instantiates them by class
 * name, in child JVMs when the workers are processes, and finds the default one with
 * {@link java.util.ServiceLoader} (see {@link CellRunners}).
 */
public interface CellRunner {
    /**
     * @param cell the cell with its resolved data and split
     * @param cellDir a directory of its own for extra outputs (model file, curves, predictions)
     * @return the measured metrics
     * @throws Exception on failure: the cell is recorded as failed and retried on the next run
     */
    CellResult run(Cell cell, Path cellDir) throws Exception;

    /**
     * Checks the grid's cell options (keys and values) before any cell runs; the default accepts any.
     *
     * @throws IllegalArgumentException naming an unknown key (and the closest valid one) or a bad value
     */
    default void checkOptions(java.util.Map<String, String> options) {}

    /**
     * The options a cell trains with, fully resolved: every option of the runner after its defaults and the
     * cell's options ({@link GridConfig#cellOptions}) are applied, as text. The cell's fingerprint
     * ({@link GridConfig#fingerprint(CellKey, CellRunner)}) covers this map, so a finished cell is reused exactly
     * when it would be trained with the same values, however they were given (a default, {@code --set}, the
     * protocol, tuned values), and a changed default in the code runs it again. The default returns the cell's
     * options unchanged (a runner without defaults of its own).
     *
     * @param pair the cell's pair
     * @param method the cell's method (an ablation variant's own name)
     * @param cellOptions the cell's options
     * @throws IllegalArgumentException for an unknown key or an invalid value
     */
    default java.util.Map<String, String> resolvedOptions(PairSpec pair, String method, java.util.Map<String, String> cellOptions) {
        return cellOptions;
    }

    /**
     * Whether the cell computes or reads a source pretraining that other cells of its (pair, split, fold, seed) share
     * through a cache, so that the grid runs its unit's other cells meanwhile instead of waiting ({@link CellQueue}).
     * Only the order of the cells depends on it; the default says no.
     *
     * @param pair the cell's pair
     * @param method the cell's method (an ablation variant's own name)
     * @param cellOptions the cell's options
     */
    default boolean sharesPretraining(PairSpec pair, String method, java.util.Map<String, String> cellOptions) {
        return false;
    }
}
