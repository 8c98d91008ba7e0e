package gear.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.DataDirs;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options shared by the commands that train (CLI.md "Common options"); use as a picocli mixin:
 * {@code @CommandLine.Mixin CommonOptions common;}.
 *
 * <p>Values that a {@code config.json} can also hold are boxed and null when not given on the
 * command line, so that a command can layer them: its defaults, then {@code --config FILE}, then
 * the options given explicitly ({@link #explicit()}). Commands without a config file read them with
 * the {@code ...Or(default)} accessors.
 */
public final class CommonOptions {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "where named data sets are looked up (default: $GEAR_DATA, then ~/.cache/gear/datasets)")
    Path dataDir;

    @Option(names = "--seed", paramLabel = "N", description = "seed of splits, initialization and shuffling (default: 0)")
    Long seed;

    @Option(names = "--epochs", paramLabel = "N", description = "training epochs (default: 30)")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "N", description = "molecules per batch (default: 50)")
    Integer batchSize;

    @Option(names = "--threads", paramLabel = "N", description = "libtorch and OpenBLAS threads (default: 1; as in every command)")
    Integer threads;

    @Option(names = "--device", paramLabel = "cpu|cuda", description = "compute device (default: cpu)")
    String device;

    @Option(names = {"-q", "--quiet"}, description = "no progress output on stderr")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "debug output on stderr")
    boolean verbose;

    @Option(names = "--config", paramLabel = "FILE",
            description = "a config.json written by an earlier run; options given here override its values")
    Path config;

    /** @return the data directory ({@code --data-dir}, else {@code $GEAR_DATA}, else the default cache) */
    public Path dataDir() {
        return DataDirs.resolve(dataDir);
    }

    /** @return {@code --config}, or null */
    public Path config() {
        return config;
    }

    /** @return {@code -q} */
    public boolean quiet() {
        return quiet;
    }

    /** @return {@code -v} */
    public boolean verbose() {
        return verbose;
    }

    /** @return {@code --seed}, or {@code def} when not given */
    public long seedOr(long def) {
        return seed != null ? seed : def;
    }

    /** @return {@code --epochs}, or {@code def} when not given */
    public int epochsOr(int def) {
        return epochs != null ? epochs : def;
    }

    /** @return {@code --batch-size}, or {@code def} when not given */
    public int batchSizeOr(int def) {
        return batchSize != null ? batchSize : def;
    }

    /** @return {@code --threads}, or {@code def} when not given */
    public int threadsOr(int def) {
        return threads != null ? threads : def;
    }

    /** @return {@code --device}, or {@code def} when not given */
    public String deviceOr(String def) {
        return device != null ? device : def;
    }

    /**
     * @return the options given on the command line that a config file can hold, with snake_case
     *     keys ({@code seed, epochs, batch_size, threads, device}); absent when not given
     */
    public ObjectNode explicit() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        if (seed != null) {
            n.put("seed", seed);
        }
        if (epochs != null) {
            n.put("epochs", epochs);
        }
        if (batchSize != null) {
            n.put("batch_size", batchSize);
        }
        if (threads != null) {
            n.put("threads", threads);
        }
        if (device != null) {
            n.put("device", device);
        }
        return n;
    }
}
