package gear.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.nn.Torch;
import gear.train.EpochStats;
import gear.train.TrainListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pretraining cache ({@link PretrainCache}) and the source validation split of the pretraining phase: a cached
 * run gives the same result as an uncached one; finetune, KD and GSP-KD share one entry (its key ignores the
 * target-phase options); concurrent requests compute an entry once; a damaged entry is recomputed; a killed
 * computation resumes; pretraining keeps its best source-validation epoch and stops early.
 */
class PretrainCacheTest {
    static MoleculeDataset[] pair;
    static Split split;
    @TempDir
    Path dir;

    @BeforeAll
    static void init() {
        Torch.init(1);
        pair = PairFixture.pair(160, 100);
        split = PairFixture.split(pair[1]);
    }

    static TransferOptions options() {
        return PairFixture.small(2).with(TransferSchema.PRETRAIN_EPOCHS, 3);
    }

    static TransferOutcome run(String method, TransferOptions o, Path out, PretrainCache cache, TrainListener l) {
        return TransferRun.run(new TransferSpec(Methods.get(method), pair[0], "ys", pair[1], "yt", split, o, 0, out), l, null,
                false, cache);
    }

    static JsonNode pretraining(Path runDir) throws Exception {
        return new ObjectMapper().readTree(runDir.resolve(RunFiles.CONFIG).toFile()).get("pretraining");
    }

    @Test
    void cachedRunsEqualUncachedAndTheThreeMethodsShareOneEntry() throws Exception {
        PretrainCache cache = new PretrainCache(dir.resolve("cache"));
        TransferOutcome plain = run("finetune", options(), null, null, null);
        TransferOutcome first = run("finetune", options(), dir.resolve("ft"), cache, null);
        assertEquals(plain.testRmse(), first.testRmse(), 0.0, "computing into the cache changes nothing");
        assertTrue(pretraining(dir.resolve("ft")).get("computed").asBoolean());
        // other target-phase options (w_kd, epochs) do not change the key: KD and GSP-KD reuse the entry
        TransferOptions kdOpts = options().with(TransferSchema.W_KD, 0.5).with(TransferSchema.EPOCHS, 3);
        TransferOutcome kdPlain = run("kd", kdOpts, null, null, null);
        TransferOutcome kd = run("kd", kdOpts, dir.resolve("kd"), cache, null);
        TransferOutcome gsp = run("gspkd", options(), dir.resolve("gsp"), cache, null);
        assertEquals(kdPlain.testRmse(), kd.testRmse(), 0.0, "a cached run gives the uncached run's result");
        assertFalse(pretraining(dir.resolve("kd")).get("computed").asBoolean());
        assertFalse(pretraining(dir.resolve("gsp")).get("computed").asBoolean());
        String fp = pretraining(dir.resolve("ft")).get("cache").asText();
        assertEquals(fp, pretraining(dir.resolve("kd")).get("cache").asText());
        assertEquals(fp, pretraining(dir.resolve("gsp")).get("cache").asText());
        assertEquals(1, entries(cache), "one entry for the three methods");
        // the pretraining epochs of a cached run are logged as those of the computing run
        assertEquals(pretrainEpochs(first.history()), pretrainEpochs(kd.history()));
        // another pretraining option is another entry
        run("finetune", options().with(TransferSchema.PRETRAIN_EPOCHS, 2), null, cache, null);
        assertEquals(2, entries(cache));
    }

    /**
     * The target phase's learning rate and dropout do not reach the pretraining: a fine-tuning run at another
     * max_lr and dropout takes the same entry, and computing it gives the same source network as the cached one.
     */
    @Test
    void targetPhaseLearningRateAndDropoutShareThePretraining() throws Exception {
        PretrainCache cache = new PretrainCache(dir.resolve("lr"));
        TransferOptions tuned = options().with(gear.train.TrainOptions.MAX_LR, 3e-3).with(TransferSchema.DROPOUT, 0.2);
        TransferOutcome plain = run("finetune", tuned, null, null, null);
        run("finetune", options(), dir.resolve("a"), cache, null);
        TransferOutcome cached = run("finetune", tuned, dir.resolve("b"), cache, null);
        assertEquals(pretraining(dir.resolve("a")).get("cache").asText(), pretraining(dir.resolve("b")).get("cache").asText());
        assertFalse(pretraining(dir.resolve("b")).get("computed").asBoolean());
        assertEquals(plain.testRmse(), cached.testRmse(), 0.0, "a cached pretraining = one computed at the tuned options");
        assertEquals(pretrainEpochs(plain.history()), pretrainEpochs(cached.history()));
        assertNotEquals(run("finetune", options(), null, null, null).testRmse(), plain.testRmse(),
                "the target phase does use its own max_lr and dropout");
        // a pretraining option of its own is another entry
        run("finetune", tuned.with(TransferSchema.PRETRAIN_MAX_LR, 3e-3), null, cache, null);
        assertEquals(2, entries(cache));
    }

    /**
     * source_init pretrained: MTL, GATE and GEAR start their source network from fine-tuning's cached pretraining;
     * source_init both (GATE, GEAR): their target encoder too, from the same entry.
     */
    @Test
    @org.junit.jupiter.api.Tag("slow")
    void pairedMethodsWarmStartFromTheSharedPretraining() throws Exception {
        PretrainCache cache = new PretrainCache(dir.resolve("w"));
        run("finetune", options(), dir.resolve("ft"), cache, null);
        String fp = pretraining(dir.resolve("ft")).get("cache").asText();
        TransferOptions warm = options().with(TransferSchema.SOURCE_INIT, "pretrained");
        for (String m : List.of("mtl", "gate", "gear")) {
            TransferOutcome scratch = run(m, options(), null, null, null);
            TransferOutcome plain = run(m, warm, null, null, null);
            TransferOutcome cached = run(m, warm, dir.resolve(m), cache, null);
            JsonNode p = pretraining(dir.resolve(m));
            assertEquals(fp, p.get("cache").asText(), m + " uses fine-tuning's entry");
            assertFalse(p.get("computed").asBoolean(), m);
            assertEquals(plain.testRmse(), cached.testRmse(), 0.0, m + ": cached warm start = uncached one");
            assertNotEquals(scratch.testRmse(), plain.testRmse(), m + ": the warm start changes the run");
            assertEquals(3, plain.history().stream().filter(e -> e.phase().equals("pretrain")).count(), m);
            if (!m.equals("mtl")) { // source_init both: the target's own encoder starts from the same entry
                TransferOutcome both = run(m, options().with(TransferSchema.SOURCE_INIT, "both"), dir.resolve(m + "-both"),
                        cache, null);
                assertEquals(fp, pretraining(dir.resolve(m + "-both")).get("cache").asText(), m + " both");
                assertNotEquals(plain.testRmse(), both.testRmse(), m + ": both changes the run");
            }
        }
        assertEquals(1, entries(cache));
        // the default is scratch: no pretraining phase
        assertEquals(0, run("gear", options(), null, null, null).history().stream()
                .filter(e -> e.phase().equals("pretrain")).count());
    }

    @Test
    void keyHoldsWhatPretrainingReadsAndNothingElse() {
        TransferOptions o = options();
        String k = Pretraining.key(o, 0, "src", true);
        for (TransferOptions same : List.of(o.with(TransferSchema.W_CURV, 0.5), o.with(TransferSchema.W_KD, 3.0),
                o.with(TransferSchema.EPOCHS, 9), o.with(gear.train.TrainOptions.PATIENCE, 4),
                o.with(TransferSchema.SOURCE_INIT, "pretrained"), o.with(TransferSchema.GATE_PHI_INIT, "isometric"),
                o.with(gear.train.TrainOptions.MAX_LR, 1e-2), o.with(TransferSchema.DROPOUT, 0.2),
                // what source_purge changes is the source itself, which the key names by its digest
                o.with(TransferSchema.SOURCE_PURGE, "validation"))) {
            assertEquals(k, Pretraining.key(same, 0, "src", true), same.toString());
        }
        for (TransferOptions other : List.of(o.with(TransferSchema.PRETRAIN_EPOCHS, 9), o.with(TransferSchema.HIDDEN_SIZE, 16),
                o.with(TransferSchema.PRETRAIN_VAL_FRACTION, 0.1), o.with(TransferSchema.PRETRAIN_PATIENCE, 2),
                o.with(gear.train.TrainOptions.BATCH_SIZE, 7), o.with(TransferSchema.PRETRAIN_MAX_LR, 1e-2),
                o.with(TransferSchema.PRETRAIN_DROPOUT, 0.2))) {
            assertNotEquals(k, Pretraining.key(other, 0, "src", true), other.toString());
        }
        assertNotEquals(k, Pretraining.key(o, 1, "src", true), "seed");
        assertNotEquals(k, Pretraining.key(o, 0, "src2", true), "source data");
    }

    /**
     * A pretraining on a GPU is never reused by a CPU run nor the reverse: the key names the device unless it is the
     * CPU, whose keys (and so the entries already computed, the committed tune's among them) are those of before.
     */
    @Test
    void keyNamesTheDeviceUnlessItIsTheCpu() throws Exception {
        TransferOptions o = options();
        String cpu = Pretraining.key(o, 0, "src", true);
        assertEquals(cpu, Pretraining.key(o, 0, "src", true, "cpu"));
        assertFalse(cpu.contains("device"), cpu);
        assertTrue(cpu.endsWith("\nsource src\n"), "the CPU key's text is the earlier versions': " + cpu);
        for (String gpu : List.of("cuda", "cuda:1")) {
            String k = Pretraining.key(o, 0, "src", true, gpu);
            assertEquals(cpu + "device " + gpu + "\n", k);
            assertNotEquals(PretrainCache.fingerprint(cpu), PretrainCache.fingerprint(k), gpu);
        }
        // a CPU run stores and finds its entry under the CPU key
        PretrainCache cache = new PretrainCache(dir.resolve("device"));
        run("finetune", options(), dir.resolve("device-run"), cache, null);
        assertEquals(PretrainCache.fingerprint(keyOf(options())), pretraining(dir.resolve("device-run")).get("cache").asText());
        JsonNode entry = new ObjectMapper().readTree(cache.dir(keyOf(options())).resolve(PretrainCache.ENTRY).toFile());
        assertFalse(entry.toString().contains("device "), "no device in a CPU entry's key");
    }

    @Test
    void concurrentRequestsComputeOnceAndDamagedEntriesAreRecomputed() throws Exception {
        PretrainCache cache = new PretrainCache(dir.resolve("c"));
        AtomicInteger computed = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<PretrainCache.Lookup> got = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                got.add(cache.get("key", work -> {
                    computed.incrementAndGet();
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return entry(2f);
                }));
            });
            t.start();
            ts.add(t);
        }
        start.countDown();
        for (Thread t : ts) {
            t.join();
        }
        assertEquals(1, computed.get(), "computed once");
        assertEquals(1, got.stream().filter(PretrainCache.Lookup::computed).count());
        for (PretrainCache.Lookup l : got) {
            assertEquals(2f, l.entry().weights().get("source.w").item_float(), 0f);
            assertEquals(2, l.entry().history().size());
        }
        Path e = cache.dir("key");
        // truncated weights: detected (SHA-256), recomputed
        byte[] w = Files.readAllBytes(e.resolve(PretrainCache.WEIGHTS));
        Files.write(e.resolve(PretrainCache.WEIGHTS), java.util.Arrays.copyOf(w, w.length / 2));
        PretrainCache.Lookup again = cache.get("key", work -> entry(3f));
        assertTrue(again.computed());
        assertEquals(3f, cache.get("key", work -> entry(4f)).entry().weights().get("source.w").item_float(), 0f);
        // a partial entry (no entry.json) is recomputed
        Files.delete(e.resolve(PretrainCache.ENTRY));
        assertTrue(cache.get("key", work -> entry(5f)).computed());
        // an entry of another key under the same directory name is not used
        Files.writeString(e.resolve(PretrainCache.ENTRY), Files.readString(e.resolve(PretrainCache.ENTRY))
                .replace("\"key\" : \"key\"", "\"key\" : \"other\""));
        assertTrue(cache.get("key", work -> entry(6f)).computed());
        // a failed computation leaves no entry
        assertThrows(IllegalStateException.class, () -> cache.get("boom", work -> {
            throw new IllegalStateException("simulated failure");
        }));
        assertFalse(Files.exists(cache.dir("boom")));
        assertTrue(cache.get("boom", work -> entry(1f)).computed());
    }

    @Test
    void aKilledComputationResumesToTheSameWeights() throws Exception {
        TransferOptions o = options().with(TransferSchema.PRETRAIN_EPOCHS, 4);
        TransferOutcome plain = run("finetune", o, null, null, null);
        PretrainCache cache = new PretrainCache(dir.resolve("k"));
        TrainListener killer = new TrainListener() {
            @Override
            public void onEpochEnd(EpochStats s) {
                if (s.phase().equals("pretrain") && s.epoch() == 1) {
                    throw new IllegalStateException("simulated kill");
                }
            }
        };
        assertThrows(IllegalStateException.class, () -> run("finetune", o, null, cache, killer));
        String fp = PretrainCache.fingerprint(keyOf(o));
        assertTrue(Files.isRegularFile(cache.root().resolve(fp + ".work").resolve(TransferTrainer.PRETRAIN_CHECKPOINT)),
                "the work directory keeps the checkpoint");
        assertFalse(Files.exists(cache.root().resolve(fp)), "no entry yet");
        TransferOutcome resumed = run("finetune", o, dir.resolve("r"), cache, null);
        assertTrue(pretraining(dir.resolve("r")).get("computed").asBoolean());
        assertEquals(plain.testRmse(), resumed.testRmse(), 0.0, "resumed pretraining = uninterrupted one");
        assertFalse(Files.exists(cache.root().resolve(fp + ".work")), "work directory removed when the entry is stored");
    }

    @Test
    void pretrainingKeepsTheBestSourceEpochAndStopsEarly() throws Exception {
        TransferOptions o = options().with(TransferSchema.PRETRAIN_EPOCHS, 40).with(TransferSchema.PRETRAIN_VAL_FRACTION, 0.25)
                .with(TransferSchema.PRETRAIN_PATIENCE, 2).with(gear.train.TrainOptions.MAX_LR, 0.02)
                .with(gear.train.TrainOptions.INIT_LR, 0.02).with(gear.train.TrainOptions.FINAL_LR, 0.02);
        TransferOutcome r = run("finetune", o, dir.resolve("es"), null, null);
        List<EpochStats> pre = r.history().stream().filter(e -> e.phase().equals("pretrain")).toList();
        assertTrue(pre.size() < 40, "stopped early: " + pre.size() + " epochs");
        int best = -1;
        double bestScore = Double.POSITIVE_INFINITY;
        for (EpochStats e : pre) {
            assertTrue(Double.isFinite(e.valScore()), "source validation score after every epoch");
            if (e.valScore() < bestScore) {
                bestScore = e.valScore();
                best = e.epoch();
            }
        }
        assertEquals(best + 1 + 2, pre.size(), "stops after pretrain_patience epochs without improvement");
        assertEquals(best, pretraining(dir.resolve("es")).get("source_best_epoch").asInt());
        // default: no split, no validation score, every pretrain_epochs epoch run, the last kept
        TransferOutcome d = run("finetune", options(), null, null, null);
        List<EpochStats> dp = d.history().stream().filter(e -> e.phase().equals("pretrain")).toList();
        assertEquals(3, dp.size());
        assertTrue(dp.stream().allMatch(e -> Double.isNaN(e.valScore())));
    }

    @Test
    void sourceValidationSplitIsSeededDisjointAndInSourceUnits() {
        TransferOptions o = options().with(TransferSchema.PRETRAIN_VAL_FRACTION, 0.2);
        int n = 50;
        List<gear.chem.MolGraph> g = new ArrayList<>();
        float[] ys = new float[n];
        for (int i = 0; i < n; i++) {
            g.add(null);
            ys[i] = i;
        }
        PairData d = new PairData(g, ys, new float[n], List.of(), new float[0], new float[0], List.of(), new double[0]);
        gear.data.StandardScaler sc = gear.data.StandardScaler.fit(new double[][] {{0}, {2}});
        PairData a = Pretraining.data(d, o, 0, sc);
        PairData b = Pretraining.data(d, o, 0, sc);
        PairData c = Pretraining.data(d, o, 1, sc);
        assertEquals(10, a.valGraphs().size());
        assertEquals(40, a.sourceGraphs().size());
        assertTrue(java.util.Arrays.equals(a.valY(), b.valY()), "seeded");
        assertFalse(java.util.Arrays.equals(a.valY(), c.valY()), "another seed, another split");
        java.util.Set<Double> seen = new java.util.HashSet<>();
        for (double v : a.valY()) {
            seen.add((v - sc.mean(0)) / sc.std(0));
        }
        for (float v : a.sourceYs()) {
            assertFalse(seen.contains((double) v), "disjoint");
        }
        assertEquals(50, seen.size() + a.sourceYs().length);
        assertTrue(Pretraining.data(d, options(), 0, sc) == d, "fraction 0: the data unchanged");
        assertThrows(IllegalArgumentException.class,
                () -> Pretraining.data(d, o.with(TransferSchema.PRETRAIN_VAL_FRACTION, 1.0), 0, sc));
    }

    /** The key a finetune run on the fixture uses (same digest as {@link TransferRun}). */
    static String keyOf(TransferOptions o) {
        MoleculeDataset src = pair[0].selectTargets(List.of("ys"));
        MoleculeDataset tgt = pair[1];
        java.util.Set<String> test = new java.util.HashSet<>();
        for (int i : split.test()) {
            test.add(tgt.canonicalSmiles(i));
        }
        if (o.purgeValidation()) { // source_purge validation, the default: the validation part leaves the source too
            for (int i : split.val()) {
                test.add(tgt.canonicalSmiles(i));
            }
        }
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < src.size(); i++) {
            if (!test.contains(src.canonicalSmiles(i)) && !Double.isNaN(src.target(i, 0))) {
                keep.add(i);
            }
        }
        return Pretraining.key(o, 0, TransferRun.sourceDigest(src, keep, "ys"), true);
    }

    static long entries(PretrainCache c) throws Exception {
        try (var s = Files.list(c.root())) {
            return s.filter(p -> Files.isDirectory(p) && Files.isRegularFile(p.resolve(PretrainCache.ENTRY))).count();
        }
    }

    static List<Double> pretrainEpochs(List<EpochStats> h) {
        return h.stream().filter(e -> e.phase().equals("pretrain")).map(EpochStats::trainLoss).toList();
    }

    static PretrainCache.Entry entry(float v) {
        Tensor t = gear.nn.Tensors.of(new float[] {v}, 1);
        List<EpochStats> h = List.of(new EpochStats("pretrain", 0, 2, Map.of("reg", 1.0, "total", 1.0), Double.NaN, 1e-3, 0.1,
                true), new EpochStats("pretrain", 1, 2, Map.of("reg", 0.5, "total", 0.5), Double.NaN, 1e-3, 0.1, true));
        return new PretrainCache.Entry(Map.of("source.w", t), h, 1, Double.NaN);
    }
}
