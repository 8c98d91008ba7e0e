package gear.train;

import gear.data.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Files of a run directory as they were before a resumed run rewrote them, put back when the resume is refused
 * (a checkpoint written with other settings), so that a refused {@code --resume} leaves the run exactly as it was
 * ({@code gear train} and {@code gear transfer}): a file that existed gets its bytes back, one that did not is
 * removed again (the {@value RunGuard#INCOMPLETE} marker of a finished run).
 *
 * <pre>{@code
 * KeptFiles kept = KeptFiles.of(dir, resume, "config.json", "splits.json", RunGuard.INCOMPLETE);
 * ... write config.json, splits.json, the marker; train ...
 * Fit fit = kept.restoringIfRefused(() -> trainer.fit(data));
 * }</pre>
 */
public final class KeptFiles {
    /** The files, each with its bytes or null where it did not exist. */
    private final Map<Path, byte[]> files;

    /** Nothing kept: a run without a run directory. */
    public static final KeptFiles NONE = new KeptFiles(Map.of());

    /** Work that a refused resume may end ({@link #restoringIfRefused}). */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    private KeptFiles(Map<Path, byte[]> files) {
        this.files = files;
    }

    /**
     * Reads the named files of {@code dir} when {@code resume} (nothing otherwise: a fresh or forced run replaces
     * the directory's run on purpose).
     */
    public static KeptFiles of(Path dir, boolean resume, String... names) throws IOException {
        Map<Path, byte[]> m = new LinkedHashMap<>();
        if (resume) {
            for (String n : names) {
                Path f = dir.resolve(n);
                m.put(f, Files.isRegularFile(f) ? Files.readAllBytes(f) : null);
            }
        }
        return new KeptFiles(m);
    }

    /** Puts every kept file back as it was (atomically) and removes those that did not exist. */
    public void restore() throws IOException {
        for (Map.Entry<Path, byte[]> e : files.entrySet()) {
            if (e.getValue() == null) {
                Files.deleteIfExists(e.getKey());
            } else {
                AtomicFiles.write(e.getKey(), e.getValue());
            }
        }
    }

    /**
     * Runs the work; when it is refused with bad input (a checkpoint of other settings), puts the kept files back
     * ({@link #restoreOnto}) and rethrows the refusal.
     */
    public <T, E extends Exception> T restoringIfRefused(Work<T, E> work) throws E {
        try {
            return work.run();
        } catch (gear.data.BadInputException e) {
            restoreOnto(e);
            throw e;
        }
    }

    /** {@link #restore()}, a failure of which is added to {@code refusal} (the error the user sees) as suppressed. */
    public void restoreOnto(Throwable refusal) {
        try {
            restore();
        } catch (IOException | RuntimeException e) {
            refusal.addSuppressed(e);
        }
    }
}
