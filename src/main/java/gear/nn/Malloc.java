package gear.nn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The glibc allocator settings under which gear's JVMs run libtorch: the environment variables
 * {@value #TRIM} and {@value #MMAP}, both at {@value #THRESHOLD_BYTES} bytes (256 MiB).
 *
 * <p>Why: a training step allocates and frees several thousand native tensors (activations, gradients,
 * autograd nodes), many of them above glibc's initial mmap threshold of 128 KiB. By default glibc serves such
 * blocks with {@code mmap} and returns them with {@code munmap}, and it trims the top of its heap whenever more
 * than the trim threshold is free; glibc's dynamic threshold adapts to part of this, but the step still pays page
 * faults and system calls for memory it asks for again a few microseconds later. With both thresholds at
 * 256 MiB the freed blocks stay in the process's heap and are reused: a GEAR transfer step ran about 14 % faster
 * and an STL transfer step about 7 %, while the D-MPNN training step (which keeps its buffers across batches) and
 * the peak resident memory did not change measurably ({@code docs/PERFORMANCE.md}, section "glibc malloc
 * settings"). The arithmetic is the same: predictions, model tensors and per-epoch losses are byte-identical.
 *
 * <p>glibc reads these variables once, when the process starts: a running JVM cannot change its own
 * allocator. They are therefore set where gear starts a JVM: the {@code gear} launcher script (which exports
 * the same values) and {@link #apply(Map)} on the environment of every child JVM gear spawns (grid workers,
 * benchmark children). A value the user already set is kept, so {@code MALLOC_TRIM_THRESHOLD_=...} on the
 * command line still wins. Users who start {@code java -jar gear.jar} themselves set them in their shell.
 */
public final class Malloc {
    /** glibc's trim threshold: free memory at the top of the heap kept before it is returned to the system. */
    public static final String TRIM = "MALLOC_TRIM_THRESHOLD_";
    /** glibc's mmap threshold: blocks at least this large are served by {@code mmap}, not from the heap. */
    public static final String MMAP = "MALLOC_MMAP_THRESHOLD_";
    /** The value of both thresholds, 256 MiB. */
    public static final long THRESHOLD_BYTES = 268_435_456L;

    private Malloc() {}

    /** @return the variables and their values, in a fixed order */
    public static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(TRIM, Long.toString(THRESHOLD_BYTES));
        m.put(MMAP, Long.toString(THRESHOLD_BYTES));
        return m;
    }

    /**
     * The glibc allocator variables of an environment, for benchmark records.
     *
     * @param env e.g. {@link System#getenv()}
     * @return the {@code MALLOC_*} variables as {@code NAME=value}, sorted by name and space-separated, or
     *     {@code "glibc defaults"} when there are none
     */
    public static String describe(Map<String, String> env) {
        String s = env.entrySet().stream().filter(e -> e.getKey().startsWith("MALLOC_")).sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(" "));
        return s.isEmpty() ? "glibc defaults" : s;
    }

    /**
     * Adds the settings to a child process's environment (e.g. {@link ProcessBuilder#environment()}), keeping
     * every variable that is already there (a user's own value, inherited from this process).
     *
     * @param env the environment to complete, modified in place
     * @return {@code env}
     */
    public static Map<String, String> apply(Map<String, String> env) {
        defaults().forEach(env::putIfAbsent);
        return env;
    }
}
