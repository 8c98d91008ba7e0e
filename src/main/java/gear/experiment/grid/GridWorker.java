package gear.experiment.grid;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;

/**
 * Child-process entry point of {@link Isolation#PROCESS} workers: {@code GridWorker OUT_DIR CELL_ID}
 * reads {@code OUT_DIR/config.json}, runs the one cell with a new instance of the configured runner and
 * writes its {@code result.json} (or {@code error.txt}). Exit code 0 on success, 1 on failure.
 */
public final class GridWorker {
    private GridWorker() {}

    /** @param args output directory and cell id */
    public static void main(String[] args) {
        int code = 1;
        try {
            if (args.length != 2) {
                throw new IllegalArgumentException("usage: GridWorker OUT_DIR CELL_ID");
            }
            Path dir = Path.of(args[0]);
            GridConfig cfg = GridConfig.fromJson(new ObjectMapper().readTree(dir.resolve("config.json").toFile()));
            Grid g = new Grid(cfg, dir, System.err);
            g.runHere(CellKey.parse(args[1]), CellRunners.create(cfg.runnerClass()));
            code = 0;
        } catch (Throwable t) {
            t.printStackTrace();
        }
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }
}
