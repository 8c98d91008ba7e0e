package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.demo.DemoData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkCommandTest {
    static final String FAKE = "gear.experiment.grid.FakeCellRunner";
    @TempDir
    static Path data;
    static Path pairs;
    @TempDir
    Path out;

    @BeforeAll
    static void demo() throws IOException {
        DemoData.generate(data.resolve("demo"), 1);
        pairs = data.resolve("pairs.json");
        Files.writeString(pairs, pairsJson(DemoData.SOURCE_COLUMN, DemoData.TARGET_COLUMN, "demo/" + DemoData.SOURCE_FILE));
    }

    static String pairsJson(String sourceColumn, String targetColumn, String sourceFile) {
        return "{\"pairs\": [{\"id\": \"demo-pair\", \"source\": {\"file\": \"" + sourceFile + "\", \"column\": \"" + sourceColumn
                + "\"}, \"target\": {\"file\": \"demo/" + DemoData.TARGET_FILE + "\", \"column\": \"" + targetColumn
                + "\"}, \"target_subsample\": 100}]}";
    }

    String[] args(String... extra) {
        List<String> a = new ArrayList<>(List.of("benchmark", "--pairs", pairs.toString(), "--methods", "stl,gear", "--split-types",
                "random", "--folds", "2", "--seeds", "0,1", "-o", out.toString(), "--no-plots", "--no-load-cache"));
        a.addAll(List.of(extra));
        return a.toArray(new String[0]);
    }

    /** The default runner (service-registered TransferCellRunner) trains real models: a 1-epoch stl + gear grid. */
    @Test
    void defaultRunnerTrainsRealTransferModels() throws IOException {
        MainTest.Result r = MainTest.run("benchmark", "--pairs", pairs.toString(), "--methods", "stl,gear", "--split-types",
                "random", "--folds", "2", "--max-folds", "1", "--seeds", "0", "-o", out.toString(), "--no-plots",
                "--no-load-cache", "--isolation", "thread", "--workers", "1", "--epochs", "1", "--set", "hidden_size=32",
                "--set", "latent_size=8", "--set", "common-size=12", "--set", "map_hidden=12");
        assertEquals(0, r.code(), r.err());
        var rows = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("results.json").toFile());
        var list = rows.isArray() ? rows : rows.path("results");
        assertEquals(2, list.size(), list.toString());
        for (var row : list) {
            assertTrue(Double.isFinite(row.path("test_rmse").asDouble(Double.NaN)) && row.path("test_rmse").asDouble() > 0,
                    row.toString());
        }
        MainTest.Result bad = MainTest.run("benchmark", "--pairs", pairs.toString(), "--methods", "stl", "--split-types",
                "random", "--folds", "2", "--max-folds", "1", "--seeds", "0", "-o", out.resolve("bad").toString(),
                "--no-plots", "--isolation", "thread", "--epochs", "1", "--set", "no_such_option=3");
        assertTrue(bad.code() != 0, bad.err());
        assertTrue(bad.err().contains("no_such_option") || java.nio.file.Files.exists(out.resolve("bad")), bad.err());
    }

    @Test
    void badPairsFilesExitTwoNamingThePairAndProblem() throws IOException {
        MainTest.Result r = MainTest.run("benchmark", "--pairs", data.resolve("nope.json").toString(), "-o", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nope.json: pairs file not found"), r.err());

        Path badCol = data.resolve("badcol.json");
        Files.writeString(badCol, pairsJson(DemoData.SOURCE_COLUMN, "Tc_K", "demo/" + DemoData.SOURCE_FILE));
        r = MainTest.run("benchmark", "--pairs", badCol.toString(), "-o", out.toString(), "--runner", FAKE);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("pair demo-pair: target:") && r.err().contains("has no column 'Tc_K'"), r.err());

        Path badFile = data.resolve("badfile.json");
        Files.writeString(badFile, pairsJson(DemoData.SOURCE_COLUMN, DemoData.TARGET_COLUMN, "demo/missing.csv"));
        r = MainTest.run("benchmark", "--pairs", badFile.toString(), "-o", out.toString(), "--runner", FAKE);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("pair demo-pair: source:") && r.err().contains("missing.csv: no such file"), r.err());

        Path noId = data.resolve("noid.json");
        Files.writeString(noId, "[{\"source\": {\"dataset\": \"x\", \"column\": \"y\"}}]");
        r = MainTest.run("benchmark", "--pairs", noId.toString(), "-o", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("pair 0: missing \"id\""), r.err());

        r = MainTest.run(args("--runner", FAKE, "--methods", "stl,magic"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown method 'magic'"), r.err());
    }

    @Test
    void runsTheGridWithATestRunner() throws IOException {
        MainTest.Result r = MainTest.run(args("--runner", FAKE, "--isolation", "thread", "--workers", "2", "--epochs", "2",
                "--set", "lambda_curv=0.5"));
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("8 cells: 0 finished before, 8 run now, 0 failed"), r.out());
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(9, csv.size());
        // with --epochs 2 the last tenth of the budget is the second epoch: best_epoch (0-based) 1
        int col = List.of(csv.get(0).split(",")).indexOf("best_epoch");
        long late = csv.stream().skip(1).filter(l -> Integer.parseInt(l.split(",")[col]) >= 1).count();
        assertTrue(late >= 2, "the fake runner selects late epochs in most cells: " + late);
        assertTrue(r.out().contains("not converged: " + late + " of 8 cells (" + String.format(java.util.Locale.ROOT, "%.1f",
                100.0 * late / 8) + " %) selected an epoch in the last tenth of their target phase budget (epochs)"), r.out());
        String cfg = Files.readString(out.resolve("config.json"));
        assertTrue(cfg.contains("\"lambda_curv\" : \"0.5\"") && cfg.contains("\"epochs\" : \"2\""), cfg);
        r = MainTest.run(args("--runner", FAKE, "--isolation", "thread", "--workers", "2", "--epochs", "2", "--set", "lambda_curv=0.5"));
        assertTrue(r.out().contains("8 cells: 8 finished before, 0 run now"), r.out());
    }

    @Test
    void studyOptionsBuildNoisyAndAblationCells() throws IOException {
        MainTest.Result r = MainTest.run("benchmark", "--pairs", pairs.toString(), "--methods", "gear", "--split-types", "value",
                "--folds", "2", "--max-folds", "1", "--seeds", "0", "-o", out.toString(), "--no-plots", "--no-load-cache", "--runner",
                FAKE, "--isolation", "thread", "--noise-fractions", "0,0.2", "--noise-sigma", "1.5", "--ablate");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("12 cells: 0 finished before, 12 run now, 0 failed"), r.out());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("results.json").toFile());
        List<String> ids = new ArrayList<>();
        json.forEach(n -> ids.add(n.get("cell").asText()));
        assertEquals(List.of("demo-pair.gear.value.f0.s0", "demo-pair.gear-no-auto.value.f0.s0", "demo-pair.gear-no-cons.value.f0.s0",
                "demo-pair.gear-no-map.value.f0.s0", "demo-pair.gear-no-metric.value.f0.s0", "demo-pair.gear-no-curv.value.f0.s0",
                "demo-pair.gear.value.f0.s0.n0.2", "demo-pair.gear-no-auto.value.f0.s0.n0.2", "demo-pair.gear-no-cons.value.f0.s0.n0.2",
                "demo-pair.gear-no-map.value.f0.s0.n0.2", "demo-pair.gear-no-metric.value.f0.s0.n0.2",
                "demo-pair.gear-no-curv.value.f0.s0.n0.2"), ids);
        assertEquals(1.5, json.get(6).get("noise_sigma").asDouble());
        assertEquals(0.2, json.get(6).get("noise_fraction").asDouble());
        assertTrue(json.get(0).get("noise_sigma").isNull());
        assertTrue(json.get(0).get("train_rmse").isNumber(), "--ablate records the training RMSE");
        var cfg = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertEquals("[0.0,0.2]", cfg.get("noise_fractions").toString());
        assertEquals(1.5, cfg.get("noise_sigma").asDouble());
        assertTrue(cfg.get("train_rmse").asBoolean());
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains("## Label noise") && md.contains("## Extrapolation") && md.contains("## Ablation"), md);
        // variants are accepted by name, unknown ones and bad fractions are refused with exit 2
        r = MainTest.run("benchmark", "--pairs", pairs.toString(), "--methods", "gear-no-curv", "--split-types", "random",
                "--folds", "2", "--max-folds", "1", "-o", out.resolve("one").toString(), "--no-plots", "--no-load-cache", "--runner",
                FAKE, "--isolation", "thread");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("1 cells: 0 finished before, 1 run now, 0 failed"), r.out());
        r = MainTest.run(args("--runner", FAKE, "--methods", "gear"));
        assertEquals(2, r.code(), "stl,gear + gear: a method listed twice");
        assertTrue(r.err().contains("listed twice"), r.err());
        r = MainTest.run(args("--runner", FAKE, "--methods", "gear-no-magic"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown method 'gear-no-magic'") && r.err().contains("gear-no-curv"), r.err());
        r = MainTest.run(args("--runner", FAKE, "--noise-fractions", "0,1.5"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--noise-fractions"), r.err());
        r = MainTest.run(args("--runner", FAKE, "--noise-sigma", "3"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--noise-sigma needs --noise-fractions"), r.err());
    }

    /** A whole {@code gear benchmark} JVM dies after 3 cells (as if killed); the rerun runs only the 5 missing cells. */
    @Test
    void resumesAfterTheProcessIsKilled() throws Exception {
        Path log = out.resolve("calls.log");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Dgear.fake.log=" + log, "-Dgear.fake.exitAfter=3", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args("--runner", FAKE, "--isolation", "thread", "--workers", "1")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.resolve("killed.log").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child benchmark did not end");
        assertEquals(3, p.exitValue(), Files.readString(out.resolve("killed.log")));
        assertEquals(3, Files.readAllLines(log).size());
        assertEquals(4, Files.readAllLines(out.resolve("results.csv")).size(), "3 finished cells were recorded before the kill");

        String old = System.getProperty("gear.fake.log");
        System.setProperty("gear.fake.log", log.toString());
        try {
            MainTest.Result r = MainTest.run(args("--runner", FAKE, "--isolation", "thread", "--workers", "1"));
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("8 cells: 3 finished before, 5 run now, 0 failed"), r.out());
        } finally {
            if (old == null) {
                System.clearProperty("gear.fake.log");
            } else {
                System.setProperty("gear.fake.log", old);
            }
        }
        List<String> calls = Files.readAllLines(log);
        assertEquals(8, calls.size());
        assertEquals(8, new HashSet<>(calls).size(), "every cell ran exactly once over the two runs");
        assertEquals(9, Files.readAllLines(out.resolve("results.csv")).size());
    }
}
