package gear.experiment.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.transfer.TransferOptions;
import gear.transfer.ktask.KMethod;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task set's k-task cells resolve the warm start of the two-task MTL, GATE and GEAR ({@code source_init}), as a pair
 * cell does, and the k-task methods train with it (each source from its own pretraining, {@code KTaskWarmStartTest});
 * a cell that sets {@code source_init} gets that value.
 */
class KTaskWarmStartResolveTest {
    @Test
    void taskSetCellsResolveTheTwoTaskWarmStart(@TempDir Path dir) throws Exception {
        TaskSetToyGrid.files(dir);
        PairSpec set = PairsFile.read(dir.resolve("a.json")).get(0);
        PairSpec pair = PairsFile.read(dir.resolve("b.json")).get(0);
        assertTrue(set.isTaskSet());
        for (String m : java.util.List.of("mtl", "gate", "gear")) {
            String twoTask = gear.transfer.Methods.get(m).defaults().get("source_init"); // tuned: MTL pretrained
            assertTrue(twoTask != null, m + " has a tuned warm start");
            TransferOptions k = TransferCellRunner.resolve(set, m, Map.of());
            assertEquals(twoTask, k.get(gear.transfer.TransferSchema.SOURCE_INIT), m);
            KMethod.get(m).check(k);
            assertEquals(twoTask, TransferCellRunner.resolve(pair, m, Map.of()).get(gear.transfer.TransferSchema.SOURCE_INIT), m);
            for (String given : java.util.List.of("scratch", "pretrained", "both")) {
                TransferOptions g = TransferCellRunner.resolve(set, m, Map.of("source_init", given));
                assertEquals(given, g.get(gear.transfer.TransferSchema.SOURCE_INIT), m);
                KMethod.get(m).check(g);
            }
        }
    }
}
