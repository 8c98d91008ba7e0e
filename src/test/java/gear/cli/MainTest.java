package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {

    /** Captures stdout and stderr of an in-process CLI run. */
    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            var cl = Main.commandLine();
            cl.setOut(new java.io.PrintWriter(System.out, true));
            cl.setErr(new java.io.PrintWriter(System.err, true));
            int code = cl.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void helpListsEveryContractCommand() {
        Result r = run("--help");
        assertEquals(0, r.code());
        for (String c : new String[] {"demo", "train", "predict", "transfer", "benchmark", "curvature", "bench", "datasets"}) {
            assertTrue(r.out().contains(c), "--help lacks " + c + ":\n" + r.out());
        }
    }

    @Test
    void versionPrintsProjectVersion() {
        Result r = run("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("gear "), r.out());
        assertTrue(!r.out().contains("${"), "version not filtered: " + r.out());
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] c : new String[][] {{"demo"}, {"train"}, {"predict"}, {"transfer"}, {"benchmark"}, {"curvature"},
                {"bench", "featurize"}, {"bench", "train"}, {"bench", "curvature"}, {"datasets", "list"},
                {"datasets", "get"}, {"datasets", "check"}, {"datasets", "overlap"}, {"report"}}) {
            String[] args = java.util.Arrays.copyOf(c, c.length + 1);
            args[c.length] = "--help";
            assertEquals(0, run(args).code(), String.join(" ", args));
        }
    }

    @Test
    void unknownOptionIsBadUsage() {
        Result r = run("train", "--no-such-option");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no-such-option"), r.err());
    }

    @Test
    void missingCommandIsBadUsage() {
        assertEquals(2, run().code());
        assertEquals(2, run("bench").code());
    }
}
