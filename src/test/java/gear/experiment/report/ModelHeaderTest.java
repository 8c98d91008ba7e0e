package gear.experiment.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.nn.Dmpnn;
import gear.nn.DmpnnConfig;
import gear.nn.Torch;
import gear.train.ModelFile;
import gear.train.Provenance;
import gear.data.StandardScaler;
import gear.train.TrainedModel;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report reads the header of a real gear model file, as written by {@link ModelFile}. */
class ModelHeaderTest {

    @Test
    void readsTheMetadataOfARealModelFile(@TempDir Path tmp) throws Exception {
        Torch.init(1);
        Dmpnn net = new Dmpnn(new DmpnnConfig(8, 2, 0, 8, 1, 1, false), 5);
        TrainedModel m = new TrainedModel(net, new StandardScaler(new double[] {1}, new double[] {2}), List.of("y"),
                Provenance.now("feedbeef", 5), null);
        Path f = tmp.resolve("model.gear");
        ModelFile.save(f, m);
        ModelHeader h = ModelHeader.read(f);
        assertEquals(ModelFile.FORMAT, h.metadata().get("format"));
        assertTrue(h.metadata().get("provenance").contains("feedbeef"), h.metadata().toString());
        assertEquals(net.params().asMap().size(), h.tensors());
        long numel = 0;
        for (Tensor t : net.params().asMap().values()) {
            numel += t.numel();
        }
        assertEquals(numel, h.parameters());
    }
}
