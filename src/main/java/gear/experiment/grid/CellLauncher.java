package gear.experiment.grid;

import java.util.List;

/**
 * Runs a grid's unfinished cells somewhere else than on {@link Grid}'s own worker pool, for example as
 * tasks of a Spark cluster ({@code gear.spark.SparkCellLauncher}). Every cell still runs through
 * {@link Grid#runHere} or {@link Grid#runChild} on the machine that takes it, writing its
 * {@code result.json} into the (shared) output directory; the grid's driver collects the rows and
 * writes the tables.
 */
public interface CellLauncher {
    /** Receives each cell's end; may be called from any thread. */
    interface Listener {
        /** @param row the cell's result row */
        void finished(CellKey key, ResultRow row);

        /** @param message why the cell failed (it is retried on the next run) */
        void failed(CellKey key, String message);
    }

    /**
     * Runs the cells and returns when every one has finished or failed.
     *
     * @param grid the grid (its configuration is already in {@code config.json} of its directory)
     * @param todo the cells to run, in grid order
     * @param listener told about each cell
     */
    void runAll(Grid grid, List<CellKey> todo, Listener listener) throws Exception;
}
