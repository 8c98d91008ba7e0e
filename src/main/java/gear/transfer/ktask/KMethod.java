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

    /** Refuses options the method cannot train with ({@link #checkWarmStart} for every k-task method). */
    default void check(TransferOptions o) {
        checkWarmStart(this, o);
    }

    /**
     * Refuses {@code source_init pretrained} or {@code both} for a method that does not pretrain: the warm start of
     * the paired methods from a source pretraining is two-task only; across k tasks their networks start from
     * scratch ({@link #withDefaults}).
     *
     * @throws IllegalArgumentException naming the option
     */
    static void checkWarmStart(KMethod m, TransferOptions o) {
        if (!m.pretrains() && o.sourceInitPretrained()) {
            throw new IllegalArgumentException("source_init " + o.get(gear.transfer.TransferSchema.SOURCE_INIT)
                    + ": the warm start from a source pretraining is two-task only; across k tasks " + m.name()
                    + " starts from scratch (give source_init scratch; docs/KTASKS.md)");
        }
    }

    /**
     * The options of a k-task run or task-set cell of method {@code m}, from the two-task method's ({@code o}):
     * {@code source_init scratch} where {@code given} (snake_case keys) does not set it (the two-task defaults of MTL,
     * GATE and GEAR warm-start, which k-task training does not do), and for a method that pretrains
     * {@link KFinetune#withDefaults}.
     */
    static TransferOptions withDefaults(KMethod m, TransferOptions o, java.util.Set<String> given) {
        TransferOptions r = given.contains(gear.transfer.TransferSchema.SOURCE_INIT.key()) ? o
                : o.with(gear.transfer.TransferSchema.SOURCE_INIT, "scratch");
        return m.pretrains() ? KFinetune.withDefaults(r, given) : r;
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
