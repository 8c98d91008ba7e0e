package gear.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.TestData;
import gear.run.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gear train --from MODEL --resume}: the frozen layers are part of the run's checkpoint fingerprint. */
class TrainFromResumeTest {
    static List<String> train(Path csv, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "-i", csv.toString(), "-t", "logS_exp_molL", "-o", out.toString(),
                "--epochs", "3", "--cache-dir", "none", "-q"));
        a.addAll(Arrays.asList(extra));
        return a;
    }

    static MainTest.Result run(List<String> args) {
        return MainTest.run(args.toArray(String[]::new));
    }

    @Test
    void aResumeWithOtherFreezeSettingsIsRefusedAndTheSameOnesGoOn(@TempDir Path dir) throws Exception {
        List<String> lines = Files.readAllLines(TestData.data("esol_delaney_logS.csv"));
        Path csv = dir.resolve("esol120.csv");
        Files.write(csv, lines.subList(0, 121));
        assertEquals(0, run(train(csv, dir.resolve("base"), "--hidden-size", "32", "--seed", "1")).code());
        String base = dir.resolve("base").resolve(RunDirectory.MODEL).toString();

        // one interrupted run; each refused resume leaves its config.json and splits.json as they were
        Path run = dir.resolve("run");
        assertEquals(1, run(train(csv, run, "--from", base, "--freeze-ffn-layers", "1", "--interrupt-after", "1")).code());
        byte[] config = Files.readAllBytes(run.resolve(RunDirectory.CONFIG));
        byte[] splits = Files.readAllBytes(run.resolve(RunDirectory.SPLITS));
        for (String[] other : List.of(new String[] {"--freeze-ffn-layers", "1", "--freeze-encoder"},
                new String[] {"--freeze-ffn-layers", "2"})) {
            List<String> args = train(csv, run, "--from", base, "--resume");
            args.addAll(Arrays.asList(other));
            MainTest.Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", other) + ": " + r.err());
            assertTrue(r.err().contains("checkpoint was written with other settings"), r.err());
            assertArrayEquals(config, Files.readAllBytes(run.resolve(RunDirectory.CONFIG)), "config.json kept");
            assertArrayEquals(splits, Files.readAllBytes(run.resolve(RunDirectory.SPLITS)), "splits.json kept");
        }
        // the run's own settings (from its config.json) go on to the end
        MainTest.Result r = run(List.of("train", "--resume", "-o", run.toString(), "-q", "--cache-dir", "none"));
        assertEquals(0, r.code(), r.err());
        assertEquals(4, Files.readAllLines(run.resolve(RunDirectory.METRICS)).size());
    }

    @Test
    void aRefusedResumeOfAFinishedRunLeavesItFinished(@TempDir Path dir) throws Exception {
        List<String> lines = Files.readAllLines(TestData.data("esol_delaney_logS.csv"));
        Path csv = dir.resolve("esol120.csv");
        Files.write(csv, lines.subList(0, 121));
        Path run = dir.resolve("run");
        assertEquals(0, run(train(csv, run, "--hidden-size", "32")).code());
        assertFalse(Files.exists(run.resolve(gear.train.RunGuard.INCOMPLETE)));
        byte[] config = Files.readAllBytes(run.resolve(RunDirectory.CONFIG));
        MainTest.Result r = run(train(csv, run, "--hidden-size", "32", "--batch-size", "10", "--resume"));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("checkpoint was written with other settings"), r.err());
        assertArrayEquals(config, Files.readAllBytes(run.resolve(RunDirectory.CONFIG)), "config.json kept");
        assertFalse(Files.exists(run.resolve(gear.train.RunGuard.INCOMPLETE)), "the finished run is not marked incomplete");
    }
}
