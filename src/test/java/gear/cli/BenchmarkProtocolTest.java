package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.demo.DemoData;
import gear.experiment.grid.ProtocolFile;
import gear.experiment.grid.TransferCellRunner;
import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gear benchmark --protocol FILE}: the preset's options become the cell options; --set overrides a key. */
class BenchmarkProtocolTest {
    @TempDir
    static Path data;
    static Path pairs;
    @TempDir
    Path out;

    @BeforeAll
    static void demo() throws IOException {
        DemoData.generate(data.resolve("demo"), 1);
        pairs = data.resolve("pairs.json");
        Files.writeString(pairs, BenchmarkCommandTest.pairsJson(DemoData.SOURCE_COLUMN, DemoData.TARGET_COLUMN,
                "demo/" + DemoData.SOURCE_FILE));
    }

    /** The committed preset parses, every key is a transfer option, and it sets what docs/BENCHMARK.md says. */
    @Test
    void theConvergedPresetIsValid() {
        Map<String, String> o = ProtocolFile.read(Path.of("pairs/converged.json"));
        new TransferCellRunner().checkOptions(o);
        TransferOptions t = TransferOptions.defaults().with(o);
        assertEquals("isometric", t.get(TransferSchema.GATE_PHI_INIT));
        assertTrue(t.patience() > 0 && t.pretrainPatience() > 0 && t.pretrainValFraction() > 0, o.toString());
        assertTrue(t.epochs() > t.patience() && t.pretrainEpochs() > t.pretrainPatience(), o.toString());
    }

    /** The corrected preset is the converged one with the validation molecules purged from the source too. */
    @Test
    void thePurgedPresetIsTheConvergedOneWithValidationPurged() {
        Map<String, String> converged = ProtocolFile.read(Path.of("pairs/converged.json"));
        Map<String, String> purged = ProtocolFile.read(Path.of("pairs/converged-purged.json"));
        new TransferCellRunner().checkOptions(purged);
        assertTrue(TransferOptions.defaults().with(purged).purgeValidation());
        assertTrue(!TransferOptions.defaults().with(converged).purgeValidation());
        assertEquals("test", converged.get("source_purge"), "the design's protocol names its purge: the default is validation");
        Map<String, String> rest = new java.util.HashMap<>(purged);
        rest.put("source_purge", "test");
        assertEquals(converged, rest);
    }

    @Test
    void presetOptionsGoToTheCellsAndSetOverridesThem() throws IOException {
        Path p = data.resolve("proto.json");
        Files.writeString(p, "{\"options\": {\"epochs\": 7, \"gate_phi_init\": \"isometric\", \"w-curv\": \"0.5\"}}");
        MainTest.Result r = MainTest.run("benchmark", "--pairs", pairs.toString(), "--methods", "stl", "--split-types", "random",
                "--folds", "2", "--max-folds", "1", "--seeds", "0", "-o", out.toString(), "--no-plots", "--no-load-cache",
                "--runner", BenchmarkCommandTest.FAKE, "--isolation", "thread", "--protocol", p.toString(), "--set",
                "w_curv=0.25");
        assertEquals(0, r.code(), r.err());
        JsonNode o = new ObjectMapper().readTree(out.resolve("config.json").toFile()).get("options");
        assertEquals("7", o.get("epochs").asText());
        assertEquals("isometric", o.get("gate_phi_init").asText());
        assertEquals("0.25", o.get("w_curv").asText());
        assertTrue(!o.has("w-curv"), "one entry per option: " + o);
    }

    @Test
    void badPresetsExitTwoNamingTheFile() throws IOException {
        Path bad = data.resolve("bad.json");
        Files.writeString(bad, "{\"epochs\": 3}");
        for (Path f : new Path[] {bad, data.resolve("missing.json")}) {
            MainTest.Result r = MainTest.run("benchmark", "--pairs", pairs.toString(), "--methods", "stl", "-o", out.toString(),
                    "--runner", BenchmarkCommandTest.FAKE, "--protocol", f.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains(f.toString()), r.err());
        }
        Path unknown = data.resolve("unknown.json");
        Files.writeString(unknown, "{\"options\": {\"no_such_option\": 3}}");
        MainTest.Result r = MainTest.run("benchmark", "--pairs", pairs.toString(), "--methods", "stl", "-o", out.toString(),
                "--protocol", unknown.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("no_such_option"), r.err());
    }
}
