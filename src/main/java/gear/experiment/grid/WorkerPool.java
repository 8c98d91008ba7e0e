package gear.experiment.grid;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A grid's own worker pool ({@link GridConfig#workers()} threads): each thread runs cells in this JVM
 * ({@link Grid#runHere}, with a runner of its own) or, with {@link Isolation#PROCESS}, in a child JVM
 * ({@link Grid#runChild}), taking them in the order of a {@link CellQueue} (grid order, with the cells that wait for a
 * shared pretraining in progress put back). The children still running when this process exits are ended by a
 * shutdown hook.
 */
final class WorkerPool {
    private WorkerPool() {}

    /**
     * Runs the cells and returns when each has finished or failed.
     *
     * @param todo the cells, in grid order
     * @param listener told about each cell's end (a cell whose listener call throws is reported failed)
     * @param runner makes the runner of a worker thread (called once per thread; not for child JVMs)
     */
    static void run(Grid grid, WorkerProcesses children, PrintStream log, List<CellKey> todo,
            CellLauncher.Listener listener, Supplier<CellRunner> runner) throws InterruptedException {
        GridConfig cfg = grid.config();
        ThreadLocal<CellRunner> runners = ThreadLocal.withInitial(runner);
        ExecutorService pool = Executors.newFixedThreadPool(cfg.workers());
        Thread hook = new Thread(children::destroyAll);
        Runtime.getRuntime().addShutdownHook(hook);
        AtomicBoolean stop = new AtomicBoolean();
        try {
            Set<CellKey> sharing = new HashSet<>();
            for (CellKey k : todo) {
                if (grid.sharesPretraining(k)) {
                    sharing.add(k);
                }
            }
            CellQueue queue = new CellQueue(todo, sharing::contains);
            for (int w = 0; w < cfg.workers(); w++) {
                pool.submit(() -> {
                    while (!stop.get()) {
                        CellKey k = queue.next();
                        if (k == null) {
                            break;
                        }
                        // a stray interrupt left by the previous cell is not this one's (a pool thread clears it between
                        // tasks); an interrupt of shutdownNow comes with stop, and the cells not yet run are not run
                        Thread.interrupted();
                        if (stop.get()) {
                            break;
                        }
                        try {
                            ResultRow r = cfg.isolation() == Isolation.PROCESS ? grid.runChild(k) : grid.runHere(k, runners.get());
                            listener.finished(k, r);
                        } catch (Throwable e) {
                            listener.failed(k, e.getMessage() != null ? e.getMessage() : e.toString());
                        } finally {
                            queue.finished(k);
                        }
                    }
                    return null;
                });
            }
            pool.shutdown();
            while (!pool.awaitTermination(1, TimeUnit.HOURS)) {
                log.println("still running...");
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
    }
}
