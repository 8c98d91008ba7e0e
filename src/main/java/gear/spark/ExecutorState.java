package gear.spark;

import gear.nn.Torch;
import gear.run.Predictor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an executor JVM keeps between tasks: libtorch, loaded once, and the models, loaded once per executor.
 *
 * <p>Native libraries: JavaCPP unpacks libtorch (about 450 MB) into a cache directory on first use. On an executor
 * this is a node-local directory, {@value #CACHE_PROPERTY} if set (e.g. {@code -D} in
 * {@code spark.executor.extraJavaOptions}), else {@code org.bytedeco.javacpp.cachedir} if set, else
 * {@code java.io.tmpdir/gear-javacpp-USER}; several executors of one node share it, and the unpacking is serialized
 * by an exclusive file lock beside it, because JVMs unpacking at once race (one maps a library another is still
 * writing).
 */
final class ExecutorState {
    /** System property naming the node-local native cache of executors. */
    static final String CACHE_PROPERTY = "gear.spark.javacppCache";
    private static final Map<String, Predictor> MODELS = new ConcurrentHashMap<>();
    private static volatile boolean torch;

    private ExecutorState() {}

    /** Loads libtorch (one thread) once in this JVM, unpacking into the node-local cache under a file lock. */
    static void initTorch() {
        if (torch) {
            return;
        }
        synchronized (ExecutorState.class) {
            if (torch) {
                return;
            }
            org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
            if (env == null || "driver".equals(env.executorId())) {
                Torch.ensure(); // local mode: the driver's JVM, natives already set up there
                torch = true;
                return;
            }
            String dir = System.getProperty(CACHE_PROPERTY, System.getProperty("org.bytedeco.javacpp.cachedir"));
            if (dir == null) {
                dir = Path.of(System.getProperty("java.io.tmpdir"), "gear-javacpp-" + System.getProperty("user.name", "user"))
                        .toString();
            }
            System.setProperty("org.bytedeco.javacpp.cachedir", dir);
            try {
                Path d = Path.of(dir);
                Files.createDirectories(d);
                Path lockFile = d.resolveSibling(d.getFileName() + ".lock");
                try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock l = ch.lock()) {
                    Torch.init(1);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the native cache " + dir + ": " + e.getMessage(), e);
            }
            torch = true;
        }
    }

    /** @return the model of {@code file} (and {@code task}), loaded on first use in this JVM */
    static Predictor predictor(String file, String task) {
        initTorch();
        String key = file + "|" + task;
        return MODELS.computeIfAbsent(key, k -> Predictor.load(Path.of(file), task));
    }

    /** @return how many models this JVM has loaded (for tests) */
    static int modelsLoaded() {
        return MODELS.size();
    }
}
