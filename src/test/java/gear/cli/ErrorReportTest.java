package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.nn.Tensors;
import gear.nn.Torch;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Out-of-memory, libtorch and I/O failures become one line and the right exit code, never a trace. */
class ErrorReportTest {
    /** A command that fails the way it is told to. */
    @Command(name = "failing")
    static final class Failing implements Callable<Integer> {
        @Option(names = "--batch-size")
        int batchSize;

        @Option(names = "-i")
        java.nio.file.Path input;

        Callable<Integer> body;

        @Override
        public Integer call() throws Exception {
            return body.call();
        }
    }

    record Outcome(int code, String err) {}

    static Outcome run(Callable<Integer> body, String... args) {
        Failing f = new Failing();
        f.body = body;
        CommandLine cl = new CommandLine(f);
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> ErrorReport.handle(ex, cmd, parsed));
        int code = cl.execute(args);
        return new Outcome(code, err.toString());
    }

    private static void oneLine(Outcome o) {
        assertEquals(1, o.err().strip().lines().count(), o.err());
        assertFalse(o.err().contains("\tat "), o.err());
    }

    @Test
    void outOfMemoryIsOneLineNamingTheBoundingOptions() {
        Outcome o = run(() -> {
            throw new RuntimeException("wrapped", new OutOfMemoryError("Java heap space"));
        });
        assertEquals(1, o.code());
        oneLine(o);
        assertTrue(o.err().contains("out of memory (Java heap: Java heap space)") && o.err().contains("--batch-size")
                && o.err().contains("-Xmx"), o.err());
    }

    @Test
    void libtorchErrorsAreOneLineWithoutTheNativeFrames() {
        Torch.init(1);
        Outcome o = run(() -> {
            torch.mm(Tensors.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), Tensors.of(new float[] {1, 2}, 1, 2));
            return 0;
        });
        assertEquals(1, o.code());
        oneLine(o);
        assertTrue(o.err().contains("error inside libtorch"), o.err());
        assertFalse(o.err().contains("frame #"), o.err());
    }

    @Test
    void ioFailuresExitTwoNamingThePath() {
        Outcome o = run(() -> {
            throw new java.io.UncheckedIOException(new NoSuchFileException("/no/such/input.csv"));
        });
        assertEquals(2, o.code());
        oneLine(o);
        assertTrue(o.err().contains("/no/such/input.csv: no such file or directory"), o.err());
        // an I/O error that carries no path is reported with the files the command was given
        Outcome p = run(() -> {
            throw new java.nio.charset.MalformedInputException(1);
        }, "-i", "data.bin");
        assertEquals(2, p.code());
        assertTrue(p.err().contains("-i data.bin: not UTF-8 text"), p.err());
    }

    @Test
    void otherFailuresAreOneLine() {
        Outcome o = run(() -> {
            throw new IllegalStateException("something broke\nsecond line");
        });
        assertEquals(1, o.code());
        oneLine(o);
        assertTrue(o.err().contains("IllegalStateException: something broke"), o.err());
    }

    /**
     * A pretraining checkpoint of the cache that the phase refuses and that cannot be deleted (here a non-empty directory in
     * its place): exit 2, one line naming the file and what to do, the phase not run again.
     */
    @Test
    void anUndeletableRefusedPretrainingCheckpointIsNamedWithWhatToDo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        gear.transfer.PretrainCache cache = new gear.transfer.PretrainCache(dir.resolve("pretrain"));
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        java.nio.file.Path[] checkpoint = new java.nio.file.Path[1];
        Outcome o = run(() -> {
            cache.phase("key", null, "pretrain.ckpt", work -> {
                runs.incrementAndGet();
                checkpoint[0] = work.resolve("pretrain.ckpt");
                try {
                    java.nio.file.Files.createDirectories(checkpoint[0].resolve("in-the-way"));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                throw new gear.data.BadInputException(checkpoint[0] + ": checkpoint was written with other settings or data");
            });
            return 0;
        });
        assertEquals(2, o.code(), o.err());
        oneLine(o);
        assertEquals(1, runs.get(), "not run again over a checkpoint it could not delete");
        assertTrue(o.err().contains(checkpoint[0] + ": a checkpoint of the pretraining cache that this run refused"), o.err());
        assertTrue(o.err().contains("cannot delete (a directory, not empty); delete it by hand"), o.err());
        assertFalse(o.err().contains("DirectoryNotEmptyException"), o.err());
    }
}
