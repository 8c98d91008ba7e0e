package gear.transfer.ktask;

import gear.chem.MolGraph;
import gear.data.StandardScaler;
import gear.nn.BatchGraph;
import gear.nn.DmpnnEncoder;
import gear.nn.FfnHead;
import gear.nn.Params;
import gear.nn.Torch;
import gear.train.Engine;
import gear.transfer.PhiInit;
import gear.transfer.TaskNetwork;
import gear.transfer.TransferModel;
import gear.transfer.TransferOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * A k-task model, by default GEAR's (design/GEAR.md §2 for every task τ = 0…k−1; nothing shared between tasks): k
 * {@link TaskNetwork}s, each embedding → encoder → φ_τ: d_z → d_M → ψ_τ: d_M → d_z → head, into one common
 * flat space M of dimension d_M &gt; d_z, with the target scaler of each task and its name.
 *
 * <p>Parameters are named {@code task<τ>.embedding.*}, {@code task<τ>.encoder.*}, {@code task<τ>.phi.*},
 * {@code task<τ>.psi.*}, {@code task<τ>.head.*}. Weights are created from the seed in task order, exactly as
 * {@link TransferModel} creates the two-task GEAR's source then target network: the same libtorch and Java
 * generators, and the near-isometric φ initialization ({@link PhiInit}, when {@code phi_init} asks for it)
 * seeded with seed ⊕ 0x7A67 for the primary task and seed ⊕ 0x5EED for the first other task (further tasks:
 * mixed with their rank). So with k = 2, tasks (source, target) and the target primary the initial weights
 * are the two-task GEAR's, bit for bit.
 *
 * <p>Device: made (and read from a file) on the CPU; {@link #to} moves the weights before training, and the batches,
 * labels, perturbations and curvature points of its steps follow them ({@link gear.nn.Placement}), as for a
 * {@link TransferModel}; predictions come back to the CPU, and the model file is device-independent.
 */
public final class KTaskModel implements gear.transfer.PhaseModel {
    private final KMethod method;
    private final TransferOptions options;
    private final long seed;
    private final List<String> names;
    private final int primary;
    private final Params params = new Params();
    private final List<TaskNetwork> networks = new ArrayList<>();
    private final List<StandardScaler> scalers;
    /** Where the weights live ({@link #to}; the CPU, where a model is made, before). */
    private final gear.nn.Placement placement = new gear.nn.Placement();

    /**
     * @param names task names (k ≥ 2)
     * @param primary index of the primary task
     * @param scalers the standardization of each task's property
     * @throws IllegalArgumentException for d_M ≤ d_z or fewer than 2 tasks
     */
    public KTaskModel(TransferOptions options, long seed, List<String> names, int primary, List<StandardScaler> scalers) {
        this(KGear.INSTANCE, options, seed, names, primary, scalers);
    }

    /**
     * A model of the given k-task method: for GATE one shared embedding ({@code shared.embedding.*}) made first, for
     * MTL also one shared encoder ({@code shared.encoder.*}), as {@link TransferModel} lays out the two-task methods.
     */
    public KTaskModel(KMethod method, TransferOptions options, long seed, List<String> names, int primary,
            List<StandardScaler> scalers) {
        if (names.size() < 2) {
            throw new IllegalArgumentException("GEAR across tasks needs at least 2 tasks, got " + names.size());
        }
        if (scalers.size() != names.size()) {
            throw new IllegalArgumentException("one scaler per task");
        }
        method.check(options);
        Torch.ensure();
        this.method = method;
        this.options = options;
        this.seed = seed;
        this.names = List.copyOf(names);
        this.primary = primary;
        this.scalers = new ArrayList<>(scalers);
        Torch.seed(seed);
        Random rnd = new Random(seed);
        KMethod.Layout layout = method.layout();
        DmpnnEncoder sharedEmbedding = layout.sharedEmbedding()
                ? new DmpnnEncoder(params, "shared.embedding", TaskNetwork.embeddingConfig(options), rnd) : null;
        FfnHead sharedEncoder = layout.sharedEncoder()
                ? TaskNetwork.mlp(params, "shared.encoder", options.hiddenSize(), options.latentSize(), options, rnd) : null;
        int rank = 0;
        for (int t = 0; t < names.size(); t++) {
            long phiSeed = t == primary ? seed ^ 0x7A67L : rank == 0 ? seed ^ 0x5EEDL : Engine.mix(seed ^ 0x5EEDL, rank);
            if (t != primary) {
                rank++;
            }
            networks.add(TaskNetwork.build(params, "task" + t, options, rnd, sharedEmbedding, sharedEncoder,
                    layout.transferMaps(), method.isometricInit(options) ? OptionalLong.of(phiSeed) : OptionalLong.empty()));
        }
    }

    /** @return the method */
    public KMethod method() {
        return method;
    }

    /** @return the number of tasks k */
    public int tasks() {
        return networks.size();
    }

    /** @return the options */
    @Override
    public TransferOptions options() {
        return options;
    }

    /** @return the initialization seed */
    public long seed() {
        return seed;
    }

    /** @return the primary task's index */
    public int primary() {
        return primary;
    }

    /** @return all weights in file order (task 0 first) */
    public Params params() {
        return params;
    }

    /** @return task τ's weights (a new view over the same tensors) */
    public Params params(int task) {
        Params p = new Params();
        String own = "task" + task + ".";
        for (Map.Entry<String, org.bytedeco.pytorch.Tensor> e : params.asMap().entrySet()) {
            if (e.getKey().startsWith(own)) {
                p.add(e.getKey(), e.getValue());
            }
        }
        return p;
    }

    /** @return task τ's network */
    public TaskNetwork network(int task) {
        return networks.get(task);
    }

    /** @return the task names in task order */
    public List<String> names() {
        return names;
    }

    /**
     * @return the index of the task called {@code name}
     * @throws IllegalArgumentException naming the tasks there are
     */
    public int task(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no task '" + name + "' in this model (tasks: " + String.join(", ", names) + ")");
        }
        return i;
    }

    /** @return task τ's scaler */
    public StandardScaler scaler(int task) {
        return scalers.get(task);
    }

    /** Sets the scalers once the training data is known. */
    void setScalers(List<StandardScaler> s) {
        scalers.clear();
        scalers.addAll(s);
    }

    /**
     * Moves every weight to {@code device} in place (a no-op where they already are: a CPU model is unchanged). Call
     * it before training starts (before a {@link KTaskTrainer} is made for the model).
     *
     * @return this model
     */
    public KTaskModel to(org.bytedeco.pytorch.Device device) {
        placement.moveTo(params, device);
        return this;
    }

    /** @return the device of the weights */
    public org.bytedeco.pytorch.Device device() {
        return placement.device();
    }

    /** @return {@code t} on the device of the weights (itself when it is there, e.g. on the CPU) */
    @Override
    public org.bytedeco.pytorch.Tensor onDevice(org.bytedeco.pytorch.Tensor t) {
        return placement.onDevice(t);
    }

    /** @return a batch of molecules on the device of the weights (float32) */
    @Override
    public BatchGraph batch(List<MolGraph> graphs) {
        return placement.batch(graphs, ScalarType.Float);
    }

    /** @return z_τ = Encoder_τ(Embedding_τ(G)) of each molecule (eval mode), one row per molecule */
    public double[][] latent(int task, List<MolGraph> graphs) {
        return TransferModel.latent(networks.get(task), options.latentSize(), graphs);
    }

    /** @return predictions of task τ in its original units, Head_τ(ψ_τ(φ_τ(z_τ))) · σ_τ + μ_τ */
    public double[] predict(int task, List<MolGraph> graphs) {
        return networks.get(task).predict(graphs, scalers.get(task), this::batch);
    }
}
