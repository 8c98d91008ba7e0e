package gear.transfer.toy;

import gear.transfer.StepContext;
import gear.transfer.Task;
import gear.transfer.TaskNetwork;
import gear.transfer.TransferMethod;
import gear.transfer.TransferOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * A method that exists only on the test class path (registered in the test resources'
 * {@code META-INF/services/gear.transfer.TransferMethod}): the target network alone with a new loss term,
 * {@code toy_l2} = mean ‖z_t‖² weighted 0.01, and a new diagnostic, {@code toy_batch}. It shows that a new
 * method is one class plus one line: the CLI, the grid, the logs and metrics.csv pick it up.
 */
public final class ToyMethod implements TransferMethod {
    @Override
    public String name() {
        return "toy";
    }

    @Override
    public String description() {
        return "test-only: STL plus a latent L2 penalty";
    }

    @Override
    public Layout layout() {
        return new Layout(false, false, false, false, false);
    }

    @Override
    public List<String> terms() {
        return List.of("reg", "toy_l2");
    }

    @Override
    public List<String> diagnostics() {
        return List.of("toy_batch");
    }

    @Override
    public double weight(String term, TransferOptions o, int epoch) {
        return term.equals("toy_l2") ? 0.01 : 1.0;
    }

    @Override
    public Map<String, Tensor> terms(StepContext c) {
        TaskNetwork t = c.network(Task.TARGET);
        Tensor z = c.latent(t);
        Map<String, Tensor> terms = new LinkedHashMap<>();
        terms.put("reg", c.loss(t.head().forward(z, true), c.targetLabels()));
        terms.put("toy_l2", z.mul(z).mean());
        c.diagnostic("toy_batch", c.size());
        return terms;
    }
}
