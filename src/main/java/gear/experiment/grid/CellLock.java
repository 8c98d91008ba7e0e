package gear.experiment.grid;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock a worker holds on a cell while it runs it ({@code cells/<id>/.lock}, an operating-system file
 * lock, so it ends with the process however that ends), so that a cell taken by a live worker is not
 * started a second time by another run, array task or executor. The file holds the holder's process id
 * and host for the message. On network filesystems the lock is as good as their {@code fcntl} locking.
 */
public final class CellLock implements AutoCloseable {
    /** The lock file's name in the cell directory. */
    public static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private CellLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** A cell that another live worker is running. */
    public static final class BusyException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        BusyException(String message) {
            super(message);
        }
    }

    /**
     * Takes the lock of a cell directory.
     *
     * @throws BusyException when another live worker holds it
     */
    public static CellLock acquire(Path cellDir, String cellId) throws IOException {
        Files.createDirectories(cellDir);
        Path f = cellDir.resolve(FILE);
        FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            String holder;
            try {
                holder = Files.readString(f, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                holder = "?";
            }
            ch.close();
            throw new BusyException("cell " + cellId + " is being run by another live worker (" + (holder.isEmpty() ? "?" : holder)
                    + "); not starting it twice");
        }
        ch.truncate(0);
        ch.write(java.nio.ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + " on " + host() + "\n")
                .getBytes(StandardCharsets.UTF_8)), 0);
        return new CellLock(ch, l);
    }

    private static String host() {
        String h = System.getenv("HOSTNAME");
        return h == null || h.isBlank() ? "this host" : h;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
