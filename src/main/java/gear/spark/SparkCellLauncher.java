package gear.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import gear.experiment.grid.CellKey;
import gear.experiment.grid.CellLauncher;
import gear.experiment.grid.CellRunners;
import gear.experiment.grid.Grid;
import gear.experiment.grid.GridConfig;
import gear.experiment.grid.Isolation;
import gear.experiment.grid.ResultRow;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;

/**
 * Runs a grid's cells on a Spark cluster: one Spark job of one task per cell, all submitted at once, so Spark
 * schedules them on free executor cores and retries a failed task ({@code spark.task.maxFailures}) on its own
 * without stopping the others. The task is the single-cell worker entry point: with process isolation (the default)
 * it starts {@link gear.experiment.grid.GridWorker} in a child JVM of the executor ({@link Grid#runChild}), with
 * thread isolation it runs the cell in the executor JVM ({@link Grid#runHere}). Either writes the cell's
 * {@code result.json} into the output directory, which must be on a filesystem shared by the driver and every
 * executor at the same path; resuming, fingerprints and the cell lock work as on one machine. The driver (the
 * {@link Grid} that calls {@link #runAll}) collects the rows and writes results, summary and plots.
 */
public final class SparkCellLauncher implements CellLauncher {
    private final String master;
    private final JavaSparkContext given;
    private final Set<Long> pids = ConcurrentHashMap.newKeySet();

    /** @param master the Spark master URL; a context of its own is opened and closed by {@link #runAll} */
    public SparkCellLauncher(String master) {
        this.master = master;
        this.given = null;
    }

    /** @param sc a context to use (not closed) */
    public SparkCellLauncher(JavaSparkContext sc) {
        this.master = null;
        this.given = sc;
    }

    /** @return the process ids of the JVMs whose tasks ran cells (executors; the driver in local mode) */
    public Set<Long> taskPids() {
        return Set.copyOf(pids);
    }

    @Override
    public void runAll(Grid grid, List<CellKey> todo, Listener listener) throws Exception {
        JavaSparkContext sc = given != null ? given : SparkContexts.open(master, "gear benchmark");
        try {
            sc.setLocalProperty("spark.job.description", "gear benchmark " + grid.dir());
            CellTask task = new CellTask(grid.dir().toString(), grid.config().toJson().toString());
            List<JavaFutureAction<List<String[]>>> jobs = new ArrayList<>();
            for (CellKey k : todo) {
                jobs.add(sc.parallelize(List.of(k.id()), 1).map(task).collectAsync());
            }
            for (int i = 0; i < todo.size(); i++) {
                CellKey k = todo.get(i);
                try {
                    String[] r = jobs.get(i).get().get(0);
                    pids.add(Long.parseLong(r[1]));
                    listener.finished(k, ResultRow.fromJson(new ObjectMapper().readTree(r[0])));
                } catch (ExecutionException e) {
                    listener.failed(k, rootMessage(e));
                }
            }
        } finally {
            if (given == null) {
                sc.close();
            }
        }
    }

    private static String rootMessage(Throwable e) {
        String m = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
        if (m == null) {
            return e.toString();
        }
        int nl = m.indexOf('\n');
        return nl > 0 ? m.substring(0, nl) : m;
    }

    /** The task: runs one cell on the executor and returns {result row JSON, executor pid}. */
    static final class CellTask implements Function<String, String[]>, Serializable {
        private static final long serialVersionUID = 1L;
        private final String dir;
        private final String config;

        /**
         * @param dir the grid's output directory
         * @param config the driver's grid configuration (JSON): carried with the task, not read from
         *     {@code dir/config.json}, which another driver on the same directory may have rewritten
         */
        CellTask(String dir, String config) {
            this.dir = dir;
            this.config = config;
        }

        @Override
        public String[] call(String cellId) throws Exception {
            Path d = Path.of(dir);
            GridConfig cfg = GridConfig.fromJson(new ObjectMapper().readTree(config));
            Grid g = new Grid(cfg, d, System.err);
            CellKey key = CellKey.parse(cellId);
            ResultRow row;
            if (cfg.isolation() == Isolation.PROCESS) {
                ExecutorState.initTorch(); // unpack the natives once per node, before the children load them
                row = g.runChild(key);
            } else {
                row = g.runHere(key, CellRunners.create(cfg.runnerClass()));
            }
            return new String[] {new ObjectMapper().writeValueAsString(row.toJson()), Long.toString(ProcessHandle.current().pid())};
        }
    }
}
