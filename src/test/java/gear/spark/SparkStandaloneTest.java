package gear.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.data.InvalidPolicy;
import gear.experiment.grid.Grid;
import gear.experiment.grid.GridConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark standalone cluster on this machine: a master and one worker, each its own JVM bound to 127.0.0.1
 * only, with this JVM as the driver. A two-cell grid and a 2,000-SMILES prediction run through it; the results
 * equal those of the local engine, and the tasks ran in an executor JVM that the worker started (a descendant
 * of the worker process, not this one).
 */
@Tag("spark-cluster")
class SparkStandaloneTest {
    static final String[] MODULE_FLAGS = {"--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
        "-Dio.netty.tryReflectionSetAccessible=true"};

    @Test
    void gridAndPredictionRunInTheWorkersExecutor(@TempDir Path dir) throws Exception {
        GridConfig cfg = SparkFixture.twoCells(dir.resolve("demo"), SparkFixture.FAKE);
        String expectedGrid = SparkFixture.localGrid(cfg, dir.resolve("local-grid"));
        Path model = SparkFixture.model(dir);
        Path in = SparkFixture.smiles2000(dir);
        List<String> expectedPreds = SparkFixture.localPredict(in, model, dir.resolve("local.csv"));

        Path home = dir.resolve("spark-home");
        Files.createDirectories(home.resolve("jars"));
        int masterPort = freePort();
        List<Process> started = new ArrayList<>();
        try {
            Process master = start(home, dir.resolve("master.log"), "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(freePort()));
            started.add(master);
            awaitPort(masterPort, master, dir.resolve("master.log"));
            String url = "spark://127.0.0.1:" + masterPort;
            Process worker = start(home, dir.resolve("worker.log"), "org.apache.spark.deploy.worker.Worker", url, "--host", "127.0.0.1",
                    "--cores", "2", "--memory", "2g", "--webui-port", Integer.toString(freePort()), "--work-dir",
                    dir.resolve("work").toString());
            started.add(worker);

            Map<String, String> props = Map.of("spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1",
                    "spark.executor.memory", "1g", "spark.executor.extraJavaOptions",
                    "-Dgear.spark.javacppCache=" + Path.of(System.getProperty("user.home"), ".javacpp", "cache"));
            props.forEach(System::setProperty);
            try (JavaSparkContext sc = SparkContexts.open(url, "gear standalone test")) {
                SparkCellLauncher launcher = new SparkCellLauncher(sc);
                Path out = dir.resolve("spark-grid");
                Grid.Outcome o = new Grid(cfg, out, SparkFixture.QUIET).plots(false).launcher(launcher).run();
                assertEquals(Map.of(), o.failed());
                assertEquals(expectedGrid, Files.readString(out.resolve("results.csv")));
                assertInExecutorOf(worker, launcher.taskPids());

                Path parts = dir.resolve("parts");
                SparkPredict.Job job = new SparkPredict.Job(in, model, null, "smiles", InvalidPolicy.SKIP, parts, url, 2);
                SparkPredict.Outcome p = SparkPredict.run(sc, job, SparkPredict.prepare(job));
                assertEquals(2000, p.rows());
                SparkFixture.assertSamePredictions(expectedPreds.subList(1, expectedPreds.size()),
                        SparkFixture.parts(parts, expectedPreds.get(0)));
                assertInExecutorOf(worker, p.executorPids());
            } finally {
                props.keySet().forEach(System::clearProperty);
            }
        } finally {
            for (Process p : started) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static void assertInExecutorOf(Process worker, Set<Long> pids) {
        assertFalse(pids.isEmpty());
        assertFalse(pids.contains(ProcessHandle.current().pid()), "tasks ran in the driver: " + pids);
        Set<Long> executors = new java.util.HashSet<>();
        worker.descendants().forEach(h -> executors.add(h.pid()));
        assertTrue(executors.containsAll(pids), "task pids " + pids + " not among the worker's children " + executors);
    }

    private static Process start(Path home, Path log, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m"));
        cmd.addAll(List.of(MODULE_FLAGS));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_LOCAL_HOSTNAME", "127.0.0.1");
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), () -> "master ended: " + read(log));
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("master did not open port " + port + ": " + read(log));
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            return "";
        }
    }
}
