package gear.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * Model files' options: a file written before the pretraining options existed pretrained at max_lr and dropout; one
 * written before source_purge existed purged the test part only.
 */
class TransferOptionsJsonTest {
    @Test
    void oldFilesPretrainedAtTheirLearningRateAndDropoutNewFilesKeepTheirs() {
        ObjectMapper m = new ObjectMapper();
        TransferOptions tuned = TransferOptions.defaults().with(gear.train.TrainOptions.MAX_LR, 3e-3)
                .with(TransferSchema.DROPOUT, 0.2);
        ObjectNode now = tuned.toJson(m);
        assertEquals(tuned, TransferOptions.fromJson(now), "a file of today round-trips");
        assertEquals(1e-3, TransferOptions.fromJson(now).get(TransferSchema.PRETRAIN_MAX_LR), 0.0);

        ObjectNode old = now.deepCopy();
        old.remove(TransferSchema.PRETRAIN_MAX_LR.key());
        old.remove(TransferSchema.PRETRAIN_DROPOUT.key());
        TransferOptions read = TransferOptions.fromJson(old);
        assertEquals(3e-3, read.get(TransferSchema.PRETRAIN_MAX_LR), 0.0);
        assertEquals(0.2, read.get(TransferSchema.PRETRAIN_DROPOUT), 0.0);
        assertEquals(read, read.pretraining(), "an old file's pretraining ran at its own options");
    }

    /** A file from before {@code source_purge} existed purged the test part only: it reads so, not as today's default. */
    @Test
    void oldFilesPurgedTheTestPartOnlyNewFilesKeepTheirPurge() {
        ObjectMapper m = new ObjectMapper();
        assertEquals("validation", TransferOptions.defaults().get(TransferSchema.SOURCE_PURGE));
        for (String purge : java.util.List.of("test", "validation")) {
            TransferOptions o = TransferOptions.defaults().with(TransferSchema.SOURCE_PURGE, purge);
            assertEquals(o, TransferOptions.fromJson(o.toJson(m)), purge);
        }
        ObjectNode old = TransferOptions.defaults().toJson(m);
        old.remove(TransferSchema.SOURCE_PURGE.key());
        assertEquals("test", TransferOptions.fromJson(old).get(TransferSchema.SOURCE_PURGE));
        assertEquals(TransferSchema.LEGACY.get(TransferSchema.SOURCE_PURGE), "test");
    }
}
