package gear.experiment.grid;

import gear.data.BadInputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tables and summary of a grid run: {@code results.csv}, {@code results.json} ({@link ResultsFiles}) and
 * {@code summary.md} with its task-set comparison ({@link Summary}, {@link TaskSets}), rewritten from the
 * finished cells in grid order after every finished cell and at the end, and the check of a task-set grid's
 * pair cells against its finished k-task GEAR cells before anything runs.
 *
 * <p>One writer at a time: the cells of a pool finish on several threads.
 */
final class SummaryRefresh {
    private final GridConfig cfg;
    private final Path dir;

    SummaryRefresh(GridConfig cfg, Path dir) {
        this.cfg = cfg;
        this.dir = dir;
    }

    /**
     * Rewrites the results files and the summary.
     *
     * @param all the grid's cells, in grid order
     * @param done the finished cells' rows by cell id
     * @param input what the task-set comparison reads
     * @param plots also write the plots
     * @return the rows of the finished cells, in grid order
     */
    List<ResultRow> write(List<CellKey> all, Map<String, ResultRow> done, TaskSets.Input input, boolean plots) {
        List<ResultRow> rows = rows(all, done);
        try {
            synchronized (this) {
                ResultsFiles.write(dir, rows);
                Summary.write(cfg.taskType(), input, dir, rows, all.size(), plots, cfg.options());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return rows;
    }

    /**
     * Refuses, when the grid has task sets, pair cells (of this grid or {@code --pairs-from}) of another target split
     * or other options than the finished k-task GEAR cells, before anything runs (where no k-task GEAR cell has
     * finished yet, the summary reports it).
     *
     * @throws BadInputException the refusal of {@link TaskSets#compute}
     */
    void checkTaskSets(List<CellKey> all, Map<String, ResultRow> done, TaskSets.Input input) {
        if (cfg.pairs().stream().anyMatch(PairSpec::isTaskSet)) {
            String refusal = TaskSets.compute(rows(all, done), input, new gear.experiment.stats.Bootstrap(1, 1),
                    cfg.taskType()).refusal();
            if (refusal != null) {
                throw new BadInputException(refusal);
            }
        }
    }

    private static List<ResultRow> rows(List<CellKey> all, Map<String, ResultRow> done) {
        List<ResultRow> rows = new ArrayList<>();
        for (CellKey k : all) {
            ResultRow r = done.get(k.id());
            if (r != null) {
                rows.add(r);
            }
        }
        return rows;
    }
}
