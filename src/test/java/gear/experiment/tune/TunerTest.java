package gear.experiment.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import gear.data.BadInputException;
import gear.data.MoleculeDataset;
import gear.data.SplitType;
import gear.demo.DemoData;
import gear.experiment.grid.DataRef;
import gear.experiment.grid.PairSpec;
import gear.experiment.grid.Protocol;
import gear.data.CsvLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tuner with a fast, deterministic fake trial runner (the real runner: gear.cli.TuneCommandTest). */
class TunerTest {
    @TempDir
    static Path data;
    static PairSpec pair;

    @BeforeAll
    static void demo() throws Exception {
        DemoData.Result d = DemoData.generate(data.resolve("demo"), 3);
        keepFirstRows(d.source().path(), 400); // a smaller source: loading, not the tuner, is what costs here
        pair = new PairSpec("demo", new DataRef(d.source().path().toString(), DemoData.SOURCE_COLUMN),
                new DataRef(d.target().path().toString(), DemoData.TARGET_COLUMN), 80);
    }

    /** Cuts a CSV to its header and first n rows. */
    static void keepFirstRows(Path csv, int n) throws java.io.IOException {
        List<String> lines = Files.readAllLines(csv);
        Files.write(csv, lines.subList(0, Math.min(lines.size(), n + 1)));
    }

    static TuneConfig config(List<String> methods, int trials, int rungs) {
        return new TuneConfig(List.of(pair), methods, List.of(SplitType.RANDOM, SplitType.SCAFFOLD), List.of(0L, 1L), 2, 0, 0.2,
                Map.of("hidden_size", "16"), SearchSpace.defaults(methods), trials, 1, 2, rungs, 5, null, data.resolve("cache"));
    }

    /** A made-up validation RMSE: best near max_lr 1e-3 and small dropout, improving with epochs, unit-dependent scale. */
    static final class Fake implements TrialRunner {
        final AtomicInteger calls = new AtomicInteger();
        final Map<String, Integer> perMethod = new HashMap<>();
        final Map<String, Set<Integer>> epochsPerRung = new HashMap<>();

        @Override
        public synchronized TrialResult run(Trial t, Data d) {
            calls.incrementAndGet();
            perMethod.merge(t.method(), 1, Integer::sum);
            epochsPerRung.computeIfAbsent(t.method() + t.rung(), k -> new HashSet<>()).add(d.options().get(gear.train.TrainOptions.EPOCHS));
            double lr = Double.parseDouble(t.values().get("max_lr"));
            double x = Math.abs(Math.log10(lr) + 3) + Double.parseDouble(t.values().get("dropout"));
            double scale = t.splitType() == SplitType.RANDOM ? 10 : 100;
            return new TrialResult(scale * (1 + x + 1.0 / t.epochs()) * (1 + t.seed()), 0, 0.0, TrialResult.OK);
        }
    }

    @Test
    void everyMethodGetsTheSameTrialsAndEpochs() throws Exception {
        Fake f = new Fake();
        Tuner.Outcome o = new Tuner(config(List.of("stl", "gear", "kd"), 8, 3), data.resolve("equal"), System.err).runner(f).run();
        assertTrue(o.complete());
        // 8 + 4 + 2 configurations × 4 units (2 split types × 2 seeds)
        assertEquals(Map.of("stl", 56, "gear", 56, "kd", 56), f.perMethod);
        assertEquals(56, config(List.of("stl"), 8, 3).trialsPerMethod());
        for (String m : List.of("stl", "gear", "kd")) {
            assertEquals(Set.of(1), f.epochsPerRung.get(m + 0));
            assertEquals(Set.of(2), f.epochsPerRung.get(m + 1));
            assertEquals(Set.of(4), f.epochsPerRung.get(m + 2));
        }
        assertEquals(Set.of("stl", "gear", "kd"), o.chosen().keySet());
        // the shared values are the same draws for every method, so the fake (which reads only those) picks the same one
        assertEquals(o.chosen().get("stl").values().get("max_lr"), o.chosen().get("gear").values().get("max_lr"));
        assertTrue(Files.isRegularFile(data.resolve("equal").resolve(TuneReport.CHOSEN)));
        String summary = Files.readString(data.resolve("equal").resolve("summary.md"));
        assertTrue(summary.contains("## Chosen values") && summary.contains("| gear | c"), summary);
    }

    @Test
    void resumeAfterAPartialRunChoosesWhatAnUninterruptedRunChooses() throws Exception {
        TuneConfig cfg = config(List.of("stl", "gear"), 6, 2);
        Fake whole = new Fake();
        Tuner.Outcome a = new Tuner(cfg, data.resolve("whole"), System.err).runner(whole).run();
        Path part = data.resolve("part");
        Fake f1 = new Fake();
        Tuner.Outcome p1 = new Tuner(cfg, part, System.err).runner(f1).maxTrials(7).run();
        assertFalse(p1.complete());
        assertEquals(7, f1.calls.get());
        assertFalse(Files.exists(part.resolve(TuneReport.CHOSEN)), "no answer before every rung is finished");
        Fake f2 = new Fake();
        Tuner.Outcome p2 = new Tuner(cfg, part, System.err).runner(f2).maxTrials(30).run();
        assertFalse(p2.complete());
        Fake f3 = new Fake();
        Tuner.Outcome p3 = new Tuner(cfg, part, System.err).runner(f3).run();
        assertTrue(p3.complete());
        assertEquals(whole.calls.get(), f1.calls.get() + f2.calls.get() + f3.calls.get(), "no trial ran twice");
        assertEquals(a.chosen(), p3.chosen());
        var m = new ObjectMapper();
        assertEquals(m.readTree(data.resolve("whole").resolve(TuneReport.CHOSEN).toFile()).get("methods"),
                m.readTree(part.resolve(TuneReport.CHOSEN).toFile()).get("methods"));
        // a finished tune runs nothing and gives the same answer
        Fake f4 = new Fake();
        assertEquals(a.chosen(), new Tuner(cfg, part, System.err).runner(f4).run().chosen());
        assertEquals(0, f4.calls.get());
        // another configuration in the same directory is refused
        BadInputException e = assertThrows(BadInputException.class,
                () -> new Tuner(config(List.of("stl", "gear"), 5, 2), part, System.err).runner(new Fake()).run());
        assertTrue(e.getMessage().contains("another configuration"), e.getMessage());
    }

    @Test
    void twoWorkersOnOneDirectoryNeverRunATrialTwice() throws Exception {
        TuneConfig cfg = config(List.of("stl", "gear"), 4, 2);
        Fake alone = new Fake();
        Tuner.Outcome a = new Tuner(cfg, data.resolve("alone"), System.err).runner(alone).run();
        Path dir = data.resolve("shared");
        Fake f1 = new Fake();
        Fake f2 = new Fake();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var o1 = pool.submit(() -> new Tuner(cfg, dir, System.err).runner(f1).pollMillis(20).run());
            var o2 = pool.submit(() -> new Tuner(cfg, dir, System.err).runner(f2).pollMillis(20).run());
            assertEquals(a.chosen(), o1.get().chosen());
            assertEquals(a.chosen(), o2.get().chosen());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(alone.calls.get(), f1.calls.get() + f2.calls.get(), "every trial ran exactly once");
    }

    /** Loads as the grid does (bad rows skipped, a repeated molecule's later rows left out). */
    static MoleculeDataset load(DataRef r) {
        return CsvLoader.of(r.resolve(null)).targetColumns(List.of(r.column())).policy(gear.data.InvalidPolicy.SKIP)
                .duplicates(gear.data.DuplicatePolicy.FIRST).load().dataset();
    }

    @Test
    void aTrialSeesTheNonTestPoolOnlyAndNoOutputHoldsATestMetric() throws Exception {
        TuneConfig cfg = config(List.of("stl"), 2, 1);
        MoleculeDataset target = load(pair.target());
        MoleculeDataset source = load(pair.source());
        AtomicInteger checked = new AtomicInteger();
        TrialRunner spy = (t, d) -> {
            Protocol.Resolved pr = Protocol.resolve(target, source, t.splitType(), t.seed(), 2, 0.2, 80);
            Set<String> test = new HashSet<>();
            for (int i : pr.test()) {
                test.add(target.canonicalSmiles(i));
            }
            assertEquals(pr.pool().length, d.pool().size());
            for (int i = 0; i < d.pool().size(); i++) {
                assertFalse(test.contains(d.pool().canonicalSmiles(i)), "a test molecule in the trial's target");
            }
            for (int i = 0; i < d.source().size(); i++) {
                assertFalse(test.contains(d.source().canonicalSmiles(i)), "a test molecule in the trial's source");
            }
            assertEquals(pr.pool().length, d.train().length + d.val().length);
            checked.incrementAndGet();
            return new TrialResult(1 + t.config(), 0, 0, TrialResult.OK);
        };
        Path dir = data.resolve("notest");
        assertTrue(new Tuner(cfg, dir, System.err).runner(spy).run().complete());
        assertEquals(8, checked.get());
        try (var files = Files.walk(dir.resolve("trials"))) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".json")).toList()) {
                // the one setting named after the test part (source_purge test: which target molecules leave the
                // source) is no test number
                assertFalse(Files.readString(f).toLowerCase().replaceAll("\"source_purge\"\\s*:\\s*\"test\"", "")
                        .contains("test"), f + " mentions a test number");
            }
        }
        assertFalse(Files.readString(dir.resolve("trials.csv")).contains("test"));
    }

    @Test
    void aSecondStageStartsFromTheFirstStagesValuesTunesOnlyItsSpaceAndChoosesBoth() throws Exception {
        List<String> ms = List.of("mtl", "gear");
        Path first = data.resolve("stage1");
        assertTrue(new Tuner(config(ms, 4, 1), first, System.err).runner(new Fake()).run().complete());
        TuneReport.Chosen base = TuneReport.readChosen(first.resolve(TuneReport.CHOSEN));
        SearchSpace exposure = SearchSpace.fromJson(new ObjectMapper().readTree("{\"search\": \"grid\", \"methods\": {"
                + "\"mtl\": {\"source_batches\": {\"choice\": [1, 2, 4]}}, \"gear\": {\"source_batches\": {\"choice\": [1, 2, 4]}}}}"),
                ms);
        TuneConfig second = new TuneConfig(List.of(pair), ms, List.of(SplitType.RANDOM), List.of(0L), 2, 0, 0.2,
                Map.of("hidden_size", "16"), exposure, 3, 1, 2, 1, 5, null, data.resolve("cache"), base);
        // the fake prefers two source batches; every trial carries the first stage's values of its method
        Map<String, Integer> calls = new java.util.concurrent.ConcurrentHashMap<>();
        TrialRunner fake = (t, d) -> {
            calls.merge(t.method(), 1, Integer::sum);
            Map<String, String> b = base.values().get(t.method());
            for (Map.Entry<String, String> e : b.entrySet()) {
                if (!e.getKey().equals("source_batches")) {
                    assertEquals(e.getValue(), t.values().get(e.getKey()), t + " " + e.getKey());
                    assertEquals(gear.transfer.TransferOptions.defaults().with(e.getKey(), e.getValue()).toJson(new ObjectMapper())
                            .path(e.getKey()), d.options().toJson(new ObjectMapper()).path(e.getKey()), t + " " + e.getKey());
                }
            }
            int sb = Integer.parseInt(t.values().get("source_batches"));
            assertEquals(sb, (int) d.options().get(gear.transfer.TransferSchema.SOURCE_BATCHES));
            return new TrialResult(1 + Math.abs(sb - 2), 0, 0, TrialResult.OK);
        };
        Tuner.Outcome o = new Tuner(second, data.resolve("stage2"), System.err).runner(fake).run();
        assertTrue(o.complete());
        assertEquals(Map.of("mtl", 3, "gear", 3), calls, "three configurations on one unit, the same for both methods");
        for (String m : ms) {
            Map<String, String> want = new java.util.LinkedHashMap<>(base.values().get(m));
            want.put("source_batches", "2");
            assertEquals(want, TuneReport.readChosen(data.resolve("stage2").resolve(TuneReport.CHOSEN)).values().get(m), m);
        }
        assertTrue(Files.readString(data.resolve("stage2").resolve("summary.md")).contains("second stage"));
        // resuming reads the recorded configuration back (base included) and runs nothing
        assertEquals(o.chosen(), new Tuner(second, data.resolve("stage2"), System.err).runner(fake).run().chosen());
        assertEquals(Map.of("mtl", 3, "gear", 3), calls);
        assertEquals(second.fingerprint(), TuneConfig.fromJson(second.toJson()).fingerprint());
        // other first-stage values are another tune
        Map<String, Map<String, String>> moved = new java.util.LinkedHashMap<>(base.values());
        Map<String, String> g = new java.util.LinkedHashMap<>(moved.get("gear"));
        g.put("max_lr", "0.0005");
        moved.put("gear", g);
        TuneConfig other = new TuneConfig(List.of(pair), ms, List.of(SplitType.RANDOM), List.of(0L), 2, 0, 0.2,
                Map.of("hidden_size", "16"), exposure, 3, 1, 2, 1, 5, null, data.resolve("cache"),
                new TuneReport.Chosen(base.file(), base.sha256(), moved));
        assertTrue(!other.fingerprint().equals(second.fingerprint()));
        // refused before anything runs: a fixed value given again, a method the first stage lacks, a grid of another size
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> new TuneConfig(List.of(pair), ms,
                List.of(SplitType.RANDOM), List.of(0L), 2, 0, 0.2, Map.of("max_lr", "0.001"), exposure, 3, 1, 2, 1, 5, null, null, base));
        assertTrue(a.getMessage().contains("max_lr") && a.getMessage().contains("one way"), a.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> new TuneConfig(List.of(pair),
                List.of("mtl", "gear", "gate"), List.of(SplitType.RANDOM), List.of(0L), 2, 0, 0.2, Map.of(),
                SearchSpace.defaults(List.of("mtl", "gear", "gate")), 3, 1, 2, 1, 5, null, null, base));
        assertTrue(b.getMessage().contains("no values for method gate"), b.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> new TuneConfig(List.of(pair), ms,
                List.of(SplitType.RANDOM), List.of(0L), 2, 0, 0.2, Map.of(), exposure, 4, 1, 2, 1, 5, null, null, base));
        assertTrue(c.getMessage().contains("3 configurations"), c.getMessage());
    }

    /**
     * A tune records the source purge it runs with (the default, validation, where --set does not name it), so that a
     * later change of the default cannot give a directory trials of another meaning; a tune recorded before the
     * default changed (no purge in its options) ran with test and keeps its fingerprint when resumed with test.
     */
    @Test
    void theSourcePurgeIsRecordedAndATuneFromBeforeTheDefaultChangedKeepsItsFingerprint() {
        List<String> ms = List.of("stl", "gear");
        java.util.function.Function<Map<String, String>, TuneConfig> make = o -> new TuneConfig(List.of(pair), ms,
                List.of(SplitType.RANDOM), List.of(0L), 2, 0, 0.2, o, SearchSpace.defaults(ms), 3, 1, 2, 1, 5, null, null);
        TuneConfig byDefault = make.apply(Map.of("hidden_size", "16"));
        assertEquals("validation", byDefault.options().get("source_purge"));
        assertEquals("validation", byDefault.toJson().get("options").get("source_purge").asText());
        assertEquals(byDefault.fingerprint(), make.apply(Map.of("hidden_size", "16", "source_purge", "validation")).fingerprint());
        TuneConfig test = make.apply(Map.of("hidden_size", "16", "source_purge", "test"));
        assertTrue(!test.fingerprint().equals(byDefault.fingerprint()));
        // a config.json written before: no purge among its options; read back, it purged the test part, with the
        // fingerprint it was written with (the options' text without the purge) and that of a resume with test
        var old = test.toJson();
        ((com.fasterxml.jackson.databind.node.ObjectNode) old.get("options")).remove("source_purge");
        TuneConfig read = TuneConfig.fromJson(old);
        assertEquals("test", read.options().get("source_purge"));
        assertEquals(test.fingerprint(), read.fingerprint());
        old.remove("data_dir");
        old.remove("cache_dir");
        assertEquals(gear.data.Hashing.sha256(old.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .substring(0, 16), read.fingerprint(), "the hash of the options as written then");
    }
}
