package gear.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import gear.data.AtomicFiles;
import gear.data.BadInputException;
import gear.experiment.grid.CellKey;
import gear.experiment.grid.CellLock;
import gear.experiment.grid.CellRunners;
import gear.experiment.grid.Grid;
import gear.experiment.grid.GridConfig;
import gear.experiment.grid.ResultRow;
import gear.experiment.grid.ResultsFiles;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The scale-out options of {@code gear benchmark} (a picocli mixin): the grid on a Spark cluster
 * ({@code --engine spark --master URL}), and the scheduler-neutral entry points {@code --list-cells} (every cell id,
 * one per line, in grid order) and {@code --run-cell ID} (that one cell in this process, e.g. one Slurm array task;
 * no tables: a final {@code --summary-only} run writes them). See docs/SCALING.md.
 */
final class ScaleOptions {
    @Option(names = "--engine", defaultValue = "local", paramLabel = "local|spark",
            description = "local (default: this machine, --workers at once) or spark (one Spark task per cell; needs --master "
                    + "and an output directory on a filesystem shared with the executors).")
    String engine;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master URL for --engine spark (spark://host:7077, yarn, "
            + "k8s://..., local[N]).")
    String master;

    @Option(names = "--list-cells", description = "Print the id of every cell of the grid, one per line, and exit (for job arrays).")
    boolean listCells;

    @Option(names = "--run-cell", paramLabel = "ID", description = "Run only this cell in this process, write its result into "
            + "OUT/cells/ID, and exit (0 done or already done, 1 failed or taken by a live worker); see --list-cells.")
    String runCell;

    /**
     * Handles the options after the grid is configured.
     *
     * @return the exit code when the command is finished ({@code --list-cells}, {@code --run-cell}), or null to go on with
     *     the grid (with a Spark launcher set for {@code --engine spark})
     */
    Integer apply(GridConfig cfg, Grid grid, PrintWriter out, PrintWriter err) throws Exception {
        Engine e = Engine.parse(engine);
        if (listCells && runCell != null) {
            throw new IllegalArgumentException("--list-cells and --run-cell exclude each other");
        }
        if (e == Engine.SPARK && (listCells || runCell != null)) {
            throw new IllegalArgumentException("--list-cells and --run-cell are for schedulers other than Spark; drop --engine spark");
        }
        if (listCells) {
            for (CellKey k : cfg.cells()) {
                out.println(k.id());
            }
            out.flush();
            return 0;
        }
        if (runCell != null) {
            return runCell(cfg, grid, out, err);
        }
        if (e == Engine.SPARK) {
            if (master == null) {
                throw new IllegalArgumentException("--engine spark needs --master URL (e.g. spark://host:7077 or local[4])");
            }
            grid.launcher(new gear.spark.SparkCellLauncher(master));
        } else if (master != null) {
            throw new IllegalArgumentException("--master needs --engine spark");
        }
        return null;
    }

    private Integer runCell(GridConfig cfg, Grid grid, PrintWriter out, PrintWriter err) throws Exception {
        List<CellKey> cells = cfg.cells();
        CellKey key;
        try {
            key = CellKey.parse(runCell);
        } catch (IllegalArgumentException ex) {
            throw new BadInputException("--run-cell: " + ex.getMessage());
        }
        if (!cells.contains(key)) {
            throw new BadInputException("--run-cell: '" + runCell + "' is not a cell of this grid (" + cells.size()
                    + " cells; see --list-cells), e.g. " + cells.get(0).id());
        }
        AtomicFiles.writeString(grid.dir().resolve("config.json"),
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(cfg.toJson()) + "\n");
        ResultRow before = ResultsFiles.readCell(grid.cellDir(key));
        if (before != null && cfg.fingerprint(key).equals(before.fingerprint())) {
            out.println(key.id() + ": already finished (" + grid.cellDir(key).resolve(ResultsFiles.CELL_RESULT) + ")");
            out.flush();
            return 0;
        }
        try {
            ResultRow r = grid.runHere(key, CellRunners.create(cfg.runnerClass()));
            out.printf(java.util.Locale.ROOT, "%s: test %s %.4g -> %s%n", key.id(), cfg.taskType().metricLabel(), r.result().testRmse(),
                    grid.cellDir(key).resolve(ResultsFiles.CELL_RESULT));
            out.flush();
            return 0;
        } catch (CellLock.BusyException ex) {
            err.println("gear benchmark: " + ex.getMessage());
            err.flush();
            return Main.EXIT_FAILED;
        } catch (Exception ex) {
            err.println("gear benchmark: cell " + key.id() + " failed: " + ex.getMessage() + " (see "
                    + grid.cellDir(key).resolve("error.txt") + ")");
            err.flush();
            return Main.EXIT_FAILED;
        }
    }
}
