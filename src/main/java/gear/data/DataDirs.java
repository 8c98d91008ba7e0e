package gear.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where named data sets live: {@code --data-dir} if given, else {@code $GEAR_DATA}, else
 * {@code ~/.cache/gear/datasets}.
 */
public final class DataDirs {
    /** Environment variable naming the data directory. */
    public static final String ENV = "GEAR_DATA";

    private DataDirs() {}

    /** @return the data directory for an optional {@code --data-dir} value and the process environment */
    public static Path resolve(Path option) {
        return resolve(option, System.getenv());
    }

    /** @return the data directory for an optional {@code --data-dir} value and the given environment */
    public static Path resolve(Path option, Map<String, String> env) {
        if (option != null) {
            return usable(option, "--data-dir");
        }
        String e = env.get(ENV);
        if (e != null && !e.isBlank()) {
            return usable(Paths.get(e), "$" + ENV);
        }
        return usable(defaultDir(), "the default data directory");
    }

    /**
     * @return {@code dir}, which may be absent (it is created when a data set is fetched into it)
     * @throws BadInputException if it exists but is not a directory
     */
    private static Path usable(Path dir, String source) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BadInputException(dir + ": " + source + " is a file, not a directory of data sets");
        }
        return dir;
    }

    /** @return {@code ~/.cache/gear/datasets} */
    public static Path defaultDir() {
        return Paths.get(System.getProperty("user.home"), ".cache", "gear", "datasets");
    }

    /** SHA-256 already verified per file, valid while the file's size and modification time stay. */
    private static final Map<Path, String> VERIFIED = new ConcurrentHashMap<>();

    /**
     * Checks a registry data set's local copy against the registry's SHA-256, so that a tampered or
     * damaged copy is never used under the data set's name.
     *
     * @throws ChecksumMismatchException naming the file, both hashes and how to restore it
     */
    static void verify(DatasetInfo info, Path file, Path dataDir) {
        try {
            String stamp = Files.size(file) + ":" + Files.getLastModifiedTime(file).toMillis() + ":" + info.sha256();
            Path key = file.toAbsolutePath().normalize();
            if (stamp.equals(VERIFIED.get(key))) {
                return;
            }
            String have = Hashing.sha256(file);
            if (!have.equalsIgnoreCase(info.sha256())) {
                throw new ChecksumMismatchException(file + ": the local copy of data set '" + info.name()
                        + "' has SHA-256 " + have + ", the registry says " + info.sha256()
                        + " (modified or damaged); restore it with: gear datasets get " + info.name() + " --data-dir "
                        + dataDir + ", or pass the file by its path to use it as it is", info.sha256(), have);
            }
            VERIFIED.put(key, stamp);
        } catch (java.io.IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Resolves a CSV argument: an existing file as given; otherwise a registry name (e.g.
     * {@code esol_delaney_logS}) or file name in the data directory.
     *
     * @param nameOrPath a path or a data set name
     * @param dataDir the data directory ({@link #resolve})
     * @throws BadInputException if neither exists, saying how to get a known data set, or (a
     *     {@link ChecksumMismatchException}) the local copy of a registry data set is not the
     *     registry's file
     */
    public static Path dataset(String nameOrPath, Path dataDir) {
        Path p = Paths.get(nameOrPath);
        if (Files.isRegularFile(p)) {
            return p;
        }
        var info = DatasetRegistry.load().find(nameOrPath);
        if (info.isPresent()) {
            Path f = dataDir.resolve(info.get().file());
            if (Files.isRegularFile(f)) {
                verify(info.get(), f, dataDir);
                return f;
            }
            throw new BadInputException("data set '" + info.get().name() + "' is not in " + dataDir
                    + "; fetch it with: gear datasets get " + info.get().name() + " --data-dir " + dataDir);
        }
        Path f = dataDir.resolve(nameOrPath);
        if (!p.isAbsolute() && Files.isRegularFile(f)) {
            return f;
        }
        throw new BadInputException(nameOrPath + ": no such file, and not a known data set name (see gear datasets list)");
    }
}
