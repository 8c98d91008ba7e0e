package gear.transfer.method;

import gear.transfer.StepContext;
import gear.transfer.TransferMethod;
import gear.transfer.TransferModel;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * Fine-tuning (design/GEAR.md §5): the source network is pretrained on the source
 * ({@code pretrain_epochs}); its embedding and encoder weights are copied into the target network, whose
 * weights are then all trained on target batches: l = l_reg = MSE(Head_t(z_t), y_t).
 */
public final class Finetune implements TransferMethod {
    /**
     * Chosen on validation by {@code gear tune} under the corrected protocol ({@code source_purge validation};
     * docs/RESULTS.md "Tuned values under the corrected protocol: first stage"): configuration c3 of 9, the best of the
     * three at 90 epochs (score 0.983, mean over hyd-calc-expt, sim-tc and aqsol-esol of the validation RMSE relative
     * to the median of the three; c1 1.001, c0 1.011); its validation RMSE hyd-calc-expt 0.9791, sim-tc 29.71,
     * aqsol-esol 0.5498.
     */
    @Override
    public Map<String, String> defaults() {
        return Map.of("max_lr", "0.0003802", "dropout", "0.1045");
    }

    @Override
    public String name() {
        return "finetune";
    }

    @Override
    public String description() {
        return "pretrain on the source, then fine-tune all weights on the target";
    }

    @Override
    public Layout layout() {
        return new Layout(true, false, false, false, false);
    }

    @Override
    public boolean pretrains() {
        return true;
    }

    @Override
    public List<String> options() {
        return List.of("pretrain_epochs", "pretrain_val_fraction", "pretrain_patience");
    }

    @Override
    public void afterPretrain(TransferModel model) {
        copyPrefix(model, "source.embedding.", "target.embedding.");
        copyPrefix(model, "source.encoder.", "target.encoder.");
    }

    @Override
    public List<String> terms() {
        return List.of("reg");
    }

    @Override
    public Map<String, Tensor> terms(StepContext c) {
        return Stl.targetOnly(c);
    }

    private static void copyPrefix(TransferModel model, String from, String to) {
        try (NoGradGuard g = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> e : model.params().asMap().entrySet()) {
                if (e.getKey().startsWith(from)) {
                    model.params().get(to + e.getKey().substring(from.length())).copy_(e.getValue());
                }
            }
        }
    }
}
