package gear.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

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
            return option;
        }
        String e = env.get(ENV);
        if (e != null && !e.isBlank()) {
            return Paths.get(e);
        }
        return defaultDir();
    }

    /** @return {@code ~/.cache/gear/datasets} */
    public static Path defaultDir() {
        return Paths.get(System.getProperty("user.home"), ".cache", "gear", "datasets");
    }

    /**
     * Resolves a CSV argument: an existing file as given; otherwise a registry name (e.g.
     * {@code esol_delaney_logS}) or file name in the data directory.
     *
     * @param nameOrPath a path or a data set name
     * @param dataDir the data directory ({@link #resolve})
     * @throws BadInputException if neither exists, saying how to get a known data set
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
