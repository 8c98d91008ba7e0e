package gear.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.nn.SafeTensors;
import gear.nn.Tensors;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection for file writes: a disk that fills up in the middle of a write (simulated by a
 * stream that fails after some bytes) or a rename that cannot happen must leave the earlier file
 * exactly as it was and no temporary file behind; new files get the user's umask.
 */
@Tag("faults")
public class AtomicFilesFaultTest {
    @TempDir
    Path dir;

    /** A stream that accepts {@code budget} bytes and then fails as a full disk does. */
    public static final class DiskFull extends FilterOutputStream {
        private long budget;

        public DiskFull(OutputStream out, long budget) {
            super(out);
            this.budget = budget;
        }

        @Override
        public void write(int b) throws IOException {
            if (budget-- <= 0) {
                throw new IOException("No space left on device");
            }
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = 0; i < len; i++) {
                write(b[off + i]);
            }
        }
    }

    @AfterEach
    void noFaults() {
        AtomicFiles.injectFaults(null);
    }

    private List<String> entries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aWriterThatFailsHalfwayLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("results.csv");
        AtomicFiles.writeString(f, "old content\n");
        FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFiles.write(f, out -> {
            out.write("new half".getBytes());
            throw new IOException("No space left on device");
        }));
        assertEquals(f.toString(), e.getFile(), "the error names the target, not the temporary file");
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertEquals("old content\n", Files.readString(f));
        assertEquals(List.of("results.csv"), entries());
    }

    @Test
    void aDiskThatFillsUpLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path f = dir.resolve("big.csv");
        AtomicFiles.writeString(f, "old");
        AtomicFiles.injectFaults(out -> new DiskFull(out, 100_000));
        byte[] big = new byte[1 << 20];
        assertThrows(FileSystemException.class, () -> AtomicFiles.write(f, big));
        assertEquals("old", Files.readString(f));
        assertEquals(List.of("big.csv"), entries());
        AtomicFiles.injectFaults(null);
        AtomicFiles.write(f, big);
        assertArrayEquals(big, Files.readAllBytes(f));
    }

    @Test
    void aModelFileWriteThatRunsOutOfSpaceKeepsTheOldModel() throws IOException {
        Path f = dir.resolve("model.gear");
        SafeTensors.write(f, Map.of("w", Tensors.of(new float[] {1, 2, 3}, 3)), Map.of("format", "old"));
        byte[] before = Files.readAllBytes(f);
        AtomicFiles.injectFaults(out -> new DiskFull(out, 40));
        assertThrows(IOException.class,
                () -> SafeTensors.write(f, Map.of("w", Tensors.of(new float[] {4, 5, 6}, 3)), Map.of("format", "new")));
        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals(List.of("model.gear"), entries());
    }

    @Test
    void aRenameThatCannotHappenLeavesNoTemporaryFile() throws IOException {
        Path d = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(d.resolve("inside"), "keep");
        assertThrows(FileSystemException.class, () -> AtomicFiles.writeString(d, "x"));
        assertEquals("keep", Files.readString(d.resolve("inside")));
        assertEquals(List.of("taken"), entries());
    }

    /**
     * kill -9 in the middle of a write leaves the temporary file; a later run removes it (anywhere below the
     * directory), but never a live writer's (this process's, here) nor one written on another host or in another
     * container (another process-id space).
     */
    @Test
    void aKilledWritersTemporaryFileIsRemovedLaterButNoLiveOrForeignOne() throws Exception {
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor();
        String mine = AtomicFiles.temporary(dir, "results.csv").getFileName().toString();
        String[] parts = mine.split("\\.");
        assertEquals(String.valueOf(ProcessHandle.current().pid()), parts[parts.length - 2], mine);
        String dead = mine.replace("." + parts[parts.length - 2] + ".tmp", "." + p.pid() + ".tmp");
        assertEquals(12, parts[parts.length - 3].length(), mine);
        String foreign = dead.replace("." + parts[parts.length - 3] + ".", "." + (parts[parts.length - 3].equals("000000000000")
                ? "000000000001" : "000000000000") + ".");
        Path sub = Files.createDirectories(dir.resolve("cells").resolve("a"));
        for (Path d : List.of(dir, sub)) {
            for (String n : List.of(mine, dead, foreign, "notes.tmp")) {
                Files.writeString(d.resolve(n), "half");
            }
        }
        assertEquals(2, AtomicFiles.removeStale(dir));
        assertEquals(List.of(mine, foreign, "cells", "notes.tmp").stream().sorted().toList(), entries());
        try (Stream<Path> s = Files.list(sub)) {
            assertEquals(List.of(mine, foreign, "notes.tmp").stream().sorted().toList(),
                    s.map(x -> x.getFileName().toString()).sorted().toList());
        }
        assertEquals(0, AtomicFiles.removeStale(dir.resolve("absent")));
    }

    @Test
    void newFilesGetTheUsersUmaskNotOwnerOnly() throws IOException {
        Path plain = dir.resolve("plain");
        Files.newOutputStream(plain).close(); // created with 0666 & ~umask
        Path atomic = dir.resolve("atomic");
        AtomicFiles.writeString(atomic, "x");
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
        assertEquals(expected, Files.getPosixFilePermissions(atomic));
        assertTrue(expected.contains(PosixFilePermission.OWNER_READ) && expected.contains(PosixFilePermission.OWNER_WRITE));
    }
}
