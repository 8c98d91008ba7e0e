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
 * The trials committed under {@code docs/results/tune-converged/} stay valid for a resumed tune: the directory's
 * {@code config.json} gives the fingerprint recorded in every trial, and the command that started that tune
 * (docs/RESULTS.md) still computes it.
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

        // that tune's command; --methods names the registered methods of the jar (the test class path adds a toy one)
        TuneCommand cmd = new TuneCommand();
        new CommandLine(cmd).parseArgs("--pairs", "pairs/public.json", "--pair-ids", "hyd-calc-expt,sim-tc,aqsol-esol",
                "--methods", "stl,mtl,finetune,kd,gspkd,gate,gear",
                "--split-types", "random", "--seeds", "0", "--folds", "4", "--fold", "0", "--trials", "9", "--eta", "3",
                "--min-epochs", "30", "--set", "patience=30", "--set", "pretrain_epochs=100", "--set", "pretrain_val_fraction=0.1",
                "--set", "pretrain_patience=10", "--set", "gate_phi_init=isometric", "-o", out.toString());
        TuneConfig now = cmd.config();
        assertEquals(committed.fingerprint(), now.fingerprint());
        assertEquals(committed.options(), now.options());

        // another fixed option is another tune
        TuneCommand other = new TuneCommand();
        new CommandLine(other).parseArgs("--pairs", "pairs/public.json", "--pair-ids", "hyd-calc-expt,sim-tc,aqsol-esol",
                "--methods", "stl,mtl,finetune,kd,gspkd,gate,gear", "--split-types", "random", "--trials", "9", "--min-epochs", "30", "--set", "patience=20", "-o", out.toString());
        assertNotEquals(committed.fingerprint(), other.config().fingerprint());
    }
}
