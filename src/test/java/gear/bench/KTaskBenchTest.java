package gear.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.chem.Chem;
import gear.chem.MolGraph;
import gear.nn.Torch;
import gear.train.TrainOptions;
import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link KTaskBench} runs for k = 2 and 3 on tiny settings and reports a positive ratio; it refuses too few molecules. */
class KTaskBenchTest {
    @Test
    void reportsTheRatioForEachK() throws Exception {
        Torch.init(1);
        List<MolGraph> g = new ArrayList<>();
        String[] smi = {"CCO", "CCN", "CCC", "CCCl", "c1ccccc1", "CC(=O)O", "CCOC", "NCCO", "CSC", "CC#N", "C1CCCC1", "OCCO"};
        for (String s : smi) {
            g.add(Chem.featurize(s));
        }
        TransferOptions o = TransferOptions.defaults().with(TransferSchema.HIDDEN_SIZE, 16).with(TransferSchema.LATENT_SIZE, 4)
                .with(TransferSchema.COMMON_SIZE, 6).with(TransferSchema.MAP_HIDDEN, 6).with(TrainOptions.BATCH_SIZE, 4)
                .with(TransferSchema.CURV_SUBSET, 3);
        for (int k : new int[] {2, 3}) {
            KTaskBench.Result r = KTaskBench.run(g, k, o, 1, 2, 0);
            JsonNode j = new ObjectMapper().readTree(r.toJson());
            assertEquals("ktask_step", j.get("bench").asText());
            assertEquals(k, j.get("tasks").asInt());
            assertTrue(r.gearStep() > 0 && r.stlSteps() > 0 && r.ratio() > 0, r.toJson());
        }
        assertThrows(IllegalArgumentException.class, () -> KTaskBench.run(g, 4, o, 1, 1, 0));
    }
}
