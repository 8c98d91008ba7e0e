package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.TestData;
import gear.config.Opt;
import gear.run.RunDirectory;
import gear.run.TrainConfig;
import gear.train.TrainOptions;
import gear.transfer.TransferSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The options of {@code gear train} are declared once ({@link TrainConfig#SCHEMA}, sharing the training-loop
 * {@code Opt}s with {@code gear transfer}): the picocli options are derived from it, a {@code config.json}
 * written before the schema existed is still accepted by {@code --config} and gives the same settings and
 * result, and an unknown key in a {@code --config} file exits 2 naming the closest valid key.
 */
class TrainOptionsSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A {@code config.json} as {@code gear train} wrote it before its options were declared through the schema
     * (main at commit 887ee9e: {@code train -i d.csv -t logS_exp_molL -o run --epochs 2 --hidden-size 16
     * --cache-dir none -q --seed 3 --ffn-num-layers 3}); the data path and run directory are filled in by the test.
     */
    private static final String OLD_CONFIG = """
            {
              "command" : "train",
              "argv" : [ "train", "-i", "d.csv", "-t", "logS_exp_molL", "-o", "run", "--epochs", "2", "--hidden-size", "16", "--cache-dir", "none", "-q", "--seed", "3", "--ffn-num-layers", "3" ],
              "gear_version" : "0.1.0-SNAPSHOT",
              "data_path" : "@DATA@",
              "data_sha256" : "9795bfa91b801bd51660b0f8caec0c354e856f674c737b74942bddd9bb3fb744",
              "smiles_column" : null,
              "target_columns" : [ "logS_exp_molL" ],
              "output_dir" : "@OUT@",
              "split_type" : "random",
              "split_sizes" : [ 0.8, 0.1, 0.1 ],
              "splits_file" : null,
              "invalid" : "fail",
              "duplicates" : "keep",
              "epochs" : 2,
              "batch_size" : 50,
              "init_lr" : 1.0E-4,
              "max_lr" : 0.001,
              "final_lr" : 1.0E-4,
              "warmup_epochs" : 2.0,
              "patience" : 0,
              "min_delta" : 0.0,
              "clip_norm" : 0.0,
              "seed" : 3,
              "hidden_size" : 16,
              "depth" : 3,
              "dropout" : 0.0,
              "ffn_num_layers" : 3,
              "ffn_hidden_size" : 16,
              "threads" : 1,
              "device" : "cpu",
              "from" : null,
              "from_task" : null,
              "freeze_encoder" : false,
              "freeze_ffn_layers" : 0,
              "num_tasks" : 1
            }
            """;

    private static Path data(Path dir) throws Exception {
        List<String> lines = Files.readAllLines(TestData.data("esol_delaney_logS.csv"));
        return Files.write(dir.resolve("d.csv"), lines.subList(0, 41));
    }

    private static Path oldConfig(Path dir, Path data, Path out, String replace, String by) throws Exception {
        String text = OLD_CONFIG.replace("@DATA@", data.toAbsolutePath().toString()).replace("@OUT@",
                out.toAbsolutePath().toString()).replace(replace, by);
        return Files.writeString(dir.resolve("old_config.json"), text);
    }

    @Test
    void everySchemaOptionIsAFlagOfTrainAndTheSharedOnesAreOneDeclaration() {
        CommandSpec train = Main.commandLine().getSubcommands().get("train").getCommandSpec();
        for (Opt<?> o : TrainConfig.SCHEMA.options()) {
            assertNotNull(train.findOption(o.flag()), o.flag());
        }
        for (String flag : List.of("--seed", "--epochs", "--batch-size", "--threads", "--device", "--hidden-size", "--depth",
                "--dropout", "--ffn-num-layers", "--ffn-hidden-size", "--init-lr", "--max-lr", "--final-lr", "--warmup-epochs",
                "--patience", "--min-delta", "--clip-norm")) {
            assertNotNull(train.findOption(flag), flag); // the flag names of before the schema
        }
        for (Opt<?> o : TrainOptions.OPTIONS) {
            if (TransferSchema.SCHEMA.has(o.key())) {
                assertSame(o, TransferSchema.SCHEMA.get(o.key()), o.key());
            }
            assertSame(o, TrainConfig.SCHEMA.get(o.key()), o.key());
        }
        assertSame(TransferSchema.DROPOUT, TrainConfig.SCHEMA.get("dropout"));
        assertSame(TransferSchema.HIDDEN_SIZE, TrainConfig.SCHEMA.get("hidden_size"));
    }

    @Test
    void anOldConfigJsonIsAcceptedAndGivesTheSameSettingsAndResult(@TempDir Path dir) throws Exception {
        Path data = data(dir);
        Path a = dir.resolve("a");
        MainTest.Result r = MainTest.run("train", "-i", data.toString(), "-t", "logS_exp_molL", "-o", a.toString(), "--epochs",
                "2", "--hidden-size", "16", "--cache-dir", "none", "-q", "--seed", "3", "--ffn-num-layers", "3");
        assertEquals(0, r.code(), r.err());
        Path b = dir.resolve("b");
        Path old = oldConfig(dir, data, b, "@NONE@", "");
        r = MainTest.run("train", "--config", old.toString(), "--cache-dir", "none", "-q");
        assertEquals(0, r.code(), r.err());
        ObjectNode ca = (ObjectNode) JSON.readTree(a.resolve(RunDirectory.CONFIG).toFile());
        ObjectNode cb = (ObjectNode) JSON.readTree(b.resolve(RunDirectory.CONFIG).toFile());
        ObjectNode expected = (ObjectNode) JSON.readTree(OLD_CONFIG);
        for (ObjectNode n : List.of(ca, cb, expected)) {
            n.remove(List.of("argv", "output_dir", "data_path", "gear_version"));
        }
        assertEquals(new ArrayList<>(iterable(expected)), new ArrayList<>(iterable(ca)), "the keys and their order");
        assertEquals(expected, ca, "the same settings as before the schema");
        assertEquals(ca, cb);
        JsonNode ta = JSON.readTree(a.resolve(RunDirectory.TEST_METRICS).toFile());
        JsonNode tb = JSON.readTree(b.resolve(RunDirectory.TEST_METRICS).toFile());
        assertEquals(ta.get("test_rmse").asDouble(), tb.get("test_rmse").asDouble(), 0.0);
        assertEquals(Files.readAllLines(a.resolve(RunDirectory.METRICS)).get(1).split(",")[2],
                Files.readAllLines(b.resolve(RunDirectory.METRICS)).get(1).split(",")[2]);
    }

    private static List<String> iterable(JsonNode n) {
        List<String> k = new ArrayList<>();
        n.fieldNames().forEachRemaining(k::add);
        return k;
    }

    @Test
    void anUnknownKeyInATrainConfigExits2NamingTheClosestKey(@TempDir Path dir) throws Exception {
        Path data = data(dir);
        Path out = dir.resolve("run");
        Path bad = oldConfig(dir, data, out, "\"epochs\" : 2", "\"epoch\" : 2");
        MainTest.Result r = MainTest.run("train", "--config", bad.toString(), "-q");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("'epoch'") && r.err().contains("did you mean 'epochs'"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertFalse(Files.exists(out.resolve(RunDirectory.MODEL)));
    }

    @Test
    void aBadValueExits2WithTheOptionsRule(@TempDir Path dir) throws Exception {
        Path data = data(dir);
        MainTest.Result r = MainTest.run("train", "-i", data.toString(), "-o", dir.resolve("r").toString(), "--epochs", "0",
                "-q");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--epochs must be an integer ≥ 1, got 0"), r.err());
        Path bad = oldConfig(dir, data, dir.resolve("r2"), "\"batch_size\" : 50", "\"batch_size\" : -1");
        r = MainTest.run("train", "--config", bad.toString(), "-q");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--batch-size must be an integer ≥ 1, got -1"), r.err());
    }

    @Test
    void theLibraryRefusesAMisspeltKeyBeforeTraining(@TempDir Path dir) throws Exception {
        Path data = data(dir);
        gear.config.UnknownOptionException e = org.junit.jupiter.api.Assertions.assertThrows(
                gear.config.UnknownOptionException.class,
                () -> gear.api.Gear.train(data, "logS_exp_molL", dir.resolve("run"), java.util.Map.of("epoch", 2)));
        assertTrue(e.getMessage().contains("'epoch'") && e.getMessage().contains("did you mean 'epochs'"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("run")));
    }

    @Test
    void trainOptionsAreSchemaValues() {
        TrainOptions o = TrainOptions.defaults().with(TrainOptions.EPOCHS, 1);
        assertEquals(1.0, o.warmupEpochs(), 0.0, "the warm-up is capped at the epochs");
        assertEquals(TrainOptions.defaults().with(TrainOptions.SEED, 4L), TrainOptions.defaults().with("seed", "4"));
        JsonNode before = JSON.createObjectNode().put("epochs", 3).put("batch_size", 10).put("init_lr", 1e-4)
                .put("max_lr", 1e-3).put("final_lr", 1e-4).put("warmup_epochs", 2.0).put("patience", 0).put("clip_norm", 0.0)
                .put("seed", 7L); // a model file's training options from before min_delta existed
        TrainOptions t = TrainOptions.fromJson(before);
        assertEquals(0.0, t.minDelta(), 0.0);
        assertEquals(7L, t.seed());
        assertEquals(t, TrainOptions.fromJson(t.toJson(JSON)));
    }
}
