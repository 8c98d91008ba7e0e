package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.demo.DemoData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gear tune} with the real trial runner on the demo pair (tiny: 30 + 30 molecules, 1–2 epochs, d_h 32). */
class TuneCommandTest {
    @TempDir
    static Path data;
    static Path pairs;
    @TempDir
    Path out;

    @BeforeAll
    static void demo() throws Exception {
        DemoData.generate(data.resolve("demo"), 1);
        Path src = data.resolve("demo").resolve(DemoData.SOURCE_FILE);
        List<String> lines = Files.readAllLines(src);
        Files.write(src, lines.subList(0, 401)); // a smaller source: loading it is most of a trial's cost here
        pairs = data.resolve("pairs.json");
        Files.writeString(pairs, "{\"pairs\": [{\"id\": \"demo\", \"source\": {\"file\": \"demo/" + DemoData.SOURCE_FILE
                + "\", \"column\": \"" + DemoData.SOURCE_COLUMN + "\"}, \"target\": {\"file\": \"demo/" + DemoData.TARGET_FILE
                + "\", \"column\": \"" + DemoData.TARGET_COLUMN + "\"}, \"target_subsample\": 60}]}");
    }

    static String[] tune(Path dir, String... extra) {
        List<String> a = new ArrayList<>(List.of("tune", "--pairs", pairs.toString(), "--methods", "stl,gear", "--split-types",
                "random", "--folds", "2", "--trials", "2", "--eta", "2", "--rungs", "2", "--min-epochs", "1", "--batch-size", "20", "--set",
                "hidden_size=32", "--set", "latent_size=8", "--set", "common_size=12", "--set", "map_hidden=12", "--no-load-cache",
                "-o", dir.toString()));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    @Test
    void tunesEveryMethodEquallyResumesToTheSameAnswerAndFeedsTheBenchmark() throws Exception {
        Path whole = out.resolve("whole");
        MainTest.Result r = MainTest.run(tune(whole));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("tune complete: 3 trials per method (6 run now)"), r.out());
        ObjectMapper m = new ObjectMapper();
        JsonNode chosen = m.readTree(whole.resolve("chosen.json").toFile()).get("methods");
        assertEquals(List.of("max_lr", "dropout"), names(chosen.get("stl").get("values")));
        assertTrue(chosen.get("gear").get("values").has("w_curv"), chosen.toString());
        // every trial: its own directory, its config with the tuned values, its result; no test number anywhere
        List<Path> trials;
        try (var s = Files.list(whole.resolve("trials"))) {
            trials = s.toList();
        }
        assertEquals(6, trials.size());
        for (Path t : trials) {
            JsonNode cfg = m.readTree(t.resolve("config.json").toFile());
            assertTrue(cfg.has("tuned_values") && cfg.get("options").get("dropout").asDouble() == cfg.get("tuned_values")
                    .get("dropout").asDouble(), cfg.toString());
            String res = Files.readString(t.resolve("result.json"));
            assertTrue(res.contains("\"val_rmse\""), res);
            for (Path f : List.of(t.resolve("config.json"), t.resolve("result.json"))) {
                // the one setting named after the test part (source_purge test) is no test number
                assertFalse(Files.readString(f).toLowerCase().replaceAll("\"source_purge\"\\s*:\\s*\"test\"", "")
                        .contains("test"), f + " holds a test number");
            }
        }
        assertFalse(Files.readString(whole.resolve("trials.csv")).contains("test"));
        assertTrue(Files.readString(whole.resolve("summary.md")).contains("## Chosen values"));

        // the same command on a finished tune runs nothing and prints the answer
        r = MainTest.run(tune(whole));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(0 run now)") && r.out().contains("gear: max_lr="), r.out());

        // a partial run (as after a kill), then the rest: the same chosen values
        Path part = out.resolve("part");
        r = MainTest.run(tune(part, "--max-trials", "3"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("not complete"), r.out());
        assertFalse(Files.exists(part.resolve("chosen.json")));
        r = MainTest.run(tune(part));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("(3 run now)"), r.out());
        assertEquals(chosen, m.readTree(part.resolve("chosen.json").toFile()).get("methods"));

        // gear benchmark --tuned: each cell trains with its method's values and records them in its config.json
        Path grid = out.resolve("grid");
        r = MainTest.run("benchmark", "--pairs", pairs.toString(), "--methods", "stl", "--split-types", "random", "--folds", "2",
                "--max-folds", "1", "--seeds", "0", "-o", grid.toString(), "--no-plots", "--no-load-cache", "--isolation", "thread",
                "--epochs", "1", "--batch-size", "20", "--set", "hidden_size=32", "--tuned", whole.resolve("chosen.json").toString());
        assertEquals(0, r.code(), r.err());
        JsonNode cell = m.readTree(grid.resolve("cells/demo.stl.random.f0.s0/config.json").toFile());
        assertEquals(chosen.get("stl").get("values"), cell.get("tuned").get("values"), cell.toString());
        assertEquals(chosen.get("stl").get("values").get("max_lr").asDouble(), cell.get("max_lr").asDouble(), 0.0, cell.toString());
        assertFalse(r.err().contains("source_purge"), "the tune and the grid purge alike: no warning\n" + r.err());
        // the tune recorded the purge it ran with, the default (validation): a grid that purges the test part only warns
        assertEquals("validation", m.readTree(whole.resolve("config.json").toFile()).path("options").path("source_purge")
                .asText());
        r = MainTest.run("benchmark", "--pairs", pairs.toString(), "--methods", "stl", "--split-types", "random", "--folds", "2",
                "--max-folds", "1", "--seeds", "0", "-o", out.resolve("grid4").toString(), "--list-cells", "--set",
                "source-purge=test", "--tuned", whole.resolve("chosen.json").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning: --tuned " + whole.resolve("chosen.json") + ": its tune ran with source_purge "
                + "validation (its config.json), this run with test"), r.err());
        // a tune from before the default changed (its config.json names no purge) ran with test: a default grid warns
        Path old = Files.createDirectories(out.resolve("old-tune"));
        Files.copy(whole.resolve("chosen.json"), old.resolve("chosen.json"));
        com.fasterxml.jackson.databind.node.ObjectNode oldCfg = (com.fasterxml.jackson.databind.node.ObjectNode) m.readTree(
                whole.resolve("config.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) oldCfg.get("options")).remove("source_purge");
        Files.writeString(old.resolve("config.json"), oldCfg.toString());
        r = MainTest.run("benchmark", "--pairs", pairs.toString(), "--methods", "stl", "--split-types", "random", "--folds", "2",
                "--max-folds", "1", "--seeds", "0", "-o", out.resolve("grid5").toString(), "--list-cells", "--tuned",
                old.resolve("chosen.json").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("its tune ran with source_purge test (its config.json), this run with validation"), r.err());
        r = MainTest.run("benchmark", "--pairs", pairs.toString(), "--methods", "stl,kd", "--split-types", "random", "-o",
                out.resolve("grid2").toString(), "--tuned", whole.resolve("chosen.json").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("no values for method kd"), r.err());
        r = MainTest.run("benchmark", "--pairs", pairs.toString(), "--methods", "stl", "--split-types", "random", "-o",
                out.resolve("grid3").toString(), "--set", "max_lr=0.001", "--tuned", whole.resolve("chosen.json").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("max_lr is tuned for stl"), r.err());
    }

    static List<String> names(JsonNode o) {
        List<String> r = new ArrayList<>();
        o.fieldNames().forEachRemaining(r::add);
        return r;
    }

    @Test
    void badMethodsKeysAndRangesExitTwoBeforeAnythingRuns() throws Exception {
        Path space = data.resolve("space.json");
        Map<String, String> bad = Map.of(
                "{\"methods\": {\"gear\": {\"w_curv\": {\"log_uniform\": [1, 0.001]}}}}", "bad range [1.0, 0.001]",
                "{\"shared\": {\"learning_rate\": {\"log_uniform\": [1e-4, 1e-3]}}}", "unknown option 'learning_rate'",
                "{\"methods\": {\"gear\": {\"w_kd\": {\"log_uniform\": [0.1, 1]}}}}", "method gear does not read option w_kd",
                "{\"shared\": {\"dropout\": {\"uniform\": [0, 1.5]}}, \"methods\": {\"nope\": {}}}", "unknown method 'nope'");
        int i = 0;
        for (Map.Entry<String, String> e : bad.entrySet()) {
            Files.writeString(space, e.getKey());
            Path dir = out.resolve("bad" + i++);
            MainTest.Result r = MainTest.run(tune(dir, "--space", space.toString()));
            assertEquals(2, r.code(), e.getKey() + ": " + r.err());
            assertTrue(r.err().contains(e.getValue()) && r.err().contains("space.json"), e.getKey() + ": " + r.err());
            assertFalse(r.err().contains("\tat "), r.err());
            assertFalse(Files.exists(dir), "nothing written for " + e.getKey());
        }
        MainTest.Result r = MainTest.run(tune(out.resolve("m"), "--methods", "stl,magic"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown method 'magic'"), r.err());
        r = MainTest.run(tune(out.resolve("k"), "--set", "no_such_key=1"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no_such_key"), r.err());
        r = MainTest.run(tune(out.resolve("g"), "--set", "common_size=8"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("d_M > d_z"), r.err());
        assertFalse(Files.exists(out.resolve("g")));
        r = MainTest.run(tune(out.resolve("e"), "--eta", "1"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--eta must be at least 2"), r.err());
        assertFalse(Files.exists(out.resolve("m")) || Files.exists(out.resolve("k")) || Files.exists(out.resolve("e")));
    }

    @Test
    void aSecondStageGridStartsFromAnEarlierChoiceAndWritesBothForTheBenchmark() throws Exception {
        Path first = data.resolve("first-chosen.json");
        Files.writeString(first, "{\"methods\": {\"stl\": {\"values\": {\"max_lr\": \"0.003\"}}, \"gear\": {\"values\": {"
                + "\"max_lr\": \"0.002\", \"dropout\": \"0.1\", \"w_metric\": \"0.5\", \"source_batches\": \"4\"}}}}"); // the grid below chooses 1 or 2
        Path space = data.resolve("exposure.json");
        Files.writeString(space, "{\"search\": \"grid\", \"methods\": {\"gear\": {\"source_batches\": {\"choice\": [1, 2]}}}}");
        List<String> a = new ArrayList<>(List.of("tune", "--pairs", pairs.toString(), "--methods", "gear", "--split-types", "random",
                "--folds", "2", "--min-epochs", "1", "--batch-size", "20", "--set", "hidden_size=32", "--set", "latent_size=8",
                "--set", "common_size=12", "--set", "map_hidden=12", "--no-load-cache", "--space", space.toString(),
                "--tuned", first.toString()));
        Path dir = out.resolve("stage2");
        List<String> ok = new ArrayList<>(a);
        ok.addAll(List.of("-o", dir.toString()));
        MainTest.Result r = MainTest.run(ok.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("tune complete: 2 trials per method"), r.out()); // --trials defaults to the grid's size
        Map<String, String> chosen = gear.experiment.tune.TuneReport.readChosen(dir.resolve("chosen.json")).values().get("gear");
        assertEquals(Set.of("max_lr", "dropout", "w_metric", "source_batches"), chosen.keySet());
        assertEquals("0.5", chosen.get("w_metric"));
        for (String sb : List.of("1", "2")) {
            var c = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("trials").resolve("gear.c" + (Integer.parseInt(sb) - 1)
                    + ".r0.demo.random.s0").resolve("config.json").toFile());
            assertEquals(Integer.parseInt(sb), c.path("options").path("source_batches").asInt());
            assertEquals(0.5, c.path("options").path("w_metric").asDouble());
            assertEquals(0.002, c.path("options").path("max_lr").asDouble());
        }
        // the benchmark takes both stages: gear's cells move to the second stage's values, stl's keep the first's (and their cells)
        Path grid = out.resolve("staged-grid");
        List<String> bench = List.of("benchmark", "--pairs", pairs.toString(), "--methods", "stl,gear", "--split-types", "random",
                "--folds", "2", "--max-folds", "1", "--seeds", "0", "-o", grid.toString(), "--no-plots", "--no-load-cache",
                "--isolation", "thread", "--epochs", "1", "--batch-size", "20", "--set", "hidden_size=32", "--set", "latent_size=8",
                "--set", "common_size=12", "--set", "map_hidden=12", "--tuned");
        r = MainTest.run(Stream.concat(bench.stream(), Stream.of(first.toString())).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        String both = first + "," + dir.resolve("chosen.json");
        r = MainTest.run(Stream.concat(bench.stream(), Stream.of(both)).toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("1 finished cells (e.g. demo.gear.random.f0.s0)"), r.err());
        r = MainTest.run(Stream.concat(bench.stream(), Stream.of(both, "--rerun-changed")).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("2 cells: 1 already finished, 1 to run"), r.err());
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var gearCell = json.readTree(grid.resolve("cells/demo.gear.random.f0.s0/config.json").toFile());
        assertEquals(gear.data.Hashing.sha256(dir.resolve("chosen.json")), gearCell.path("tuned").path("chosen_sha256").asText());
        assertEquals(Integer.parseInt(chosen.get("source_batches")), gearCell.path("source_batches").asInt());
        var stlCell = json.readTree(grid.resolve("cells/demo.stl.random.f0.s0/config.json").toFile());
        assertEquals(gear.data.Hashing.sha256(first), stlCell.path("tuned").path("chosen_sha256").asText());
        assertEquals(0.003, stlCell.path("max_lr").asDouble());
        // a later file that repeats a method's values unchanged leaves its cells alone
        Path same = data.resolve("same-chosen.json");
        Files.writeString(same, "{\"methods\": {\"stl\": {\"values\": {\"max_lr\": \"0.003\"}}}}");
        r = MainTest.run(Stream.concat(bench.stream(), Stream.of(both + "," + same)).toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("2 cells: 2 already finished, 0 to run"), r.err());
        // a next stage under another source purge than this stage's (its config.json beside chosen.json): a warning
        List<String> third = new ArrayList<>(a.subList(0, a.size() - 1));
        third.addAll(List.of(dir.resolve("chosen.json").toString(), "--set", "source_purge=test", "--max-trials", "0",
                "-o", out.resolve("stage3").toString()));
        r = MainTest.run(third.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("gear tune: warning: --tuned " + dir.resolve("chosen.json") + ": its tune ran with "
                + "source_purge validation (its config.json), this run with test"), r.err());
        assertFalse(MainTest.run(ok.toArray(new String[0])).err().contains("warning"), "no config.json beside the first file");

        // refused before anything runs: no such file, a method the file lacks, a value given twice, --trials off the grid
        Map<List<String>, String> bad = new java.util.LinkedHashMap<>();
        bad.put(List.of("--tuned", data.resolve("none.json").toString()), "none.json");
        Path stlOnly = data.resolve("stl-chosen.json");
        Files.writeString(stlOnly, "{\"methods\": {\"stl\": {\"values\": {\"max_lr\": \"0.002\"}}}}");
        bad.put(List.of("--tuned", stlOnly.toString()), "no values for method gear");
        bad.put(List.of("--set", "w_metric=2"), "one way");
        bad.put(List.of("--trials", "3"), "2 configurations per method");
        int i = 0;
        for (Map.Entry<List<String>, String> e : bad.entrySet()) {
            List<String> b = new ArrayList<>(a);
            b.addAll(e.getKey());
            Path d = out.resolve("refused" + i++);
            b.addAll(List.of("-o", d.toString()));
            MainTest.Result x = MainTest.run(b.toArray(new String[0]));
            assertEquals(2, x.code(), e.getKey() + ": " + x.err());
            assertTrue(x.err().contains(e.getValue()), e.getKey() + ": " + x.err());
            assertFalse(x.err().contains("\tat "), x.err());
            assertFalse(Files.exists(d), "nothing written for " + e.getKey());
        }
    }
}
