package gear.nn;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Accumulates wall-clock and thread CPU time per named phase of a training step, for profiling
 * ({@code gear bench train --profile}). {@link #start()} sets the clock; each {@link #lap(String)}
 * charges the time since the previous mark to the named phase. libtorch runs CPU kernels
 * synchronously on the calling thread (one intra-op thread), so the time of a phase is the time of
 * its tensor work. Not thread-safe: one timer per training thread.
 */
public final class PhaseTimer {
    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final boolean cpu = mx.isCurrentThreadCpuTimeSupported();
    private final Map<String, long[]> phases = new LinkedHashMap<>();
    private long wall;
    private long cpuNs;

    /** Sets the clock (the time until the next lap is charged to that lap's phase). */
    public void start() {
        wall = System.nanoTime();
        cpuNs = cpu ? mx.getCurrentThreadCpuTime() : 0;
    }

    /** Charges the time since the previous mark to {@code phase} and restarts the clock. */
    public void lap(String phase) {
        long w = System.nanoTime();
        long c = cpu ? mx.getCurrentThreadCpuTime() : 0;
        long[] acc = phases.computeIfAbsent(phase, k -> new long[3]);
        acc[0] += w - wall;
        acc[1] += c - cpuNs;
        acc[2]++;
        wall = w;
        cpuNs = c;
    }

    /** Forgets every phase (e.g. after warm-up epochs). */
    public void reset() {
        phases.clear();
    }

    /**
     * @return per phase, in first-seen order: {total wall seconds, total CPU seconds (NaN where thread CPU
     *     time is unsupported), number of laps}
     */
    public Map<String, double[]> totals() {
        Map<String, double[]> m = new LinkedHashMap<>();
        phases.forEach((k, v) -> m.put(k, new double[] {v[0] / 1e9, cpu ? v[1] / 1e9 : Double.NaN, v[2]}));
        return m;
    }
}
