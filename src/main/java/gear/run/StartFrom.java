package gear.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.BadInputException;
import gear.nn.Dmpnn;
import gear.nn.DmpnnConfig;
import gear.nn.Tensors;
import gear.train.TrainedModel;
import gear.transfer.ModelFiles;
import gear.transfer.Task;
import gear.transfer.TransferModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;

/**
 * Checkpoint transfer ({@code gear train --from MODEL}): a new D-MPNN starts from the weights of an existing gear model
 * and may keep some of them fixed.
 *
 * <ul>
 *   <li>From a D-MPNN model: the message-passing encoder ({@code encoder.*}) and every FFN layer whose name and shape
 *       match ({@code head.k.*}; the output layer only when the number of targets is the same); the other layers keep
 *       their fresh initialization.
 *   <li>From one task of a transfer model ({@code --from-task source|target}, default target): that task's D-MPNN
 *       embedding becomes the encoder; the FFN is freshly initialized (the transfer model's encoder, maps and head
 *       have other shapes).
 * </ul>
 *
 * The new model's hidden size and depth must be the source's: {@link #architecture} gives them, and {@code gear train}
 * uses them as defaults under the options given on the command line.
 *
 * @param model the model file to start from
 * @param task for a transfer model, {@code source} or {@code target} (null: target); null for a D-MPNN
 * @param freezeEncoder keep the message-passing encoder fixed
 * @param freezeFfnLayers keep the first N FFN layers fixed
 */
public record StartFrom(Path model, String task, boolean freezeEncoder, int freezeFfnLayers) {

    /** @return the source's architecture keys ({@code hidden_size}, {@code depth}, and for a D-MPNN the FFN's), as config.json spells them */
    public ObjectNode architecture() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        ModelFiles.Loaded l = load();
        if (l instanceof ModelFiles.Single s) {
            DmpnnConfig c = s.model().network().config();
            n.put("hidden_size", c.hiddenSize());
            n.put("depth", c.depth());
            n.put("ffn_num_layers", c.ffnNumLayers());
            n.put("ffn_hidden_size", c.ffnHiddenSize());
        } else {
            TransferModel t = ((ModelFiles.Transfer) l).model();
            n.put("hidden_size", t.options().hiddenSize());
            n.put("depth", t.options().depth());
        }
        return n;
    }

    /**
     * Copies the source's weights into {@code net}.
     *
     * @return the names of the parameters copied
     * @throws BadInputException naming the model file when its encoder does not fit {@code net}
     */
    public Set<String> initialize(Dmpnn net) {
        ModelFiles.Loaded l = load();
        Map<String, Tensor> dst = net.params().asMap();
        Set<String> copied = new LinkedHashSet<>();
        try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
            if (l instanceof ModelFiles.Single s) {
                TrainedModel m = s.model();
                for (Map.Entry<String, Tensor> e : m.network().params().asMap().entrySet()) {
                    Tensor d = dst.get(e.getKey());
                    if (d != null && Arrays.equals(Tensors.shape(d), Tensors.shape(e.getValue()))) {
                        d.copy_(e.getValue());
                        copied.add(e.getKey());
                    } else if (e.getKey().startsWith("encoder.")) {
                        throw mismatch(e.getKey(), e.getValue(), d);
                    }
                }
            } else {
                TransferModel t = ((ModelFiles.Transfer) l).model();
                Task which = Task.parse(task == null ? "target" : task);
                if (!t.hasTask(which)) {
                    throw new BadInputException(model + ": this " + t.method().name() + " model has no " + which.cliName()
                            + " network; use --from-task target");
                }
                for (Map.Entry<String, Tensor> e : t.params(which).asMap().entrySet()) {
                    int at = e.getKey().indexOf(".embedding.");
                    if (at < 0) {
                        continue;
                    }
                    String name = "encoder." + e.getKey().substring(at + ".embedding.".length());
                    Tensor d = dst.get(name);
                    if (d == null || !Arrays.equals(Tensors.shape(d), Tensors.shape(e.getValue()))) {
                        throw mismatch(name, e.getValue(), d);
                    }
                    d.copy_(e.getValue().to(d.scalar_type()));
                    copied.add(name);
                }
            }
        }
        if (!copied.containsAll(gear.train.Trainer.encoderParams(net))) {
            throw new BadInputException(model + ": has no complete D-MPNN encoder to start from (copied " + copied + ")");
        }
        return copied;
    }

    private ModelFiles.Loaded load() {
        ModelFiles.Loaded l = ModelFiles.load(model);
        if (l instanceof ModelFiles.Single && task != null) {
            throw new IllegalArgumentException("--from-task " + task + ": " + model
                    + " is a D-MPNN model; --from-task applies to transfer models only");
        }
        return l;
    }

    private BadInputException mismatch(String name, Tensor src, Tensor dst) {
        return new BadInputException(model + ": weight '" + name + "' has shape " + Arrays.toString(Tensors.shape(src))
                + " but the new model's is " + (dst == null ? "absent" : Arrays.toString(Tensors.shape(dst)))
                + " (give the source's --hidden-size and --depth, or leave them out)");
    }
}
