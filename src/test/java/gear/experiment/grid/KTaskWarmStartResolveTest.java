package gear.experiment.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.transfer.TransferOptions;
import gear.transfer.ktask.KMethod;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task set's k-task cells start from scratch although the two-task MTL, GATE and GEAR warm-start by default
 * ({@code source_init}); a warm start given to such a cell (by {@code --set} or a tuned file) is refused by the
 * method's check, which the cell's model construction runs. A pair cell keeps the two-task default.
 */
class KTaskWarmStartResolveTest {
    @Test
    void taskSetCellsResolveScratchAndRefuseAWarmStart(@TempDir Path dir) throws Exception {
        TaskSetToyGrid.files(dir);
        PairSpec set = PairsFile.read(dir.resolve("a.json")).get(0);
        PairSpec pair = PairsFile.read(dir.resolve("b.json")).get(0);
        assertTrue(set.isTaskSet());
        for (String m : java.util.List.of("mtl", "gate", "gear")) {
            TransferOptions k = TransferCellRunner.resolve(set, m, Map.of());
            assertEquals("scratch", k.get(gear.transfer.TransferSchema.SOURCE_INIT), m);
            KMethod.get(m).check(k);
            String twoTask = gear.transfer.Methods.get(m).defaults().get("source_init");
            assertEquals(twoTask, TransferCellRunner.resolve(pair, m, Map.of()).get(gear.transfer.TransferSchema.SOURCE_INIT), m);
            TransferOptions warm = TransferCellRunner.resolve(set, m, Map.of("source_init", "both"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KMethod.get(m).check(warm), m);
            assertTrue(e.getMessage().contains("source_init both"), e.getMessage());
        }
        // fine-tuning pretrains by construction: the option is not its to refuse
        KMethod.get("finetune").check(TransferCellRunner.resolve(set, "finetune", Map.of("source_init", "both")));
    }
}
