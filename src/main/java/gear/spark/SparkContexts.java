package gear.spark;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Makes the {@link JavaSparkContext} of a gear command. The configuration starts from Spark's own defaults and every
 * {@code spark.*} Java system property (so {@code -Dspark.executor.memory=8g} in {@code GEAR_JAVA_OPTS} or
 * {@code spark-submit --conf} work as usual), then:
 *
 * <ul>
 *   <li>speculative execution is off (a cell or a part file must not run twice at once), whatever was asked;</li>
 *   <li>{@code spark.task.maxFailures} defaults to 4: a failed task is retried on another executor;</li>
 *   <li>the web UI is off unless asked for, and a {@code local[...]} master binds the driver to 127.0.0.1;</li>
 *   <li>executors get the gear classes: the gear jar through {@code spark.jars} when gear runs from a jar, otherwise
 *       (tests, an IDE) this JVM's class path as {@code spark.executor.extraClassPath}, which assumes the same paths
 *       on every node.</li>
 * </ul>
 *
 * <p>Spark's INFO logging goes to WARN through SLF4J (the CLI's one binding is slf4j-simple; Spark's log4j binding is
 * excluded at build time, see docs/SCALING.md).
 */
public final class SparkContexts {
    private SparkContexts() {}

    /**
     * @param master the master URL ({@code spark://host:7077}, {@code yarn}, {@code k8s://...}, {@code local[2]})
     * @param appName the application name
     */
    public static JavaSparkContext open(String master, String appName) {
        for (String logger : new String[] {"org.apache.spark", "org.sparkproject", "org.apache.hadoop", "io.netty"}) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
        SparkConf c = new SparkConf(true).setMaster(master).setAppName(appName);
        c.set("spark.speculation", "false");
        c.setIfMissing("spark.task.maxFailures", "4");
        c.setIfMissing("spark.ui.enabled", "false");
        // executors are JVMs gear starts too: glibc's allocator settings (read at process start), unless configured
        gear.nn.Malloc.defaults().forEach((k, v) -> c.setIfMissing("spark.executorEnv." + k, v));
        if (master.startsWith("local")) {
            c.setIfMissing("spark.driver.host", "127.0.0.1");
            c.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        Path own = ownLocation();
        if (own != null && Files.isRegularFile(own) && own.toString().endsWith(".jar")) {
            String jars = c.get("spark.jars", "");
            if (!jars.contains(own.getFileName().toString())) {
                c.set("spark.jars", jars.isEmpty() ? own.toString() : jars + "," + own);
            }
        } else if (!master.startsWith("local")) {
            c.setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        }
        return new JavaSparkContext(c);
    }

    /** @return the jar or class directory the gear classes were loaded from, or null */
    static Path ownLocation() {
        try {
            var src = SparkContexts.class.getProtectionDomain().getCodeSource();
            return src == null || src.getLocation() == null ? null : Path.of(src.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return null;
        }
    }
}
