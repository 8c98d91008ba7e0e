package gear.train;

import gear.data.StandardScaler;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.chem.MolGraph;
import gear.nn.DmpnnConfig;
import gear.nn.Tensors;
import gear.nn.Torch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    static List<MolGraph> graphs;

    @BeforeAll
    static void init() {
        Torch.init(1);
        graphs = Fixtures.graphs(Fixtures.smiles(120, 1));
    }

    static GraphSet train(int tasks) {
        return Fixtures.set(graphs.subList(0, 100), tasks);
    }

    static GraphSet val(int tasks) {
        return Fixtures.set(graphs.subList(100, 120), tasks);
    }

    static DmpnnConfig small(int tasks) {
        return new DmpnnConfig(32, 3, 0.0, 32, 2, tasks, false);
    }

    static Map<String, float[]> weights(TrainedModel m) {
        Map<String, float[]> w = new LinkedHashMap<>();
        m.network().params().asMap().forEach((k, v) -> w.put(k, Tensors.toFloats(v)));
        return w;
    }

    static void assertSameWeights(Map<String, float[]> a, Map<String, float[]> b) {
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k), b.get(k), 0f, k);
        }
    }

    /** ~100 molecules, learnable target (#C + 2 #O − #N): scaled training MSE reaches ≤ 0.05. */
    @Test
    void overfitsSmallSet() {
        GraphSet tr = train(1);
        StandardScaler sc = StandardScaler.fit(tr.targets());
        TrainOptions o = TrainOptions.defaults().with(TrainOptions.EPOCHS, 40).with(TrainOptions.BATCH_SIZE, 10).with(TrainOptions.INIT_LR, 1e-3).with(TrainOptions.MAX_LR, 5e-3).with(TrainOptions.FINAL_LR, 5e-4).with(TrainOptions.SEED, 3L);
        TrainResult r = new Trainer(small(1), o).fit(tr, new GraphSet(List.of(), new double[0][]), sc);
        double[][] p = r.model().predict(tr.graphs());
        double mse = 0;
        for (int i = 0; i < tr.size(); i++) {
            double d = (p[i][0] - tr.targets()[i][0]) / sc.std(0);
            mse += d * d;
        }
        mse /= tr.size();
        assertTrue(mse <= 0.05, "scaled training MSE " + mse);
        assertEquals(40, r.history().size());
        assertEquals(39, r.bestEpoch(), "without validation data the last epoch is kept");
        assertTrue(Double.isNaN(r.bestValScore()));
    }

    /** Same seed → bit-identical weights and losses (two tasks, missing values, dropout on). */
    @Test
    void deterministicForSameSeed() {
        DmpnnConfig cfg = small(2).withDropout(0.1);
        TrainOptions o = TrainOptions.defaults().with(TrainOptions.EPOCHS, 3).with(TrainOptions.BATCH_SIZE, 16).with(TrainOptions.SEED, 7L);
        TrainResult a = new Trainer(cfg, o).fit(train(2), val(2), StandardScaler.fit(train(2).targets()));
        TrainResult b = new Trainer(cfg, o).fit(train(2), val(2), StandardScaler.fit(train(2).targets()));
        assertSameWeights(weights(a.model()), weights(b.model()));
        for (int e = 0; e < 3; e++) {
            assertEquals(a.history().get(e).trainLoss(), b.history().get(e).trainLoss(), 0.0);
            assertEquals(a.history().get(e).valScore(), b.history().get(e).valScore(), 0.0);
        }
        TrainResult c = new Trainer(cfg, o.with(TrainOptions.SEED, 8L)).fit(train(2), val(2), StandardScaler.fit(train(2).targets()));
        assertFalse(java.util.Arrays.equals(weights(a.model()).get("encoder.W_h.weight"),
                weights(c.model()).get("encoder.W_h.weight")));
    }

    /** 4 epochs straight = 2 epochs, crash, resume to 4 (weights, best epoch, history: bit-identical). */
    @Test
    void resumeIsBitIdentical(@TempDir Path dir) throws Exception {
        DmpnnConfig cfg = small(2).withDropout(0.1);
        TrainOptions o = TrainOptions.defaults().with(TrainOptions.EPOCHS, 4).with(TrainOptions.BATCH_SIZE, 16).with(TrainOptions.SEED, 5L).with(TrainOptions.CLIP_NORM, 5.0);
        StandardScaler sc = StandardScaler.fit(train(2).targets());
        TrainResult straight = new Trainer(cfg, o).fit(train(2), val(2), sc);

        Path ck = dir.resolve("run");
        TrainListener crash = new TrainListener() {
            @Override
            public void onEpochEnd(EpochStats s) {
                if (s.epoch() == 1) {
                    throw new IllegalStateException("simulated crash");
                }
            }
        };
        assertThrows(IllegalStateException.class,
                () -> new Trainer(cfg, o).checkpointDir(ck).listener(crash).fit(train(2), val(2), sc));
        assertTrue(Files.isRegularFile(ck.resolve(Checkpoint.FILE)));
        List<Integer> epochsRun = new ArrayList<>();
        TrainResult resumed = new Trainer(cfg, o).checkpointDir(ck).resume(true).listener(new TrainListener() {
            @Override
            public void onEpochEnd(EpochStats s) {
                epochsRun.add(s.epoch());
            }
        }).fit(train(2), val(2), sc);
        assertEquals(List.of(2, 3), epochsRun);
        assertSameWeights(weights(straight.model()), weights(resumed.model()));
        assertEquals(straight.bestEpoch(), resumed.bestEpoch());
        assertEquals(straight.bestValScore(), resumed.bestValScore(), 0.0);
        assertEquals(4, resumed.history().size());
        for (int e = 0; e < 4; e++) {
            assertEquals(straight.history().get(e).trainLoss(), resumed.history().get(e).trainLoss(), 0.0);
            assertEquals(straight.history().get(e).valScore(), resumed.history().get(e).valScore(), 0.0);
        }
        // other settings: refused with a message naming the checkpoint
        var e = assertThrows(gear.data.BadInputException.class,
                () -> new Trainer(cfg, o.with(TrainOptions.SEED, 6L)).checkpointDir(ck).resume(true).fit(train(2), val(2), sc));
        assertTrue(e.getMessage().contains(Checkpoint.FILE), e.getMessage());
    }

    @Test
    void divergenceStopsWithClearException(@TempDir Path dir) {
        TrainOptions o = TrainOptions.defaults().with(TrainOptions.EPOCHS, 3).with(TrainOptions.BATCH_SIZE, 10).with(TrainOptions.INIT_LR, 1e30).with(TrainOptions.MAX_LR, 1e30).with(TrainOptions.FINAL_LR, 1e30).with(TrainOptions.SEED, 1L);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new Trainer(small(1), o).checkpointDir(dir).fit(train(1), val(1), StandardScaler.fit(train(1).targets())));
        assertTrue(e.getMessage().contains("epoch " + (e.epoch() + 1) + ", batch " + (e.batch() + 1)), e.getMessage());
        if (Files.isRegularFile(dir.resolve(Checkpoint.FILE))) {
            // any checkpoint left is from a completed epoch and loads
            assertTrue(Checkpoint.read(dir.resolve(Checkpoint.FILE)).state().epochsDone() <= e.epoch());
        }
    }

    /** Validation RMSE that cannot improve (learning rate too small to change float32 weights) stops early. */
    @Test
    void earlyStoppingAfterPatience() {
        TrainOptions o = TrainOptions.defaults().with(TrainOptions.EPOCHS, 10).with(TrainOptions.BATCH_SIZE, 50).with(TrainOptions.INIT_LR, 1e-14).with(TrainOptions.MAX_LR, 1e-14).with(TrainOptions.FINAL_LR, 1e-14)
                .with(TrainOptions.PATIENCE, 2).with(TrainOptions.SEED, 2L);
        List<EpochStats> seen = new ArrayList<>();
        TrainResult r = new Trainer(small(1), o).listener(new TrainListener() {
            @Override
            public void onEpochEnd(EpochStats s) {
                seen.add(s);
            }
        }).fit(train(1), val(1), StandardScaler.fit(train(1).targets()));
        assertTrue(r.stoppedEarly());
        assertEquals(3, r.history().size());
        assertEquals(3, seen.size());
        assertEquals(0, r.bestEpoch());
        assertEquals(r.history().get(0).valScore(), r.bestValScore(), 0.0);
        // the kept model is the best epoch's: its validation RMSE is the reported one
        double[] rm = TrainedModel.rmse(r.model().predict(val(1).graphs()), val(1).targets());
        assertEquals(r.bestValScore(), rm[0], 1e-12);
    }

    /** 200 more training steps grow resident memory by far less than their temporaries would (no native leak). */
    @Test
    void noNativeLeakOverManySteps() {
        long[] at = new long[2];
        TrainOptions o = TrainOptions.defaults().with(TrainOptions.EPOCHS, 60).with(TrainOptions.BATCH_SIZE, 25).with(TrainOptions.SEED, 4L);
        new Trainer(new DmpnnConfig(128, 3, 0.1, 128, 2, 1, false), o).listener(new TrainListener() {
            @Override
            public void onEpochEnd(EpochStats s) {
                if (s.epoch() == 9) {
                    System.gc();
                    at[0] = org.bytedeco.javacpp.Pointer.physicalBytes();
                } else if (s.epoch() == 59) {
                    System.gc();
                    at[1] = org.bytedeco.javacpp.Pointer.physicalBytes();
                }
            }
        }).fit(train(1), val(1), StandardScaler.fit(train(1).targets()));
        // one step's temporaries are several MB (about 30 tensors of ~250 edges x 128 floats), so a
        // leak over 200 steps would be hundreds of MB
        long grown = at[1] - at[0];
        assertTrue(grown < 64L << 20, "resident memory grew by " + (grown >> 20) + " MiB over 200 steps");
    }

    @Test
    void logListenerWritesOneLinePerEpoch() {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8);
        new Trainer(small(1), TrainOptions.defaults().with(TrainOptions.EPOCHS, 2).with(TrainOptions.BATCH_SIZE, 50)).listener(TrainListeners.log(out))
                .listener(TrainListeners.console(true)).fit(train(1), val(1), StandardScaler.fit(train(1).targets()));
        String[] lines = buf.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("epoch 1/2  train_loss "), lines[0]);
        assertTrue(lines[1].contains("val_rmse ") && lines[1].contains(" lr "), lines[1]);
    }

    @Test
    void epochBatchesArePermutations() {
        List<int[]> b = Trainer.epochBatches(23, 5, 9, 0);
        assertEquals(5, b.size());
        assertEquals(3, b.get(4).length);
        boolean[] seen = new boolean[23];
        for (int[] x : b) {
            for (int i : x) {
                assertFalse(seen[i]);
                seen[i] = true;
            }
        }
        assertFalse(java.util.Arrays.equals(b.get(0), Trainer.epochBatches(23, 5, 9, 1).get(0)),
                "a new shuffle every epoch");
        assertArrayEquals(b.get(0), Trainer.epochBatches(23, 5, 9, 0).get(0));
    }

    @Test
    void scalerIsNanAwareWithChempropFallbacks() {
        StandardScaler s = StandardScaler.fit(new double[][] {{1, Double.NaN, 5}, {3, Double.NaN, 5}});
        assertArrayEquals(new double[] {2, 0, 5}, s.means(), 0);
        assertArrayEquals(new double[] {1, 1, 1}, s.stds(), 0);
    }
}
