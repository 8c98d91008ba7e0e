package gear.transfer;

import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * One transfer method (design/GEAR.md §4–5) as one unit: the networks it builds ({@link #layout}), its
 * phases ({@link #pretrains}), the parameters its target phase trains, its named loss terms and their
 * weights, the diagnostics it logs, and the options it reads. Implementations live in
 * {@code gear.transfer.method}, one class each, and are found by {@link Methods} through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/gear.transfer.TransferMethod}): the CLI's
 * {@code --method} choices, the grid's method list, the logs and the {@code metrics.csv} columns come from
 * there. A new method is one class, one line in the services file, and its test.
 *
 * <p>Implementations must be stateless (one instance serves every run) and have a public no-argument
 * constructor.
 */
public interface TransferMethod {
    /**
     * The modules of a model (design/GEAR.md §2).
     *
     * @param sourceNetwork whether the model has a source-task network (all but STL)
     * @param sharedEmbedding whether both tasks use one D-MPNN embedding (MTL, GATE)
     * @param sharedEncoder whether both tasks use one encoder (MTL)
     * @param transferMaps whether each task has φ: d_z → d_M and ψ: d_M → d_z (GATE, GEAR)
     * @param isometricMaps whether φ is rescaled at initialization when the options ask for it (GEAR)
     */
    record Layout(boolean sourceNetwork, boolean sharedEmbedding, boolean sharedEncoder, boolean transferMaps,
            boolean isometricMaps) {}

    /** @return the name used on the command line, in files and in the grid ({@code gear}) */
    String name();

    /** @return one line for {@code --help} */
    String description();

    /** @return the modules */
    Layout layout();

    /**
     * Whether φ is rescaled near-isometric at initialization ({@link PhiInit}) under these options: by default
     * when the layout says {@code isometricMaps} and {@code phi_init} is {@code isometric} (GEAR); GATE
     * overrides it to read {@code gate_phi_init}.
     */
    default boolean isometricInit(TransferOptions o) {
        return layout().transferMaps() && layout().isometricMaps() && o.isometricInit();
    }

    /** @return whether the target-phase batches also hold source molecules (a paired batch; default: not) */
    default boolean paired() {
        return false;
    }

    /**
     * @return whether the target phase trains both tasks' weights (else the target network's and the shared ones);
     *     by default exactly when the batches are paired
     */
    default boolean trainsBothTasks() {
        return paired();
    }

    /** @return whether a source pretraining phase ({@code pretrain}) runs before the target phase */
    default boolean pretrains() {
        return false;
    }

    /**
     * @return whether a run of this method under {@code o} reads the source pretraining of its (pair, split, fold,
     *     seed): it computes one ({@link #pretrains}) or starts its source network from one ({@code source_init
     *     pretrained} or {@code both}, {@link TransferOptions#sourceInitPretrained}). The pretraining cache shares one
     *     entry among all such runs of a unit; a run that reads none (STL, or a paired method from scratch) is
     *     independent of it.
     */
    default boolean readsPretraining(TransferOptions o) {
        return pretrains() || (o.sourceInitPretrained() && hasSourceNetwork());
    }

    /** Called between the pretraining and the target phase (e.g. fine-tuning copies the source weights). */
    default void afterPretrain(TransferModel model) {}

    /** @return the loss terms of the target phase, in log order ({@code reg} first) */
    List<String> terms();

    /** @return the per-batch diagnostics this method logs after the terms, in log order (none by default) */
    default List<String> diagnostics() {
        return List.of();
    }

    /**
     * The method's own defaults, over {@link TransferOptions}' declared ones ({@link TransferOptions#defaults(
     * TransferMethod)}): values chosen for this method on validation data by {@code gear tune}
     * (docs/RESULTS.md "Tuned defaults" says which validation numbers chose each). An option the user sets
     * (command line, {@code --config}, grid {@code --set} or {@code --tuned}) always wins. None by default.
     *
     * @return option key (snake_case) → value as text
     */
    default Map<String, String> defaults() {
        return Map.of();
    }

    /** @return the option keys of {@link TransferOptions} this method reads beyond the common ones */
    default List<String> options() {
        return List.of();
    }

    /**
     * The weight of a term in the total at a target-phase epoch (terms not named here weigh 1).
     *
     * @param term a term of {@link #terms()}
     * @param o the run's options
     * @param epoch the target-phase epoch, from 0
     */
    default double weight(String term, TransferOptions o, int epoch) {
        return 1.0;
    }

    /**
     * Refuses options this method cannot train with (e.g. GEAR with d_M ≤ d_z).
     *
     * @throws IllegalArgumentException naming the option and the fix
     */
    default void check(TransferOptions o) {}

    /**
     * The loss terms of one target-phase batch, unweighted (the engine applies {@link #weight}).
     * Diagnostics go into {@link StepContext#diagnostic}.
     */
    Map<String, Tensor> terms(StepContext c);

    /** @return whether the model's networks have φ and ψ */
    default boolean hasTransferMaps() {
        return layout().transferMaps();
    }

    /** @return whether the model has a source-task network */
    default boolean hasSourceNetwork() {
        return layout().sourceNetwork();
    }
}
