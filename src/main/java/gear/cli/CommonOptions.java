package gear.cli;

import gear.data.DataDirs;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options shared by the commands that train (CLI.md "Common options") that are not options of a run's
 * schema; use as a picocli mixin: {@code @CommandLine.Mixin CommonOptions common;}. The options a
 * {@code config.json} holds ({@code --seed, --epochs, --batch-size, --threads, --device}, the learning-rate
 * schedule and the model) are declared once as {@link gear.config.Opt}s ({@code gear.run.TrainConfig#SCHEMA})
 * and added by {@link SchemaOptions}.
 */
public final class CommonOptions {
    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "where named data sets are looked up (default: $GEAR_DATA, then ~/.cache/gear/datasets)")
    Path dataDir;

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
}
