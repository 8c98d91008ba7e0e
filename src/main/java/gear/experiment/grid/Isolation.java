package gear.experiment.grid;

import java.util.Locale;

/**
 * How the grid's workers run cells.
 *
 * <p>{@link #PROCESS} (the default): each cell runs in a fresh child JVM ({@link GridWorker}), at most
 * {@code workers} at a time. libtorch's settings are process-global: the intra-op thread count, and the
 * default random generator that {@code manual_seed} seeds and that parameter initialization and dropout
 * draw from. Cells sharing one JVM on several threads would draw from that one generator in an
 * interleaving that depends on timing, so their results would not be reproducible; a child per cell has
 * its own generator and its own single-threaded libtorch ({@code -Dgear.threads=1},
 * {@code OMP_NUM_THREADS=1}), and a crash (or an out-of-memory kill) loses only that cell. The price is a
 * JVM start, a libtorch load and a data load per cell: seconds, against minutes of training.
 *
 * <p>{@link #THREAD}: cells run on Java threads of this JVM. Only for runners that use no process-global
 * random state (the tests' fake runners), or with one worker.
 */
public enum Isolation {
    /** Cells on threads of this JVM. */
    THREAD,
    /** Each cell in a child JVM. */
    PROCESS;

    /** Parses {@code thread} or {@code process}. */
    public static Isolation parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "thread", "threads" -> THREAD;
            case "process", "processes" -> PROCESS;
            default -> throw new IllegalArgumentException("unknown isolation '" + s + "': expected thread or process");
        };
    }
}
