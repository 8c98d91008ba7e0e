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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Atomic file writes: the content goes to a temporary file in the target's directory, which is
 * flushed to disk ({@code fsync}) and then renamed over the target, so a reader, a crash or a full
 * disk never leaves a half-written file, and an earlier version is kept until the new one is
 * complete. A failed write removes its temporary file and names the target in its exception.
 *
 * <p>New files get the user's umask (the temporary file is created with the default mode, not the
 * 0600 of {@link Files#createTempFile}).
 *
 * <p>A temporary file is named {@code .NAME.RANDOM.SPACE.PID.tmp}: the writer's process-id space (a hash of its host
 * name and process-id namespace) and process id, so that a process killed in the middle of a write (kill -9 runs no clean-up) leaves a file that a
 * later run can tell from a live writer's and remove ({@link #removeStale}).
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
        Path tmp = temporary(dir, file.getFileName().toString());
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

    /**
     * This process's part of its temporary files' names: {@code SPACE.PID}, SPACE a hash of the host name and the
     * process-id namespace, so that a process id is only ever judged where it means the same process.
     */
    private static final String OWNER = hostHash() + "." + ProcessHandle.current().pid();

    /** The name pattern of this class's temporary files; group 1 is the process-id space, group 2 the process id. */
    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.[0-9a-f]+\\.([0-9a-f]{12})\\.([0-9]+)\\.tmp");

    /**
     * A fresh temporary file name in {@code dir} for a file named {@code name}, of the form that
     * {@link #removeStale} recognizes once this process is dead. Nothing is created.
     */
    public static Path temporary(Path dir, String name) {
        return dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "." + OWNER + ".tmp");
    }

    /**
     * Removes, anywhere under {@code root} (symbolic links are not followed), the temporary files that writers of
     * this host and process-id namespace left when they died in the middle of a write: those whose process is no
     * longer alive. A live writer's files, this process's own, and files written on other hosts or in other
     * containers (a shared filesystem; their process ids mean other processes) are kept, so this is safe while other
     * runs write into the same directory. Best effort: what cannot be listed or removed stays, and the walk goes on.
     *
     * @return the number of files removed
     */
    public static int removeStale(Path root) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        String host = OWNER.substring(0, OWNER.indexOf('.'));
        int[] removed = {0};
        try {
            Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path p, java.nio.file.attribute.BasicFileAttributes a) {
                    Matcher m = TEMPORARY.matcher(p.getFileName().toString());
                    if (a.isRegularFile() && m.matches() && m.group(1).equals(host) && !alive(m.group(2))) {
                        try {
                            removed[0] += Files.deleteIfExists(p) ? 1 : 0;
                        } catch (IOException e) {
                            // best effort: a leftover temporary file is harmless to a run
                        }
                    }
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFileFailed(Path p, IOException e) {
                    return java.nio.file.FileVisitResult.CONTINUE; // removed meanwhile, or unreadable: go on
                }
            });
        } catch (IOException e) {
            // best effort
        }
        return removed[0];
    }

    private static boolean alive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true; // not ours to judge
        }
    }

    /**
     * A hash (12 hex digits) of this host's name and process-id namespace ({@code /proc/self/ns/pid} on Linux), so that
     * process ids are compared only where they name the same processes (not across hosts, nor across containers that
     * share a host name).
     */
    private static String hostHash() {
        String h;
        try {
            h = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim(); // Linux
        } catch (IOException | RuntimeException e) {
            h = System.getenv("HOSTNAME");
            if (h == null || h.isBlank()) {
                try {
                    h = java.net.InetAddress.getLocalHost().getHostName();
                } catch (IOException | RuntimeException e2) {
                    h = "localhost";
                }
            }
        }
        String ns = "";
        try {
            ns = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
        } catch (IOException | RuntimeException e) {
            // not Linux: the host name alone
        }
        byte[] d = Hashing.sha256().digest((h + "\n" + ns).getBytes(StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(d).substring(0, 12);
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
