package gear.transfer;

import gear.chem.MolGraph;
import gear.nn.BatchGraph;
import java.util.List;
import org.bytedeco.pytorch.Tensor;

/** What a training phase ({@link PhaseObjective}) needs of its model, two-task or k-task. */
public interface PhaseModel {
    /** @return the molecules as one batch graph on the model's device */
    BatchGraph batch(List<MolGraph> graphs);

    /** @return {@code t} on the model's device */
    Tensor onDevice(Tensor t);

    /** @return the run's options */
    TransferOptions options();
}
