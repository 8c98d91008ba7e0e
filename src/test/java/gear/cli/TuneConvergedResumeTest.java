package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.experiment.tune.TuneConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The trials committed under {@code docs/results/tune-converged/} (design protocol) and {@code docs/results/tune-pv/}
 * (corrected protocol) stay valid for a resumed tune: each directory's {@code config.json} gives the fingerprint
 * recorded in every trial, and the command that started the tune (docs/RESULTS.md) still computes it.
 */
class TuneConvergedResumeTest {
    static final Path DIR = Path.of("docs/results/tune-converged");

    @Test
    void theCommittedTrialsMatchWhatTheTuneCommandComputes(@TempDir Path out) throws Exception {
        ObjectMapper m = new ObjectMapper();
        TuneConfig committed = TuneConfig.fromJson(m.readTree(DIR.resolve("config.json").toFile()));
        List<Path> trials;
        try (Stream<Path> s = Files.list(DIR.resolve("trials"))) {
            trials = s.map(t -> t.resolve("result.json")).filter(Files::isRegularFile).toList();
        }
        assertFalse(trials.isEmpty(), "committed trials");
        for (Path t : trials) {
            JsonNode r = m.readTree(t.toFile());
            assertEquals(committed.fingerprint(), r.path("fingerprint").asText(), t.toString());
        }

        // that tune's command, with the purge it ran with named (the default then, test; validation since); --methods
        // names the registered methods of the jar (the test class path adds a toy one)
        TuneConfig now = command(out, "--set", "source_purge=test");
        assertEquals(committed.fingerprint(), now.fingerprint());
        assertEquals(committed.options(), now.options());
        assertEquals("test", committed.options().get("source_purge"), "its config.json names no purge: it ran with test");
        // the same command at today's default is another tune: it does not resume into that directory
        assertNotEquals(committed.fingerprint(), command(out).fingerprint());

        // the corrected tune (docs/results/tune-pv/): its command names validation, now the default, so the command
        // without it is the same tune
        Path pv = Path.of("docs/results/tune-pv");
        TuneConfig corrected = TuneConfig.fromJson(m.readTree(pv.resolve("config.json").toFile()));
        try (Stream<Path> s = Files.list(pv.resolve("trials"))) {
            for (Path t : s.map(t -> t.resolve("result.json")).filter(Files::isRegularFile).toList()) {
                assertEquals(corrected.fingerprint(), m.readTree(t.toFile()).path("fingerprint").asText(), t.toString());
            }
        }
        assertEquals(corrected.fingerprint(), command(out, "--set", "source_purge=validation").fingerprint());
        assertEquals(corrected.fingerprint(), command(out).fingerprint());

        // another fixed option is another tune
        TuneCommand other = new TuneCommand();
        new CommandLine(other).parseArgs("--pairs", "pairs/public.json", "--pair-ids", "hyd-calc-expt,sim-tc,aqsol-esol",
                "--methods", "stl,mtl,finetune,kd,gspkd,gate,gear", "--split-types", "random", "--trials", "9", "--min-epochs", "30", "--set", "patience=20", "-o", out.toString());
        assertNotEquals(committed.fingerprint(), other.config().fingerprint());
    }

    /** @return the configuration of the converged tune's first-stage command, with {@code more} options */
    private static TuneConfig command(Path out, String... more) {
        TuneCommand cmd = new TuneCommand();
        List<String> a = new java.util.ArrayList<>(List.of("--pairs", "pairs/public.json", "--pair-ids",
                "hyd-calc-expt,sim-tc,aqsol-esol", "--methods", "stl,mtl,finetune,kd,gspkd,gate,gear", "--split-types",
                "random", "--seeds", "0", "--folds", "4", "--fold", "0", "--trials", "9", "--eta", "3", "--min-epochs", "30",
                "--set", "patience=30", "--set", "pretrain_epochs=100", "--set", "pretrain_val_fraction=0.1", "--set",
                "pretrain_patience=10", "--set", "gate_phi_init=isometric", "-o", out.toString()));
        a.addAll(List.of(more));
        new CommandLine(cmd).parseArgs(a.toArray(new String[0]));
        return cmd.config();
    }
}
