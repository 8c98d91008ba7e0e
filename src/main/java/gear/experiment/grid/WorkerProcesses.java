package gear.experiment.grid;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The child JVMs of a grid run with {@link Isolation#PROCESS}, one per cell ({@link GridWorker}): their
 * command line, class path and environment, and the set of those still alive, which a shutdown hook
 * ({@link #destroyAll}) ends with this process.
 *
 * <p>A child's class path is this JVM's plus the jar or directory the gear classes came from (a Spark
 * executor loads the gear jar through its own class loader). It gets one libtorch thread (and one
 * OpenMP/OpenBLAS/MKL thread), gear's glibc allocator settings ({@link gear.nn.Malloc}), this JVM's
 * JavaCPP cache directory when one is set, appends its output to {@code worker.log}, and watches this
 * process through the pipe of its standard input ({@link GridWorker#watchParent}), so it ends when this
 * process ends, however that happens.
 */
final class WorkerProcesses {
    private final Path dir;
    private final Set<Process> children = ConcurrentHashMap.newKeySet();
    private List<String> jvmArgs = List.of();

    /** @param dir the grid's output directory (absolute) */
    WorkerProcesses(Path dir) {
        this.dir = dir;
    }

    /** @param args extra JVM arguments of the children (for example {@code -Xmx4g}) */
    void jvmArgs(List<String> args) {
        this.jvmArgs = List.copyOf(args);
    }

    /**
     * Starts the worker of one cell and waits for it.
     *
     * @param cd the cell's directory (existing)
     * @param config the grid configuration the child reads ({@link Grid#workerConfig})
     * @return the child's exit code
     */
    int run(CellKey key, Path cd, Path config) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Dgear.threads=1");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-D" + GridWorker.WATCH_PARENT + "=" + ProcessHandle.current().pid());
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) {
            cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache); // the natives this JVM unpacked (e.g. a Spark executor's)
        }
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", childClassPath(), GridWorker.class.getName(), dir.toString(), key.id(), config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        pb.environment().put("MKL_NUM_THREADS", "1");
        gear.nn.Malloc.apply(pb.environment()); // glibc reads them at the child's start; a user's own values are kept
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(cd.resolve("worker.log").toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.PIPE); // the child's watchdog: end of this pipe = this process ended
        Process p = pb.start();
        children.add(p);
        try {
            return p.waitFor();
        } finally {
            children.remove(p);
            p.getOutputStream().close();
        }
    }

    /** Ends the children still running (the body of the grid's shutdown hook). */
    void destroyAll() {
        children.forEach(Process::destroyForcibly);
    }

    /** @return this JVM's class path, preceded by the location of the gear classes when it is not on it */
    static String childClassPath() {
        String cp = System.getProperty("java.class.path", "");
        try {
            java.security.CodeSource src = GridWorker.class.getProtectionDomain().getCodeSource();
            if (src != null && src.getLocation() != null) {
                String own = Path.of(src.getLocation().toURI()).toString();
                if (!java.util.Arrays.asList(cp.split(java.io.File.pathSeparator)).contains(own)) {
                    return cp.isEmpty() ? own : own + java.io.File.pathSeparator + cp;
                }
            }
        } catch (java.net.URISyntaxException | IllegalArgumentException | SecurityException e) {
            // keep the class path as it is
        }
        return cp;
    }
}
