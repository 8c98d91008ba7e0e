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
}
