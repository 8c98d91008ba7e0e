package gear.transfer.ktask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import gear.data.CsvLoader;
import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.nn.Torch;
import gear.train.EpochStats;
import gear.train.TrainListener;
import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning from a model pretrained on all sources ({@link KFinetune}), and the data rules of several evaluated
 * tasks ({@link KTaskRun}).
 */
class KFinetuneTest {
    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    @Test
    void pretrainDataHoldsOutEachSourceAndHidesTheEvaluatedTasks() {
        KTaskData d = KFixture.data(3); // task 2 primary
        KTaskModel m = new KTaskModel(KFinetune.INSTANCE, KFixture.small(1), 1, d.names(), 2,
                List.of(KFixture.unit(), new gear.data.StandardScaler(new double[] {1}, new double[] {2}), KFixture.unit()));
        KTaskData p = KTaskTrainer.pretrainData(d, 0.2, 5, m);
        assertEquals(0, p.graphs().get(2).size(), "the evaluated task has no pretraining molecules");
        assertEquals(List.of(0, 1), p.evaluated(), "the sources are evaluated in the pretraining phase");
        for (int s = 0; s < 2; s++) {
            assertEquals(24, p.graphs().get(s).size()); // 30 − round(0.2·30)
            KTaskData.Evaluated e = s == 0 ? new KTaskData.Evaluated(0, p.valGraphs(), p.valY()) : p.alsoEvaluated().get(0);
            assertEquals(6, e.valGraphs().size());
            // held-out and kept molecules partition the source, values back in the source's units
            Set<Object> all = new HashSet<>(d.graphs().get(s));
            Set<Object> parts = new HashSet<>(p.graphs().get(s));
            parts.addAll(e.valGraphs());
            assertEquals(all, parts);
            for (int j = 0; j < e.valGraphs().size(); j++) {
                int i = d.graphs().get(s).indexOf(e.valGraphs().get(j));
                assertEquals(d.labels().get(s)[s][i] * m.scaler(s).std(0) + m.scaler(s).mean(0), e.valY()[j], 1e-6);
            }
            for (float v : p.labels().get(s)[2]) {
                assertTrue(Float.isNaN(v), "no evaluated-task label in the pretraining phase");
            }
        }
        assertEquals(30, KTaskTrainer.pretrainData(d, 0, 5, m).graphs().get(0).size(), "f = 0: nothing held out");
        assertThrows(IllegalArgumentException.class, () -> KTaskTrainer.pretrainData(d, 1.0, 5, m));
    }

    @Test
    void pretrainingTrainsTheSharedNetworkAndSourceHeadsOnly() {
        KTaskData d = KFixture.data(3);
        TransferOptions o = KFixture.small(2).with(TransferSchema.PRETRAIN_EPOCHS, 3);
        KTaskModel m = new KTaskModel(KFinetune.INSTANCE, o, 4, d.names(), 2, List.of(KFixture.unit(), KFixture.unit(),
                KFixture.unit()));
        Map<String, Tensor> init = m.params().snapshot();
        List<Map<String, Tensor>> afterPretrain = new ArrayList<>();
        TrainListener l = new TrainListener() {
            @Override
            public void onEpochEnd(EpochStats e) {
                if (e.phase().equals("pretrain") && e.epoch() == 2) {
                    afterPretrain.add(m.params().snapshot());
                }
            }
        };
        KTaskTrainer.Fit f = new KTaskTrainer(m, 4, l).fit(d);
        assertEquals(List.of("pretrain", "pretrain", "pretrain", "train", "train"),
                f.history().stream().map(EpochStats::phase).toList());
        Map<String, Tensor> pre = afterPretrain.get(0);
        for (String name : init.keySet()) {
            boolean same = init.get(name).equal(pre.get(name));
            if (name.startsWith("task2.head.")) {
                assertTrue(same, name + ": the evaluated task's head is not pretrained");
            } else if (name.startsWith("shared.") && name.endsWith("weight") || name.startsWith("task0.head.")
                    && name.endsWith("weight")) {
                assertTrue(!same, name + ": pretrained");
            }
        }
        // the train phase: the evaluated head moves, the source heads stay as pretrained
        Map<String, Tensor> end = m.params().asMap();
        for (String name : init.keySet()) {
            if (name.startsWith("task0.head.") || name.startsWith("task1.head.")) {
                assertTrue(pre.get(name).equal(end.get(name)), name + ": not trained in the target phase");
            } else if (name.startsWith("task2.head.") && name.endsWith("weight")) {
                assertTrue(!pre.get(name).equal(end.get(name)), name + ": fine-tuned");
            }
        }
    }

    @Test
    void pretrainingStopsEarlyOnTheSourceValidationScore() {
        KTaskData d = KFixture.data(3);
        TransferOptions o = KFixture.small(1).with(TransferSchema.PRETRAIN_EPOCHS, 12)
                .with(TransferSchema.PRETRAIN_VAL_FRACTION, 0.2).with(TransferSchema.PRETRAIN_PATIENCE, 1);
        KTaskModel m = new KTaskModel(KFinetune.INSTANCE, o, 4, d.names(), 2, List.of(KFixture.unit(), KFixture.unit(),
                KFixture.unit()));
        List<EpochStats> pre = new KTaskTrainer(m, 4, null).fit(d).history().stream()
                .filter(e -> e.phase().equals("pretrain")).toList();
        for (EpochStats e : pre) {
            assertTrue(Double.isFinite(e.valScore()), "a source validation score every epoch");
        }
        // the engine's rule: it stops after `patience` epochs without improvement, else runs all epochs
        EpochStats last = pre.get(pre.size() - 1);
        assertTrue(pre.size() == 12 || !last.improved(), "stopped early only after an epoch without improvement");
    }

    /** Several evaluated tasks: each task loses the molecules of the other evaluated tasks' test parts. */
    @Test
    void severalTargetsPurgeEachOthersTestMolecules(@TempDir Path dir) throws Exception {
        List<MoleculeDataset> sets = threeSets(dir);
        Split sb = new Split(range(0, 28), range(28, 32), range(32, 40)); // b's test: smiles 42..49
        Split sc = new Split(range(12, 40), range(8, 12), range(0, 8)); // c's test: smiles 20..27
        KTaskRun.Outcome out = KTaskRun.run(new KTaskRun.Spec(KMtl.INSTANCE, sets, List.of("pa", "pb", "pc"), List.of(1, 2),
                List.of(sb, sc), KFixture.small(1).with(TransferSchema.SOURCE_PURGE, "test"), 3, null, null, false), null);
        // oracle by hand (source_purge test): a (smiles 0..39) loses 20..27 (c's test); b trains on smiles 10..37 minus
        // 20..27; c trains on smiles 32..59 minus 42..49
        assertEquals(32, out.trainSizes()[0]);
        assertEquals(20, out.trainSizes()[1]);
        assertEquals(20, out.trainSizes()[2]);
        assertEquals(8 + 8 + 8, out.purged());
        assertEquals(2, out.targets().size());
        assertEquals(8, out.targets().get(0).truth().length);
        assertEquals(8, out.targets().get(1).truth().length);
        // the default, source_purge validation: the validation parts leave the other tasks too (b's: smiles 38..41,
        // c's: 28..31); a loses 20..31 and 38..39; b's training part 10..37 loses 20..31; c's 32..59 loses 38..49
        KTaskRun.Outcome v = KTaskRun.run(new KTaskRun.Spec(KMtl.INSTANCE, sets, List.of("pa", "pb", "pc"), List.of(1, 2),
                List.of(sb, sc), KFixture.small(1), 3, null, null, false), null);
        assertEquals(26, v.trainSizes()[0]);
        assertEquals(16, v.trainSizes()[1]);
        assertEquals(16, v.trainSizes()[2]);
        assertEquals(14 + 12 + 12, v.purged());
    }

    /**
     * The pretraining cache: a cached run (computing the entry, then reading it) gives exactly the uncached run's
     * predictions; a target-phase option (max_lr, epochs) shares the entry, a pretraining option does not; config.json
     * records the entry and whether the run computed it.
     */
    @Test
    void cachedPretrainingGivesTheUncachedResult(@TempDir Path dir) throws Exception {
        List<MoleculeDataset> sets = threeSets(dir);
        Split sc = new Split(range(12, 40), range(8, 12), range(0, 8));
        TransferOptions o = KFixture.small(2).with(TransferSchema.PRETRAIN_EPOCHS, 3)
                .with(TransferSchema.PRETRAIN_VAL_FRACTION, 0.2).with(TransferSchema.DROPOUT, 0.1);
        gear.transfer.PretrainCache cache = new gear.transfer.PretrainCache(dir.resolve("cache"));
        java.util.function.BiFunction<TransferOptions, gear.transfer.PretrainCache, KTaskRun.Outcome> run = (opts, ca) ->
                KTaskRun.run(new KTaskRun.Spec(KFinetune.INSTANCE, sets, List.of("pa", "pb", "pc"), List.of(2),
                        List.of(sc), opts, 3, dir.resolve("run" + System.nanoTime()), null, false), null, ca);
        KTaskRun.Outcome plain = run.apply(o, null);
        KTaskRun.Outcome computed = run.apply(o, cache);
        KTaskRun.Outcome read = run.apply(o, cache);
        org.junit.jupiter.api.Assertions.assertArrayEquals(plain.predicted(), computed.predicted());
        org.junit.jupiter.api.Assertions.assertArrayEquals(plain.predicted(), read.predicted());
        assertEquals(plain.history().stream().map(EpochStats::terms).toList(),
                read.history().stream().map(EpochStats::terms).toList(), "the recorded pretraining epochs");
        // the target phase's options are not part of the key: the entry serves them, with the uncached result
        TransferOptions other = o.with(gear.train.TrainOptions.MAX_LR, 2e-3).with(TransferSchema.EPOCHS, 1);
        KTaskRun.Outcome otherRead = run.apply(other, cache);
        org.junit.jupiter.api.Assertions.assertArrayEquals(run.apply(other, null).predicted(), otherRead.predicted());
        KTaskRun.Outcome anotherEntry = run.apply(o.with(TransferSchema.PRETRAIN_EPOCHS, 2), cache);
        List<JsonNode> pre = new ArrayList<>();
        try (var runs = Files.list(dir).filter(p -> p.getFileName().toString().startsWith("run")).sorted()) {
            for (Path r : runs.toList()) {
                pre.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.resolve("config.json").toFile())
                        .get("pretraining"));
            }
        }
        // run order: plain, computed, read, otherRead, other (uncached), anotherEntry
        assertTrue(pre.get(0).get("pretrained").asBoolean() && !pre.get(0).has("cache"));
        assertTrue(pre.get(1).get("computed").asBoolean());
        assertTrue(!pre.get(2).get("computed").asBoolean() && !pre.get(3).get("computed").asBoolean());
        assertEquals(pre.get(1).get("cache"), pre.get(2).get("cache"));
        assertEquals(pre.get(1).get("cache"), pre.get(3).get("cache"));
        assertTrue(pre.get(5).get("computed").asBoolean());
        assertTrue(!pre.get(5).get("cache").equals(pre.get(1).get("cache")), "pretrain_epochs is part of the key");
        assertEquals(pre.get(0).get("source_best_epoch"), pre.get(2).get("source_best_epoch"));
        assertEquals(2, anotherEntry.history().stream().filter(e -> e.phase().equals("pretrain")).count());
        try (var entries = Files.list(dir.resolve("cache")).filter(Files::isDirectory)) {
            assertEquals(2, entries.count(), "one entry per pretraining key");
        }
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    private static void write(Path f, String col, List<String> smiles, double scale) throws Exception {
        StringBuilder sb = new StringBuilder("smiles," + col + "\n");
        for (String s : smiles) {
            sb.append(s).append(',').append(scale * s.length()).append('\n');
        }
        Files.writeString(f, sb.toString());
    }

    /** Three tasks pa, pb, pc on smiles 0..39, 10..49 and 20..59 of one fixture (values 1, 2, 3 apart). */
    private static List<MoleculeDataset> threeSets(Path dir) throws Exception {
        List<String> smiles = new ArrayList<>();
        KFixture.graphs(60, 11).forEach(g -> smiles.add(g.smiles()));
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        Path c = dir.resolve("c.csv");
        write(a, "pa", smiles.subList(0, 40), 1.0);
        write(b, "pb", smiles.subList(10, 50), 2.0);
        write(c, "pc", smiles.subList(20, 60), 3.0);
        return List.of(CsvLoader.load(a), CsvLoader.load(b), CsvLoader.load(c));
    }
}
