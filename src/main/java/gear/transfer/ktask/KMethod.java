package gear.transfer.ktask;

import gear.transfer.TransferOptions;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * A method across k tasks (docs/KTASKS.md): its module layout, its named loss terms and their weights, and the
 * terms of one batch. The k-task counterpart of {@link gear.transfer.TransferMethod}; implementations are
 * stateless ({@link KGear}, {@link KGate}, {@link KMtl}, {@link KFinetune}), found by {@link #get}.
 */
public interface KMethod {
    /**
     * The modules of a k-task model.
     *
     * @param sharedEmbedding one D-MPNN embedding for all tasks (GATE, MTL)
     * @param sharedEncoder one encoder for all tasks (MTL)
     * @param transferMaps each task has φ_τ and ψ_τ (GEAR, GATE)
     */
    record Layout(boolean sharedEmbedding, boolean sharedEncoder, boolean transferMaps) {}

    /** @return the name ({@code gear}, {@code gate}, {@code mtl}, {@code finetune}) */
    String name();

    /** @return the modules */
    Layout layout();

    /** @return whether φ starts near-isometric under these options (as the two-task method decides) */
    boolean isometricInit(TransferOptions o);

    /** @return the loss terms in log order ({@code reg} first) */
    List<String> terms();

    /** @return the weight of a term at an epoch (as the two-task method) */
    double weight(String term, TransferOptions o, int epoch);

    /**
     * @return whether the method first pretrains on the tasks that are not evaluated (a pooled phase, {@code
     *     pretrain}) and then trains on the evaluated tasks only ({@link KFinetune}); false by default
     */
    default boolean pretrains() {
        return false;
    }

    /**
     * @return whether a run under {@code o} starts each source network from that source's own two-task pretraining
     *     ({@code source_init pretrained} or {@code both}): the entries a pair run of the same source, split, fold
     *     and seed reads too, so that the pretraining cache shares them. A method that {@link #pretrains} reads its
     *     own pooled pretraining instead, which no other run shares.
     */
    default boolean readsSourcePretrainings(TransferOptions o) {
        return !pretrains() && o.sourceInitPretrained();
    }

    /** Refuses options the method cannot train with (none by default). */
    default void check(TransferOptions o) {}

    /**
     * The options of a k-task run or task-set cell of method {@code m}, from the two-task method's ({@code o}): those
     * (the warm start of MTL, GATE and GEAR included, {@link KTaskTrainer}: each source from its own pretraining, as the
     * two-task method), and for a method that pretrains {@link KFinetune#withDefaults} where {@code given} (snake_case
     * keys) does not set its options.
     */
    static TransferOptions withDefaults(KMethod m, TransferOptions o, java.util.Set<String> given) {
        return m.pretrains() ? KFinetune.withDefaults(o, given) : o;
    }

    /** @return the unweighted terms of one batch */
    Map<String, Tensor> terms(KStep c);

    /** @return the methods available across k tasks */
    static List<String> names() {
        return List.of("gear", "gate", "mtl", "finetune");
    }

    /**
     * @return the method of that name
     * @throws IllegalArgumentException naming the available ones
     */
    static KMethod get(String name) {
        return switch (name) {
            case "gear" -> KGear.INSTANCE;
            case "gate" -> KGate.INSTANCE;
            case "mtl" -> KMtl.INSTANCE;
            case "finetune" -> KFinetune.INSTANCE;
            default -> throw new IllegalArgumentException("method " + name + " is not available across k tasks (available: "
                    + String.join(", ", names()) + ")");
        };
    }
}
