package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.transfer.Methods;
import gear.transfer.RunFiles;
import gear.transfer.TransferMethod;
import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;
import gear.experiment.tune.TuneReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The methods' own defaults ({@link TransferMethod#defaults}) are the values {@code gear tune} chose on
 * validation under the corrected protocol, {@code source_purge validation} (the committed {@code
 * docs/results/tune-pv/chosen.json}, and for the paired methods the second stage that tuned their source exposure,
 * {@code docs/results/tune-pv-exposure/chosen.json}, and the third that tuned their warm start, {@code
 * docs/results/tune-pv-warmstart/chosen.json}, and for GEAR the fourth that tuned its curvature warm-up, {@code
 * docs/results/tune-pv-curvwarmup/chosen.json}), and every entry point trains with them unless the user sets the
 * option.
 */
class TunedDefaultsTest {
    static final Path CHOSEN = Path.of("docs/results/tune-pv/chosen.json");
    static final Path EXPOSURE = Path.of("docs/results/tune-pv-exposure/chosen.json");
    static final Path WARM_START = Path.of("docs/results/tune-pv-warmstart/chosen.json");
    static final Path CURV_WARMUP = Path.of("docs/results/tune-pv-curvwarmup/chosen.json");

    @Test
    void everyMethodsDefaultsAreTheTunedValues() {
        for (Path f : java.util.List.of(CHOSEN, EXPOSURE, WARM_START, CURV_WARMUP)) {
            assertTrue(Files.isRegularFile(f), f + " is committed with its stage's results");
            assertEquals(java.util.Optional.of("validation"), TuneReport.sourcePurge(TuneReport.readChosen(f)),
                    f + ": chosen under the corrected protocol, the default purge");
        }
        assertTrue(Files.isRegularFile(CHOSEN), CHOSEN + " is committed with the tune's results");
        assertTrue(Files.isRegularFile(EXPOSURE), EXPOSURE + " is committed with the second stage's results");
        Map<String, Map<String, String>> chosen = new java.util.LinkedHashMap<>(TuneReport.readChosen(CHOSEN).values());
        Map<String, Map<String, String>> exposure = TuneReport.readChosen(EXPOSURE).values();
        assertEquals(java.util.Set.of("mtl", "gate", "gear"), exposure.keySet());
        exposure.forEach((method, values) -> {
            Map<String, String> first = new java.util.TreeMap<>(chosen.get(method));
            Map<String, String> second = new java.util.TreeMap<>(values);
            first.remove("source_batches");
            second.remove("source_batches");
            assertEquals(first, second, method + ": the second stage changed only the source exposure");
        });
        chosen.putAll(exposure);
        assertTrue(Files.isRegularFile(WARM_START), WARM_START + " is committed with the third stage's results");
        Map<String, Map<String, String>> warm = TuneReport.readChosen(WARM_START).values();
        assertEquals(java.util.Set.of("mtl", "gate", "gear"), warm.keySet());
        warm.forEach((method, values) -> {
            Map<String, String> second = new java.util.TreeMap<>(chosen.get(method));
            Map<String, String> third = new java.util.TreeMap<>(values);
            assertEquals("scratch", second.getOrDefault("source_init", "scratch"), method);
            third.remove("source_init");
            assertEquals(second, third, method + ": the third stage changed only the warm start");
        });
        chosen.putAll(warm);
        assertTrue(Files.isRegularFile(CURV_WARMUP), CURV_WARMUP + " is committed with the fourth stage's results");
        Map<String, Map<String, String>> fourth = TuneReport.readChosen(CURV_WARMUP).values();
        assertEquals(java.util.Set.of("gear"), fourth.keySet());
        Map<String, String> third = new java.util.TreeMap<>(chosen.get("gear"));
        Map<String, String> warmup = new java.util.TreeMap<>(fourth.get("gear"));
        assertEquals("0", third.getOrDefault("curv_warmup", "0"));
        warmup.remove("curv_warmup");
        assertEquals(third, warmup, "gear: the fourth stage changed only the curvature warm-up");
        chosen.putAll(fourth);
        assertEquals(java.util.Set.of("stl", "mtl", "finetune", "kd", "gspkd", "gate", "gear"), chosen.keySet());
        chosen.forEach((method, values) -> {
            Map<String, String> d = Methods.get(method).defaults();
            assertEquals(values.keySet(), d.keySet(), method + ": the tuned keys");
            TransferOptions fromFile = TransferOptions.defaults().with(values);
            assertEquals(fromFile, TransferOptions.defaults(Methods.get(method)), method + ": the tuned values");
        });
    }

    @Test
    void theUsersOptionWinsOverTheMethodsDefault() {
        TransferMethod gate = Methods.get("gate");
        double tuned = Double.parseDouble(gate.defaults().get("w_dis"));
        assertEquals(tuned, TransferOptions.defaults(gate).wDis());
        assertFalse(tuned == TransferSchema.W_DIS.defaultValue(), "the tuned value differs from the declared default");
        assertEquals(2.5, TransferOptions.defaults(gate).with(Map.of("w_dis", "2.5")).wDis());
        assertEquals(TransferSchema.W_DIS.defaultValue(), TransferOptions.defaults().wDis(),
                "the declared defaults (what gear tune starts from) are unchanged");
    }

    @Test
    void gearTransferWritesTheMethodsDefaultsAndTheGivenOptions(@TempDir Path dir) throws Exception {
        Path data = ReferenceRunsTest.data(Files.createDirectories(dir.resolve("data")));
        JsonNode plain = run(dir.resolve("plain"), data);
        TransferMethod gate = Methods.get("gate");
        for (Map.Entry<String, String> e : gate.defaults().entrySet()) {
            if (plain.get(e.getKey()).isNumber()) {
                assertEquals(Double.parseDouble(e.getValue()), plain.get(e.getKey()).asDouble(), 1e-12, e.getKey());
            } else {
                assertEquals(e.getValue(), plain.get(e.getKey()).asText(), e.getKey());
            }
        }
        JsonNode given = run(dir.resolve("given"), data, "--w-dis", "2.5", "--max-lr", "0.001");
        assertEquals(2.5, given.get("w_dis").asDouble());
        assertEquals(0.001, given.get("max_lr").asDouble());
        assertEquals(plain.get("source_batches"), given.get("source_batches"), "options not given keep the method's");
    }

    private static JsonNode run(Path out, Path data, String... more) throws Exception {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("transfer", "--source",
                data.resolve("source.csv").toString(), "--source-column", "ys", "--target", data.resolve("target.csv").toString(),
                "--target-column", "yt", "--method", "gate", "-o", out.toString(), "--epochs", "1", "--batch-size", "20",
                "--hidden-size", "16", "--latent-size", "4", "--common-size", "6", "--map-hidden", "6", "--seed", "1", "-q"));
        a.addAll(java.util.List.of(more));
        MainTest.Result r = MainTest.run(a.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        JsonNode cfg = new ObjectMapper().readTree(out.resolve(RunFiles.CONFIG).toFile());
        return cfg.has("options") ? cfg.get("options") : cfg;
    }
}
