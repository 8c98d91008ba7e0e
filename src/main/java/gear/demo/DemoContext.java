package gear.demo;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Objects;

/** What the stages of one demo run share: settings, the result stream and the results so far. */
public final class DemoContext {
    private final Path outputDir;
    private final long seed;
    private final PrintWriter out;
    private DemoData.Result data;

    /**
     * @param outputDir where every stage writes its files
     * @param seed the run's seed (data generation, and later training)
     * @param out where stages print their results (stdout in the CLI)
     */
    public DemoContext(Path outputDir, long seed, PrintWriter out) {
        this.outputDir = Objects.requireNonNull(outputDir);
        this.seed = seed;
        this.out = Objects.requireNonNull(out);
    }

    /** @return the output directory */
    public Path outputDir() {
        return outputDir;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /** @return the result stream */
    public PrintWriter out() {
        return out;
    }

    /**
     * @return the data set written by the data stage
     * @throws IllegalStateException if the data stage has not run
     */
    public DemoData.Result data() {
        if (data == null) {
            throw new IllegalStateException("the demo's data stage has not run");
        }
        return data;
    }

    /** @param data the data set written by the data stage */
    public void setData(DemoData.Result data) {
        this.data = Objects.requireNonNull(data);
    }
}
