package gear.transfer.method;

import gear.transfer.StepContext;
import gear.transfer.Task;
import gear.transfer.TaskNetwork;
import gear.transfer.TransferMethod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * STL, single-task learning (design/GEAR.md §5): the target network alone (same backbone, encoder and head
 * sizes as every other method), trained on target batches: l = l_reg = MSE(Head_t(z_t), y_t).
 */
public final class Stl implements TransferMethod {
    @Override
    public String name() {
        return "stl";
    }

    @Override
    public String description() {
        return "single-task learning on the target only";
    }

    @Override
    public Layout layout() {
        return new Layout(false, false, false, false, false);
    }

    @Override
    public List<String> terms() {
        return List.of("reg");
    }

    @Override
    public Map<String, Tensor> terms(StepContext c) {
        return targetOnly(c);
    }

    /** l_reg of the target network on the batch (STL, and the target phase of fine-tuning). */
    static Map<String, Tensor> targetOnly(StepContext c) {
        TaskNetwork t = c.network(Task.TARGET);
        Map<String, Tensor> terms = new LinkedHashMap<>();
        terms.put("reg", c.loss(t.head().forward(c.latent(t), true), c.targetLabels()));
        return terms;
    }
}
