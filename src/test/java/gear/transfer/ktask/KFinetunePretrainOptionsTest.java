package gear.transfer.ktask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import gear.nn.Torch;
import gear.train.EpochStats;
import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * k-task fine-tuning pretrains with the pretraining's own options, {@link TransferOptions#pretraining()}, as the
 * two-task pretraining does: {@code pretrain_dropout} (and {@code pretrain_max_lr}) in the {@code pretrain} phase,
 * {@code dropout} and {@code max_lr} in the {@code train} phase. Oracle: the pretraining of a run at (dropout 0,
 * pretrain_dropout 0.3) is epoch for epoch that of a run at (0.3, 0.3), and not that of (0, 0).
 */
class KFinetunePretrainOptionsTest {
    private static final long SEED = 4;

    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    static TransferOptions options(double dropout, double pretrainDropout) {
        return KFixture.small(2).with(TransferSchema.PRETRAIN_EPOCHS, 3).with(TransferSchema.DROPOUT, dropout)
                .with(TransferSchema.PRETRAIN_DROPOUT, pretrainDropout);
    }

    static KTaskModel model(TransferOptions o, KTaskData d) {
        return new KTaskModel(KFinetune.INSTANCE, o, SEED, d.names(), 2, List.of(KFixture.unit(), KFixture.unit(),
                KFixture.unit()));
    }

    /** @return the epochs of one phase: every term and the validation score */
    static List<String> phase(List<EpochStats> h, String phase) {
        return h.stream().filter(e -> e.phase().equals(phase)).map(e -> e.terms() + " val " + e.valScore()).toList();
    }

    @Test
    void pretrainingRunsAtPretrainDropoutAndTheTargetPhaseAtDropout() {
        KTaskData d = KFixture.data(3);
        List<EpochStats> split = new KTaskTrainer(model(options(0.0, 0.3), d), SEED, null).fit(d).history();
        List<EpochStats> high = new KTaskTrainer(model(options(0.3, 0.3), d), SEED, null).fit(d).history();
        List<EpochStats> none = new KTaskTrainer(model(options(0.0, 0.0), d), SEED, null).fit(d).history();
        assertEquals(3, phase(split, "pretrain").size());
        assertEquals(phase(high, "pretrain"), phase(split, "pretrain"), "the pretraining runs at pretrain_dropout");
        assertNotEquals(phase(none, "pretrain"), phase(split, "pretrain"), "pretrain_dropout does change the pretraining");
        assertNotEquals(phase(high, "train"), phase(split, "train"), "the target phase runs at its own dropout");
        // the pretraining learning rate as well: pretrain_max_lr, not max_lr
        TransferOptions lr = options(0.0, 0.0).with(gear.train.TrainOptions.MAX_LR, 3e-3);
        assertEquals(phase(none, "pretrain"), phase(new KTaskTrainer(model(lr, d), SEED, null).fit(d).history(), "pretrain"));
        // the cache key names what the phase reads: equal for the first two runs, another for the third
        String key = KTaskTrainer.pretrainKey(model(options(0.0, 0.3), d), SEED, d, "src");
        assertEquals(KTaskTrainer.pretrainKey(model(options(0.3, 0.3), d), SEED, d, "src"), key);
        assertNotEquals(KTaskTrainer.pretrainKey(model(options(0.0, 0.0), d), SEED, d, "src"), key);
    }
}
