package gear.experiment.grid;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Child-process entry point of {@link Isolation#PROCESS} workers: {@code GridWorker OUT_DIR CELL_ID [CONFIG]}
 * reads the grid configuration its driver gave ({@link Grid#workerConfig}; without it {@code OUT_DIR/config.json},
 * which another driver on the same directory may have rewritten), runs the one cell with a new instance of the
 * configured runner and
 * writes its {@code result.json} (or {@code error.txt}). Exit code 0 on success, 1 on failure,
 * {@value #EXIT_BUSY} when another live worker holds the cell ({@link CellLock}).
 *
 * <p>With {@code -D}{@value #WATCH_PARENT}{@code =PID} the worker dies with its parent: a daemon thread
 * reads standard input, which the parent holds as a pipe; end of input (the parent ended, even by
 * {@code kill -9}) or the parent process gone ends this JVM at once.
 */
public final class GridWorker {
    /** System property naming the parent's process id; set by {@link Grid#runChild}. */
    public static final String WATCH_PARENT = "gear.worker.parentPid";
    /** Exit code when the cell is held by another live worker. */
    public static final int EXIT_BUSY = 75;
    /** Exit code when the parent ended before the cell did. */
    public static final int EXIT_ORPHANED = 143;

    private GridWorker() {}

    /** @param args output directory, cell id and, optionally, the grid configuration file */
    public static void main(String[] args) {
        watchParent();
        int code = 1;
        try {
            if (args.length != 2 && args.length != 3) {
                throw new IllegalArgumentException("usage: GridWorker OUT_DIR CELL_ID [CONFIG]");
            }
            Path dir = Path.of(args[0]);
            Path config = args.length == 3 ? Path.of(args[2]) : dir.resolve("config.json");
            GridConfig cfg = GridConfig.fromJson(new ObjectMapper().readTree(config.toFile()));
            Grid g = new Grid(cfg, dir, System.err);
            g.runHere(CellKey.parse(args[1]), CellRunners.create(cfg.runnerClass()));
            code = 0;
        } catch (CellLock.BusyException e) {
            System.err.println(e.getMessage());
            code = EXIT_BUSY;
        } catch (Throwable t) {
            t.printStackTrace();
        }
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /**
     * Starts the watchdog when {@value #WATCH_PARENT} is set: the JVM halts with {@value #EXIT_ORPHANED} when its
     * standard input ends (the parent's end of the pipe closed) or the parent process is no longer alive.
     */
    static void watchParent() {
        String pid = System.getProperty(WATCH_PARENT);
        if (pid == null || pid.isBlank()) {
            return;
        }
        Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(pid.trim()));
        Thread pipe = new Thread(() -> {
            InputStream in = System.in;
            try {
                while (in.read() >= 0) {
                    // the parent writes nothing; any byte is ignored
                }
            } catch (IOException e) {
                // a broken pipe is an ended parent too
            }
            orphaned("its parent's pipe closed");
        }, "gear-parent-pipe");
        pipe.setDaemon(true);
        pipe.start();
        Thread poll = new Thread(() -> {
            while (true) {
                if (parent.isEmpty() || !parent.get().isAlive()) {
                    orphaned("parent process " + pid + " ended");
                }
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "gear-parent-poll");
        poll.setDaemon(true);
        poll.start();
    }

    private static void orphaned(String why) {
        System.err.println("gear worker: " + why + "; stopping (the cell is left unfinished and runs again on the next run)");
        System.err.flush();
        Runtime.getRuntime().halt(EXIT_ORPHANED);
    }
}
