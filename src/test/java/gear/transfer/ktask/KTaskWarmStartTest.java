package gear.transfer.ktask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.data.StandardScaler;
import gear.nn.Torch;
import gear.train.EpochStats;
import gear.train.Provenance;
import gear.transfer.Methods;
import gear.transfer.PairData;
import gear.transfer.PretrainCache;
import gear.transfer.TransferModel;
import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;
import gear.transfer.TransferTrainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The warm start across k tasks ({@code source_init pretrained}, {@code both}; {@link KTaskTrainer}): with k = 2 it is
 * the two-task warm start (the same pretraining epochs and target-phase losses at a fixed seed, and the same cache
 * entry); with more tasks each source's network gets its own pretraining, the shared modules and the evaluated tasks'
 * own embedding and encoder the first source's.
 */
class KTaskWarmStartTest {
    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    static TransferOptions options(String sourceInit) {
        return KFixture.small(2).with(TransferSchema.GATE_PHI_INIT, "isometric").with(TransferSchema.SOURCE_INIT, sourceInit)
                .with(TransferSchema.PRETRAIN_EPOCHS, 3).with(TransferSchema.PRETRAIN_VAL_FRACTION, 0.1)
                .with(TransferSchema.PRETRAIN_PATIENCE, 0);
    }

    @ParameterizedTest
    @CsvSource({"gear,both", "gear,pretrained", "gate,both", "gate,pretrained", "mtl,pretrained"})
    void twoTasksReproduceTheTwoTaskWarmStart(String name, String sourceInit, @TempDir Path dir) {
        TransferOptions o = options(sourceInit);
        StandardScaler u = KFixture.unit();
        PairData pd = KTaskGearTest.pair();
        PretrainCache cache = new PretrainCache(dir);
        TransferModel two = new TransferModel(Methods.get(name), o, 9, u, u, "s", "t", Provenance.now("", 9));
        TransferTrainer.Fit f2 = new TransferTrainer(two, 9, null).pretrainCache(cache, "source digest").fit(pd);
        KTaskModel k2 = new KTaskModel(KMethod.get(name), o, 9, List.of("s", "t"), 1, List.of(u, u));
        KTaskTrainer kt = new KTaskTrainer(k2, 9, null);
        List<String> digests = new ArrayList<>();
        digests.add("source digest");
        digests.add(null);
        KTaskTrainer.Fit fk = kt.warmStartCache(cache, digests).fit(KTaskData.fromPair(pd, "s", "t"));
        assertEquals(1, kt.warmStartSources().size());
        KTaskTrainer.WarmStartSource src = kt.warmStartSources().get(0);
        assertEquals(0, src.task());
        assertFalse(src.lookup().computed(), "the k-task warm start reads the two-task run's cache entry");
        assertEquals(src.lookup().entry().history().size(), src.history().size());
        assertEquals(3 + 2, f2.history().size());
        assertEquals(f2.history().size(), fk.history().size());
        for (int e = 0; e < f2.history().size(); e++) {
            EpochStats x = f2.history().get(e);
            EpochStats y = fk.history().get(e);
            assertEquals(x.phase(), y.phase());
            for (Map.Entry<String, Double> t : x.terms().entrySet()) {
                if (!k2.method().terms().contains(t.getKey()) && !t.getKey().equals("total")) {
                    continue;
                }
                double vx = t.getValue();
                double vy = y.terms().get(t.getKey());
                assertTrue(Math.abs(vx - vy) <= 1e-4 * Math.max(1e-6, Math.abs(vx)),
                        name + " " + x.phase() + " epoch " + e + " " + t.getKey() + ": " + vx + " vs " + vy);
            }
            assertEquals(x.valScore(), y.valScore(), 1e-4 * Math.abs(x.valScore()), name + " validation, epoch " + e);
        }
        assertEquals(f2.bestEpoch(), fk.bestEpoch());
        // and the warm start changed the run: from scratch the target phase differs
        KTaskModel scratch = new KTaskModel(KMethod.get(name), options("scratch"), 9, List.of("s", "t"), 1, List.of(u, u));
        KTaskTrainer.Fit fs = new KTaskTrainer(scratch, 9, null).fit(KTaskData.fromPair(pd, "s", "t"));
        assertTrue(fs.history().get(0).valScore() != fk.history().get(3).valScore(), name + " " + sourceInit);
    }

    /** Three tasks, two sources: what each source's pretraining writes, per method and choice. */
    @ParameterizedTest
    @CsvSource({"gear,both", "gear,pretrained", "gate,both", "gate,pretrained", "mtl,both"})
    void eachSourceStartsFromItsOwnPretraining(String name, String sourceInit) {
        KTaskModel m = new KTaskModel(KMethod.get(name), options(sourceInit), 4, List.of("a", "b", "c"), 2,
                List.of(KFixture.unit(), KFixture.unit(), KFixture.unit()));
        Map<String, Tensor> mine = m.params().asMap();
        boolean both = sourceInit.equals("both");
        Map<String, Tensor> first = pretrained(mine, 0, 1.0f);
        Set<String> w0 = KWarmStart.copy(first, mine, 0, both ? List.of(-1, 2) : List.of(-1));
        Map<String, Tensor> second = pretrained(mine, 1, 2.0f);
        Set<String> w1 = KWarmStart.copy(second, mine, 1, List.of());
        KMethod.Layout l = KMethod.get(name).layout();
        Set<String> expect0 = new TreeSet<>();
        Set<String> expect1 = new TreeSet<>();
        for (String k : mine.keySet()) {
            String module = k.substring(k.indexOf('.') + 1, k.indexOf('.', k.indexOf('.') + 1));
            boolean moduleCopied = module.equals("embedding") || module.equals("encoder") || module.equals("head");
            if (!moduleCopied) {
                continue;
            }
            if (k.startsWith("task0.")) {
                expect0.add(k);
            } else if (k.startsWith("task1.")) {
                expect1.add(k);
            } else if (k.startsWith("shared.")) {
                expect0.add(k);
            } else if (k.startsWith("task2.") && both && !module.equals("head")) {
                expect0.add(k);
            }
        }
        assertEquals(expect0, new TreeSet<>(w0), name);
        assertEquals(expect1, new TreeSet<>(w1), name);
        assertTrue(w0.stream().anyMatch(k -> k.startsWith("task0.head.")), "the source's head");
        assertEquals(l.sharedEmbedding(), w0.stream().anyMatch(k -> k.startsWith("shared.embedding.")), name);
        assertEquals(both && !l.sharedEncoder(), w0.stream().anyMatch(k -> k.startsWith("task2.encoder.")), name);
        for (String k : w0) {
            assertEquals(1.0f, gear.nn.Tensors.toFloats(mine.get(k))[0], 0f, k);
        }
        for (String k : w1) {
            assertEquals(2.0f, gear.nn.Tensors.toFloats(mine.get(k))[0], 0f, k);
        }
        assertTrue(mine.keySet().stream().filter(k -> k.startsWith("task2.head.") || k.contains(".phi.") || k.contains(".psi."))
                .noneMatch(k -> w0.contains(k) || w1.contains(k)), "targets' heads, φ and ψ keep their initialization");
    }

    /**
     * A pretrained source network of the shapes of task {@code t}'s modules (shared ones where the model shares them),
     * filled with {@code v}.
     */
    private static Map<String, Tensor> pretrained(Map<String, Tensor> mine, int t, float v) {
        Map<String, Tensor> p = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : mine.entrySet()) {
            String k = e.getKey();
            for (String prefix : List.of("task" + t + ".", "shared.")) {
                if (k.startsWith(prefix)) {
                    String rest = k.substring(prefix.length());
                    if (rest.startsWith("embedding.") || rest.startsWith("encoder.") || rest.startsWith("head.")) {
                        long[] shape = gear.nn.Tensors.shape(e.getValue());
                        float[] f = new float[(int) java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
                        java.util.Arrays.fill(f, v);
                        p.put("source." + rest, gear.nn.Tensors.of(f, shape));
                    }
                }
            }
        }
        return p;
    }

    @Test
    void threeTasksWarmStartEverySourceAndTrain() {
        KTaskData d = KFixture.data(3);
        StandardScaler u = KFixture.unit();
        KTaskModel m = new KTaskModel(KMethod.get("gear"), options("both"), 5, d.names(), d.primary(), List.of(u, u, u));
        KTaskTrainer.Fit f = new KTaskTrainer(m, 5, null).fit(d);
        long pre = f.history().stream().filter(e -> e.phase().equals("pretrain")).count();
        assertEquals(2 * 3, pre, "two sources, three pretraining epochs each");
        assertEquals(2, f.history().stream().filter(e -> e.phase().equals("train")).count());
        assertTrue(Double.isFinite(f.bestValScore()));
    }
}
