package gear;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared, read-only benchmark data and golden files beside the project
 * ({@code ../shared/data}, {@code ../shared/golden}). Tests that need them call {@link #data(String)}
 * or {@link #golden(String)}, which skip the test with a clear reason when the file is absent.
 */
public final class TestData {
    private TestData() {}

    /** @return the shared directory: system property gear.sharedDir, else ../shared */
    public static Path sharedDir() {
        String p = System.getProperty("gear.sharedDir");
        return (p != null ? Paths.get(p) : Paths.get("..", "shared")).toAbsolutePath().normalize();
    }

    /** @return the data directory: $GEAR_DATA, else shared/data */
    public static Path dataDir() {
        String env = System.getenv("GEAR_DATA");
        return env != null && !env.isBlank() ? Paths.get(env) : sharedDir().resolve("data");
    }

    /** @return the path of a shared data file; skips the test if it is absent */
    public static Path data(String file) {
        Path p = dataDir().resolve(file);
        Assumptions.assumeTrue(Files.isRegularFile(p),
                "skipped: benchmark data file " + p + " is absent (set GEAR_DATA or -Dgear.sharedDir)");
        return p;
    }

    /** @return the path of a golden reference file; skips the test if it is absent */
    public static Path golden(String file) {
        Path p = sharedDir().resolve("golden").resolve(file);
        Assumptions.assumeTrue(Files.isRegularFile(p),
                "skipped: golden reference file " + p + " is absent (set -Dgear.sharedDir)");
        return p;
    }
}
