package gear.train;

import gear.data.AtomicFiles;
import gear.data.BadInputException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The guard of a run directory that {@code gear train} and {@code gear transfer} hold for the run's lifetime
 * (used by the commands; library callers such as grid cells have locks of their own):
 *
 * <ul>
 *   <li>a directory that already holds a run (any of {@link #RUN_FILES}) is refused unless the run is forced
 *       ({@code --force}) or resumed ({@code --resume}), so nothing already written is replaced by accident;</li>
 *   <li>the lock file {@value #LOCK} holds an operating-system file lock for the run's lifetime and names its
 *       holder (process id, host, start time, command); a second run into the same directory is refused naming
 *       the holder. The operating system releases the lock when the holder dies however it dies (also kill -9),
 *       so a lock file left by a dead process is taken over;</li>
 *   <li>{@value #INCOMPLETE} ({@link #markIncomplete}) marks a run that began and has not yet written its last
 *       file; it stays when the run fails or is killed, and {@code gear report} shows such a directory as
 *       incomplete, never as a normal run.</li>
 * </ul>
 *
 * <p>All refusals are {@link BadInputException}s (exit 2) naming the directory.
 */
public final class RunGuard implements AutoCloseable {
    /** The lock file's name in the run directory. */
    public static final String LOCK = ".gear.lock";
    /** The marker of a run that has not finished (failed, killed or still running). */
    public static final String INCOMPLETE = "run.incomplete";
    /** Files whose presence means the directory holds a run. */
    public static final List<String> RUN_FILES = List.of(INCOMPLETE, "config.json", "model.gear", "metrics.csv",
            "splits.json", "test_predictions.csv", "test_metrics.json");

    /** Lock files this process holds, with their holder text. */
    private static final java.util.Map<Path, String> HELD = new java.util.HashMap<>();

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;
    private final String takenOver;

    private RunGuard(Path dir, FileChannel channel, FileLock lock, String takenOver) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
        this.takenOver = takenOver;
    }

    /**
     * Checks and locks a run directory before any work starts ({@link OutputDir#prepare} first).
     *
     * @param dir the run directory
     * @param force replace a run the directory holds
     * @param resume continue the run the directory holds
     * @param command the command, for the lock file
     * @throws BadInputException when the directory cannot be written, holds another run (neither forced nor
     *     resumed), or is locked by a live run (the message names its holder)
     */
    public static RunGuard acquire(Path dir, boolean force, boolean resume, String command) {
        OutputDir.prepare(dir);
        Path f = dir.resolve(LOCK);
        Path key = f.toAbsolutePath().normalize();
        synchronized (HELD) {
            // a second channel on a file this process has locked must not be opened and closed: on POSIX
            // systems closing any descriptor of a file releases every lock the process holds on it
            if (HELD.containsKey(key)) {
                throw new BadInputException("output directory " + dir + " is in use by another run ("
                        + HELD.get(key) + "); wait for it to end or choose another -o");
            }
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new BadInputException("output directory " + dir + ": cannot open the lock file " + f + " ("
                    + e.getMessage() + ")");
        }
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        } catch (IOException e) {
            close(ch);
            throw new BadInputException("output directory " + dir + ": cannot lock " + f + " (" + e.getMessage() + ")");
        }
        if (l == null) {
            String holder = read(f);
            close(ch);
            throw new BadInputException("output directory " + dir + " is in use by another run ("
                    + (holder.isEmpty() ? "holder unknown" : holder) + "); wait for it to end or choose another -o");
        }
        String stale = read(ch);
        RunGuard g = new RunGuard(dir, ch, l, stale.isEmpty() ? null : stale);
        if (!force && !resume) {
            for (String name : RUN_FILES) {
                if (Files.exists(dir.resolve(name))) {
                    g.close();
                    throw new BadInputException("output directory " + dir + (name.equals(INCOMPLETE)
                            ? " holds an unfinished run (" + name + "); use --resume to continue it, --force to "
                                    + "replace it, or choose another -o"
                            : " holds another run (" + name + "); use --force to replace it, --resume to continue "
                                    + "it, or choose another -o"));
                }
            }
        }
        removeStaleTemporaries(dir);
        try {
            String text = holder(command) + "\n";
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(true);
            synchronized (HELD) {
                HELD.put(key, text.trim());
            }
        } catch (IOException e) {
            g.close();
            throw new BadInputException("output directory " + dir + ": cannot write the lock file " + f + " ("
                    + e.getMessage() + ")");
        }
        return g;
    }

    /** @return the holder text of a lock left by a process that died (taken over), or null */
    public String takenOver() {
        return takenOver;
    }

    /** @return this process's holder text: pid, host, start time and command */
    static String holder(String command) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown host";
        }
        Instant start = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        return "pid " + ProcessHandle.current().pid() + " on " + host + ", started "
                + start.truncatedTo(ChronoUnit.SECONDS) + ", gear " + command;
    }

    /**
     * Writes {@value #INCOMPLETE} into a run directory: the run has begun and its files may be a mixture of this
     * run's and an earlier one's until {@link #markComplete} removes it.
     */
    public static void markIncomplete(Path dir, String command) throws IOException {
        AtomicFiles.writeString(dir.resolve(INCOMPLETE), "gear " + command + " began in this directory at "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " and has not finished (it failed, was killed, or"
                + " is running); its files may mix this run's and an earlier run's. Continue it with --resume.\n");
    }

    /** Removes {@value #INCOMPLETE}: every file of the run is written. */
    public static void markComplete(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve(INCOMPLETE));
    }

    /** Releases the lock and removes the lock file. */
    @Override
    public void close() {
        synchronized (HELD) {
            HELD.remove(dir.resolve(LOCK).toAbsolutePath().normalize());
        }
        try {
            Files.deleteIfExists(dir.resolve(LOCK));
        } catch (IOException e) {
            // the OS lock below is what counts; a leftover file is taken over by the next run
        }
        try {
            lock.release();
        } catch (IOException e) {
            // released with the channel
        }
        close(channel);
    }

    private static void close(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing to keep
        }
    }

    private static String read(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate((int) Math.min(4096, ch.size()));
            ch.read(b, 0);
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Removes the temporary files of atomic writes in the run directory (earlier versions' {@code .NAME.HEX.tmp} and
     * {@link gear.data.AtomicFiles}' {@code .NAME.HEX.SPACE.PID.tmp}) that a killed run left behind; called with the
     * lock held, so that no other writer owns them.
     */
    private static void removeStaleTemporaries(Path dir) {
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(x -> x.getFileName().toString().matches("\\..+\\.[0-9a-f]+\\.tmp")).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort: a leftover temporary file is harmless to the run
        }
    }
}
