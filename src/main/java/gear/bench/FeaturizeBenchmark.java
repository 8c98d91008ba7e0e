package gear.bench;

import gear.chem.*;

import java.util.List;

/**
 * Throughput of parsing + featurization ({@link Chem#featurize}) on one thread: the caller's list of
 * SMILES is featurized once per pass; warm-up passes let the JIT compile the hot paths first.
 */
public final class FeaturizeBenchmark {
    private FeaturizeBenchmark() {}

    /**
     * One timed pass: wall-clock seconds and the CPU seconds of the benchmark thread (on a shared,
     * oversubscribed machine the latter shows what one uncontended core would do).
     */
    public record Pass(int pass, int molecules, int failed, double seconds, double cpuSeconds) {
        /** @return molecules per second (including failed ones, which were parsed too) */
        public double moleculesPerSecond() {
            return molecules / seconds;
        }

        /** @return the measurement as one JSON object */
        public String toJson() {
            return String.format(java.util.Locale.ROOT,
                    "{\"bench\":\"featurize\",\"pass\":%d,\"molecules\":%d,\"failed\":%d,\"seconds\":%.4f,"
                            + "\"molecules_per_second\":%.1f,\"cpu_seconds\":%.4f,\"molecules_per_cpu_second\":%.1f,"
                            + "\"threads\":1}",
                    pass, molecules, failed, seconds, moleculesPerSecond(), cpuSeconds, molecules / cpuSeconds);
        }
    }

    /**
     * Featurizes every SMILES once and times it.
     *
     * @param pass the pass number to record
     * @return the measurement; the checksum of atom counts defeats dead-code elimination
     */
    public static Pass run(List<String> smiles, int pass) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        int failed = 0;
        long atoms = 0;
        for (String s : smiles) {
            try {
                atoms += Chem.featurize(s).nAtoms();
            } catch (InvalidSmilesException e) {
                failed++;
            }
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
        if (atoms < 0) {
            throw new IllegalStateException("unreachable");
        }
        return new Pass(pass, smiles.size(), failed, sec, cpu);
    }
}
