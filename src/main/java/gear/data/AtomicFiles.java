package gear.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * Atomic file writes: the content goes to a temporary file in the target's directory, which is
 * flushed to disk ({@code fsync}) and then renamed over the target, so a reader, a crash or a full
 * disk never leaves a half-written file, and an earlier version is kept until the new one is
 * complete. A failed write removes its temporary file and names the target in its exception.
 *
 * <p>New files get the user's umask (the temporary file is created with the default mode, not the
 * 0600 of {@link Files#createTempFile}).
 */
public final class AtomicFiles {
    /** Writes a file's content to a stream. */
    @FunctionalInterface
    public interface Content {
        /** Writes the content; the stream is closed by the caller. */
        void writeTo(OutputStream out) throws IOException;
    }

    private static volatile UnaryOperator<OutputStream> faultInjection = UnaryOperator.identity();

    private AtomicFiles() {}

    /** Writes bytes to {@code file} atomically, creating parent directories. */
    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, out -> out.write(bytes));
    }

    /** Writes UTF-8 text to {@code file} atomically. */
    public static void writeString(Path file, String text) throws IOException {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code file} atomically from a stream, creating parent directories.
     *
     * @throws IOException naming {@code file} when it cannot be written (the earlier file, if any, is
     *     left as it was and no temporary file remains)
     */
    public static void write(Path file, Content content) throws IOException {
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, "is a directory (expected a file name)");
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                try (OutputStream out = new BufferedOutputStream(faultInjection.apply(Channels.newOutputStream(ch)), 1 << 16)) {
                    content.writeTo(out);
                    out.flush();
                    ch.force(true);
                }
            } catch (IOException e) {
                FileSystemException f = e instanceof AccessDeniedException
                        ? new AccessDeniedException(file.toString(), null, "cannot create a file in " + dir)
                        : new FileSystemException(file.toString(), null, e instanceof FileSystemException fs
                                ? "cannot create a file in " + dir + (fs.getReason() != null ? " (" + fs.getReason() + ")" : "")
                                : "cannot write: " + e.getMessage());
                f.initCause(e);
                throw f;
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Makes the rename durable where the platform allows opening a directory (Linux); else does nothing. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            // not supported here (e.g. Windows): the file itself is on disk already
        }
    }

    /**
     * For fault-injection tests only: wraps the stream of every later write (for example in one that
     * fails after some bytes, as a full disk does); {@code null} restores the plain stream.
     */
    public static void injectFaults(UnaryOperator<OutputStream> wrapper) {
        faultInjection = wrapper == null ? UnaryOperator.identity() : wrapper;
    }
}
