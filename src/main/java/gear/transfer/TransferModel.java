package gear.transfer;

import gear.chem.MolGraph;
import gear.nn.BatchGraph;
import gear.nn.DmpnnEncoder;
import gear.nn.FfnHead;
import gear.nn.Params;
import gear.nn.Tensors;
import gear.nn.Torch;
import gear.train.Provenance;
import gear.data.StandardScaler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * A transfer model: both tasks' {@link TaskNetwork}s for one {@link TransferMethod}, the target scalers of both
 * tasks, the task names and the provenance. Written and read by {@link TransferModelFile}.
 *
 * <p>Which modules exist and which are shared, by method (parameter-name prefixes in brackets):
 * <ul>
 *   <li>STL: the target network only [{@code target.*}];</li>
 *   <li>MTL: one embedding and one encoder [{@code shared.embedding.*}, {@code shared.encoder.*}], two
 *       heads [{@code source.head.*}, {@code target.head.*}];</li>
 *   <li>finetune, KD, GSP-KD: two separate networks without transfer maps [{@code source.*}, {@code target.*}];</li>
 *   <li>GATE: a shared embedding [{@code shared.embedding.*}], per task encoder, φ, ψ and head;</li>
 *   <li>GEAR: two fully separate networks with φ and ψ (nothing shared).</li>
 * </ul>
 * Weights are created from the seed (libtorch's generator for the SiLU maps, a Java generator for
 * the D-MPNN and MLPs), so the same seed gives the same initial weights.
 *
 * <p>Device: a model is made (and read from a file) on the CPU; {@link #to} moves its weights to another device
 * (e.g. CUDA) before training. Everything computed from the model then lives there: the batches and latent points
 * of {@link #predict} and {@link #latent}, and in training the batches, labels, perturbations and curvature points
 * ({@link StepContext}), gradients and optimizer state; the results come back to the CPU as Java arrays, and the
 * weights are written to files from any device in the same device-independent form.
 */
public final class TransferModel implements gear.transfer.PhaseModel {
    /** Molecules per prediction batch. */
    public static final int PREDICT_BATCH = 50;

    private final TransferMethod method;
    private final TransferOptions options;
    private final long seed;
    private final Params params = new Params();
    private final TaskNetwork source;
    private final TaskNetwork target;
    private StandardScaler sourceScaler;
    private StandardScaler targetScaler;
    private final String sourceName;
    private final String targetName;
    private Provenance provenance;
    /** Where the weights live ({@link #to}; the CPU, where a model is made, before). */
    private final gear.nn.Placement placement = new gear.nn.Placement();

    /**
     * Creates freshly initialized networks.
     *
     * @param sourceScaler standardization of the source property (may be null for STL)
     * @param targetScaler standardization of the target property
     * @param sourceName name of the source property (column)
     * @param targetName name of the target property (column)
     * @throws IllegalArgumentException for GEAR with d_M ≤ d_z (the geometry package's message)
     */
    public TransferModel(TransferMethod method, TransferOptions options, long seed, StandardScaler sourceScaler,
            StandardScaler targetScaler, String sourceName, String targetName, Provenance provenance) {
        method.check(options);
        Torch.ensure();
        this.method = method;
        this.options = options;
        this.seed = seed;
        this.sourceScaler = sourceScaler;
        this.targetScaler = targetScaler;
        this.sourceName = sourceName;
        this.targetName = targetName;
        this.provenance = provenance;
        Torch.seed(seed);
        Random rnd = new Random(seed);
        TransferMethod.Layout layout = method.layout();
        DmpnnEncoder sharedEmbedding = layout.sharedEmbedding()
                ? new DmpnnEncoder(params, "shared.embedding", TaskNetwork.embeddingConfig(options), rnd) : null;
        FfnHead sharedEncoder = layout.sharedEncoder()
                ? TaskNetwork.mlp(params, "shared.encoder", options.hiddenSize(), options.latentSize(), options, rnd) : null;
        this.source = method.hasSourceNetwork() ? build("source", sharedEmbedding, sharedEncoder, rnd) : null;
        this.target = build("target", sharedEmbedding, sharedEncoder, rnd);
    }

    private TaskNetwork build(String prefix, DmpnnEncoder sharedEmbedding, FfnHead sharedEncoder, Random rnd) {
        return TaskNetwork.build(params, prefix, options, rnd, sharedEmbedding, sharedEncoder, method.hasTransferMaps(),
                method.isometricInit(options) ? java.util.OptionalLong.of(seed ^ (prefix.equals("source") ? 0x5EEDL : 0x7A67L))
                        : java.util.OptionalLong.empty());
    }

    /**
     * Moves every weight to {@code device} in place (a no-op where they already are: a CPU model is unchanged). Call
     * it before training starts (before a {@link TransferTrainer} is made for the model).
     *
     * @return this model
     */
    public TransferModel to(Device device) {
        placement.moveTo(params, device);
        return this;
    }

    /** @return the device of the weights */
    public Device device() {
        return placement.device();
    }

    /** @return {@code t} on the device of the weights (itself when it is there, e.g. on the CPU) */
    @Override
    public Tensor onDevice(Tensor t) {
        return placement.onDevice(t);
    }

    /** @return a batch of molecules on the device of the weights (float32) */
    @Override
    public BatchGraph batch(List<MolGraph> graphs) {
        return placement.batch(graphs, ScalarType.Float);
    }

    /** @return the method */
    public TransferMethod method() {
        return method;
    }

    /** @return the hyperparameters */
    @Override
    public TransferOptions options() {
        return options;
    }

    /** @return the initialization seed */
    public long seed() {
        return seed;
    }

    /** @return all weights, in registration order (file order) */
    public Params params() {
        return params;
    }

    /**
     * The weights a task's network uses (its own and the shared ones).
     *
     * @return a new {@link Params} view over the same tensors
     */
    public Params params(Task task) {
        Params p = new Params();
        String own = task == Task.SOURCE ? "source." : "target.";
        for (Map.Entry<String, Tensor> e : params.asMap().entrySet()) {
            if (e.getKey().startsWith(own) || e.getKey().startsWith("shared.")) {
                p.add(e.getKey(), e.getValue());
            }
        }
        return p;
    }

    /** @return whether the model has a network for the task (STL has no source network) */
    public boolean hasTask(Task task) {
        return task == Task.TARGET || source != null;
    }

    /**
     * @return the task's network
     * @throws IllegalArgumentException when the method has no network for it
     */
    public TaskNetwork network(Task task) {
        if (!hasTask(task)) {
            throw new IllegalArgumentException("a " + method.name() + " model has no " + task.cliName() + " network");
        }
        return task == Task.SOURCE ? source : target;
    }

    /** @return the task's target scaler (may be null for the source of an STL model) */
    public StandardScaler scaler(Task task) {
        return task == Task.SOURCE ? sourceScaler : targetScaler;
    }

    /** Sets the scalers (after the training data is known). */
    void setScalers(StandardScaler s, StandardScaler t) {
        this.sourceScaler = s;
        this.targetScaler = t;
    }

    /** @return the property name of the task */
    public String taskName(Task task) {
        return task == Task.SOURCE ? sourceName : targetName;
    }

    /** @return where the model came from */
    public Provenance provenance() {
        return provenance;
    }

    void setProvenance(Provenance p) {
        this.provenance = p;
    }

    /**
     * Predictions in the task's original units, Head_τ(ψ_τ(φ_τ(z_τ))) · σ_τ + μ_τ (Head_τ(z_τ) without
     * transfer maps).
     *
     * @throws IllegalArgumentException when the model has no network for the task
     */
    public double[] predict(Task task, List<MolGraph> graphs) {
        return network(task).predict(graphs, scaler(task), this::batch);
    }

    /** @return the latent points z_τ, one row of d_z per molecule */
    public double[][] latent(Task task, List<MolGraph> graphs) {
        return latent(network(task), options.latentSize(), graphs);
    }

    /** @return z = Encoder(Embedding(G)) of one task network (eval mode, batches of {@link #PREDICT_BATCH}), one row per molecule */
    public static double[][] latent(TaskNetwork net, int latentSize, List<MolGraph> graphs) {
        List<double[]> rows = new ArrayList<>();
        Device device = net.embedding().device(); // the batches go where the network is
        for (int i = 0; i < graphs.size(); i += PREDICT_BATCH) {
            List<MolGraph> part = graphs.subList(i, Math.min(graphs.size(), i + PREDICT_BATCH));
            try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                double[] z = Tensors.toDoubles(net.latent(device.is_cpu() ? BatchGraph.of(part, ScalarType.Float)
                        : BatchGraph.of(BatchGraph.arrays(part), ScalarType.Float, device), false));
                int d = latentSize;
                for (int k = 0; k < part.size(); k++) {
                    rows.add(java.util.Arrays.copyOfRange(z, k * d, (k + 1) * d));
                }
            }
        }
        return rows.toArray(new double[0][]);
    }

    /** @return the latent points as a float32 tensor (B, d_z) on the device of the weights */
    Tensor toTensor(double[][] z) {
        return onDevice(cpuTensor(z));
    }

    /** @return the latent points as a float32 CPU tensor (B, d_z), created outside any scope the caller opens later */
    static Tensor cpuTensor(double[][] z) {
        int d = z.length == 0 ? 0 : z[0].length;
        float[] f = new float[z.length * d];
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < d; j++) {
                f[i * d + j] = (float) z[i][j];
            }
        }
        return Tensors.of(f, z.length, d).to(torch.ScalarType.Float);
    }
}
