package gear.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.data.BadInputException;
import gear.data.MoleculeDataset;
import gear.nn.Torch;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Save → load gives identical predictions for both tasks; the run directory holds every file. */
class TransferModelFileTest {
    static MoleculeDataset[] pair;

    @BeforeAll
    static void init() {
        Torch.init(1);
        pair = PairFixture.pair(150, 80);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gear", "gate", "kd", "stl"})
    void roundTrip(String name, @TempDir Path dir) {
        TransferMethod m = Methods.get(name);
        TransferOutcome r = TransferRun.run(new TransferSpec(m, pair[0], "ys", pair[1], "yt", PairFixture.split(pair[1]),
                PairFixture.small(1), 5, dir));
        for (String f : new String[] {RunFiles.CONFIG, RunFiles.SPLITS, RunFiles.MODEL, RunFiles.METRICS,
            RunFiles.PREDICTIONS, RunFiles.CURVE, RunFiles.PARITY}) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        assertEquals(m.hasTransferMaps(), Files.isRegularFile(dir.resolve(RunFiles.HIST)));
        TransferModel loaded = TransferModelFile.load(dir.resolve(RunFiles.MODEL));
        assertEquals(m, loaded.method());
        assertEquals(r.model().options(), loaded.options());
        var graphs = pair[1].graphs().subList(0, 30);
        for (Task t : Task.values()) {
            if (r.model().hasTask(t)) {
                assertArrayEquals(r.model().predict(t, graphs), loaded.predict(t, graphs), 0.0, t.toString());
            } else {
                assertFalse(loaded.hasTask(t));
                assertThrows(IllegalArgumentException.class, () -> loaded.predict(t, graphs));
            }
        }
        assertArrayEquals(r.testPredictions(), loaded.predict(Task.TARGET, pair[1].subset(
                java.util.Arrays.stream(PairFixture.split(pair[1]).test()).toArray()).graphs()), 0.0);
        assertTrue(TransferModelFile.isTransferModel(dir.resolve(RunFiles.MODEL)));
    }

    @org.junit.jupiter.api.Test
    void sourcePurgedOfTargetTestMolecules() {
        // the first 40 target molecules are also source molecules; every source molecule whose canonical
        // SMILES is that of a target test molecule (source_purge test), or of a validation or test molecule (the
        // default, validation), is removed (also when written differently)
        var split = PairFixture.split(pair[1]);
        java.util.Set<String> test = new java.util.HashSet<>();
        for (int i : split.test()) {
            test.add(pair[1].canonicalSmiles(i));
        }
        java.util.Set<String> heldOut = new java.util.HashSet<>(test);
        for (int i : split.val()) {
            heldOut.add(pair[1].canonicalSmiles(i));
        }
        long overlap = pair[0].canonicalSmiles().stream().filter(test::contains).count();
        long overlapAll = pair[0].canonicalSmiles().stream().filter(heldOut::contains).count();
        assertTrue(overlap >= java.util.Arrays.stream(split.test()).filter(i -> i < 40).count());
        assertTrue(overlapAll > overlap && overlap > 0, overlap + " " + overlapAll);
        TransferOutcome r = TransferRun.run(new TransferSpec(Methods.get("stl"), pair[0], "ys", pair[1], "yt", split,
                PairFixture.small(1).with(gear.transfer.TransferSchema.SOURCE_PURGE, "test"), 5, null));
        assertEquals(overlap, r.nSourcePurged());
        assertEquals(150 - overlap, r.nSourceTrain());
        TransferOutcome d = TransferRun.run(new TransferSpec(Methods.get("stl"), pair[0], "ys", pair[1], "yt", split,
                PairFixture.small(1), 5, null));
        assertEquals(overlapAll, d.nSourcePurged(), "the default purges the validation molecules too");
        assertEquals(150 - overlapAll, d.nSourceTrain());
    }

    @org.junit.jupiter.api.Test
    void corruptOrMissingFilesAreBadInput(@TempDir Path dir) throws Exception {
        assertThrows(BadInputException.class, () -> TransferModelFile.load(dir.resolve("none.gear")));
        Path junk = dir.resolve("junk.gear");
        Files.writeString(junk, "not a model");
        assertThrows(BadInputException.class, () -> TransferModelFile.load(junk));
    }

    @org.junit.jupiter.api.Test
    void gearRefusesSquareCommonSpace() {
        TransferOptions o = PairFixture.small(1).with(TransferSchema.COMMON_SIZE, 8).with(TransferSchema.MAP_HIDDEN, 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Methods.get("gear").check(o));
        assertTrue(e.getMessage().contains("d_M > d_z"), e.getMessage());
        Methods.get("gate").check(o);
    }
}
