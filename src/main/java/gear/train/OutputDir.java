package gear.train;

import gear.data.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The check every command that trains makes on its run directory before any work starts. */
public final class OutputDir {
    private OutputDir() {}

    /**
     * Checks that the run directory can be written: it is created when missing, must be a directory, and a
     * probe file must be writable in it (a real write, as permission bits say nothing for root).
     *
     * @throws BadInputException naming the directory and the problem
     */
    public static void prepare(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BadInputException("output directory " + dir + " is a file, not a directory");
        }
        try {
            Files.createDirectories(dir);
            Path probe = Files.createFile(gear.data.AtomicFiles.temporary(dir, "write-probe"));
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new BadInputException("output directory " + dir + " is not writable ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
    }
}
