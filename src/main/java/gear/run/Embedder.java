package gear.run;

import gear.chem.MolGraph;
import gear.nn.BatchGraph;
import gear.nn.Tensors;
import gear.train.TrainedModel;
import gear.transfer.ModelFiles;
import gear.transfer.Task;
import gear.transfer.TaskNetwork;
import gear.transfer.TransferModel;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Embeddings of molecules (chemprop's {@code fingerprint}), as a {@link Predictor} whose "targets" are the embedding
 * coordinates, so that {@link PredictRun} streams them to CSV with the same bad-row handling as predictions.
 *
 * <ul>
 *   <li>A D-MPNN model: the readout h (the molecule vector the FFN head reads), columns {@code h0 … h(d_h−1)}; the
 *       head applied to h, scaled back, is the model's prediction.
 *   <li>A transfer model: per task τ it has ({@code source} first, then {@code target}): the readout h_τ
 *       ({@code τ_h0 …}), the latent chart z_τ = Encoder_τ(h_τ) ({@code τ_z0 …}) and, for GATE and GEAR, the
 *       common-space point x_τ = φ_τ(z_τ) ({@code τ_phi0 …}). {@link TaskNetwork#predictFromLatent} applied to z_τ
 *       is the task's standardized prediction.
 *   <li>A k-task model ({@link gear.transfer.ktask.KTaskModel}): the same three blocks per task in task order, or for
 *       one task only, prefixed by the task's name ({@code NAME_h0 …}, {@code NAME_z0 …}, {@code NAME_phi0 …}).
 * </ul>
 *
 * Values are the network's float32 (or the D-MPNN's configured dtype) values widened to double.
 */
public final class Embedder implements Predictor {
    private final TrainedModel single;
    private final TransferModel transfer;
    private final List<TaskNetwork> tasks = new ArrayList<>();
    private final List<String> columns = new ArrayList<>();

    /** @param loaded a model of either kind */
    public Embedder(ModelFiles.Loaded loaded) {
        if (loaded instanceof ModelFiles.Single s) {
            single = s.model();
            transfer = null;
            add("h", single.network().encoder().outputSize());
        } else {
            single = null;
            transfer = ((ModelFiles.Transfer) loaded).model();
            for (Task t : Task.values()) {
                if (!transfer.hasTask(t)) {
                    continue;
                }
                addTask(transfer.network(t), t.cliName() + "_", transfer.options().latentSize());
            }
        }
    }

    /**
     * A k-task model's embeddings.
     *
     * @param task the task to embed (null: every task, in task order)
     * @throws IllegalArgumentException naming the model's tasks when it has no task of that name
     */
    public Embedder(gear.transfer.ktask.KTaskModel m, String task) {
        single = null;
        transfer = null;
        for (int t = 0; t < m.tasks(); t++) {
            if (task == null || t == m.task(task)) {
                addTask(m.network(t), m.names().get(t) + "_", m.options().latentSize());
            }
        }
    }

    private void addTask(TaskNetwork net, String prefix, int latentSize) {
        tasks.add(net);
        add(prefix + "h", net.embedding().outputSize());
        add(prefix + "z", latentSize);
        if (net.hasTransferMaps()) {
            add(prefix + "phi", net.phi().outDim());
        }
    }

    private void add(String prefix, int n) {
        for (int i = 0; i < n; i++) {
            columns.add(prefix + i);
        }
    }

    /** @return the column names: one per embedding coordinate */
    @Override
    public List<String> targetNames() {
        return columns;
    }

    /** @return one row per molecule: the coordinates named by {@link #targetNames()} */
    @Override
    public double[][] predict(List<MolGraph> graphs) {
        double[][] out = new double[graphs.size()][columns.size()];
        for (int from = 0; from < graphs.size(); from += TrainedModel.PREDICT_BATCH) {
            List<MolGraph> part = graphs.subList(from, Math.min(graphs.size(), from + TrainedModel.PREDICT_BATCH));
            try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                List<Tensor> blocks = new ArrayList<>();
                if (single != null) {
                    blocks.add(single.network().encoder().forward(BatchGraph.of(part, single.network().config().dtype()),
                            false));
                } else {
                    BatchGraph b = BatchGraph.of(part, ScalarType.Float);
                    for (TaskNetwork net : tasks) {
                        Tensor h = net.embedding().forward(b, false);
                        Tensor z = net.encoder().forward(h, false);
                        blocks.add(h);
                        blocks.add(z);
                        if (net.hasTransferMaps()) {
                            blocks.add(net.phi().forward(z));
                        }
                    }
                }
                int col = 0;
                for (Tensor blk : blocks) {
                    int d = (int) blk.size(1);
                    double[] v = Tensors.toDoubles(blk);
                    for (int i = 0; i < part.size(); i++) {
                        System.arraycopy(v, i * d, out[from + i], col, d);
                    }
                    col += d;
                }
            }
        }
        return out;
    }
}
