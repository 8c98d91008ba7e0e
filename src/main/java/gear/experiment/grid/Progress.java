package gear.experiment.grid;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * Records each cell's end during a grid run, from any thread: a finished cell's row goes into the run's rows, a
 * {@code [n/total]} line with its test metric is printed and the tables are refreshed; a failed cell's message is
 * kept (the cell is retried on the next run) and printed with the path of its {@code error.txt}.
 */
final class Progress implements CellLauncher.Listener {
    private final Grid grid;
    private final PrintStream log;
    private final int total;
    private final Map<String, ResultRow> done;
    private final Map<String, String> failed;
    private final Runnable refresh;
    private int count;

    /**
     * @param todo the cells this run runs
     * @param done the finished cells' rows by id (concurrent), added to
     * @param failed the failed cells' messages by id (concurrent), added to
     * @param refresh rewrites the tables (without plots)
     */
    Progress(Grid grid, PrintStream log, List<CellKey> todo, Map<String, ResultRow> done, Map<String, String> failed,
            Runnable refresh) {
        this.grid = grid;
        this.log = log;
        this.total = todo.size();
        this.done = done;
        this.failed = failed;
        this.refresh = refresh;
    }

    @Override
    public void finished(CellKey k, ResultRow r) {
        done.put(k.id(), r);
        synchronized (this) {
            count++;
            log.printf(java.util.Locale.ROOT, "[%d/%d] %s: test %s %.4g%n", count, total, k.id(),
                    grid.config().taskType().metricLabel(), r.result().testRmse());
            refresh.run();
        }
    }

    @Override
    public void failed(CellKey k, String msg) {
        failed.put(k.id(), msg);
        log.println("cell " + k.id() + " FAILED: " + msg + " (see " + grid.cellDir(k).resolve("error.txt") + ")");
    }
}
