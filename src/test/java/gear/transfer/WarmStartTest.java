package gear.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.nn.Tensors;
import gear.nn.Torch;
import java.util.Map;
import java.util.Set;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code source_init}: which parameters of a paired model the shared pretraining's source network writes. The
 * pretraining itself and its cache are {@code PretrainCacheTest}'s.
 */
class WarmStartTest {
    @BeforeAll
    static void init() {
        Torch.init(1);
    }

    private static final TransferOptions O = TransferOptions.defaults().with(TransferSchema.HIDDEN_SIZE, 8)
            .with(TransferSchema.LATENT_SIZE, 8).with(TransferSchema.DEPTH, 2);

    private static TransferModel model(String method, long seed) {
        return new TransferModel(Methods.get(method), O, seed, null, null, "s", "t", null);
    }

    private static boolean same(Tensor a, Tensor b) {
        return java.util.Arrays.equals(Tensors.toFloats(a), Tensors.toFloats(b));
    }

    /**
     * With {@code expected}, every parameter of {@code m} under {@code prefix} equals the pretrained one of the same
     * module; without, some differ (zero-initialized biases are equal either way).
     */
    private static void assertFrom(Map<String, Tensor> pre, Map<String, Tensor> m, String prefix, boolean expected) {
        int n = 0;
        int equal = 0;
        for (Map.Entry<String, Tensor> e : m.entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                continue;
            }
            String src = "source." + e.getKey().substring(e.getKey().indexOf('.') + 1);
            n++;
            equal += same(pre.get(src), e.getValue()) ? 1 : 0;
        }
        assertTrue(n > 0, "no parameter under " + prefix);
        if (expected) {
            assertEquals(n, equal, prefix + ": parameters equal to the pretrained ones");
        } else {
            assertTrue(equal < n, prefix + ": all " + n + " equal to the pretrained ones");
        }
    }

    @Test
    void bothWarmStartsTheTargetsEmbeddingAndEncoderButNotItsHead() {
        Map<String, Tensor> pre = model("finetune", 99).params(Task.SOURCE).asMap();
        for (String method : java.util.List.of("gate", "gear")) {
            Map<String, Tensor> plain = model(method, 1).params().asMap();
            Map<String, Tensor> both = model(method, 1).params().asMap();
            Set<String> wPlain = TransferTrainer.warmStartFrom(pre, plain, false);
            Set<String> wBoth = TransferTrainer.warmStartFrom(pre, both, true);
            assertTrue(wBoth.containsAll(wPlain), method);
            assertFrom(pre, plain, "target.encoder.", false);
            assertFrom(pre, both, "target.encoder.", true);
            assertFrom(pre, both, "target.head.", false);
            assertFrom(pre, both, "source.encoder.", true);
            assertFrom(pre, both, "source.head.", true);
            for (String k : wBoth) {
                assertFalse(k.contains("phi") || k.contains("psi"), method + ": " + k + " keeps its initialization");
            }
        }
        // GEAR's target has its own embedding; GATE shares it
        assertFrom(pre, warm("gear"), "target.embedding.", true);
        assertFrom(pre, warm("gate"), "shared.embedding.", true);
    }

    @Test
    void mtlSharesWhatBothWouldCopySoBothEqualsPretrained() {
        Map<String, Tensor> pre = model("finetune", 99).params(Task.SOURCE).asMap();
        Map<String, Tensor> plain = model("mtl", 1).params().asMap();
        Map<String, Tensor> both = model("mtl", 1).params().asMap();
        assertEquals(TransferTrainer.warmStartFrom(pre, plain, false), TransferTrainer.warmStartFrom(pre, both, true));
        assertFrom(pre, both, "shared.encoder.", true);
    }

    @Test
    void theOptionReadsAsTheTwoFlags() {
        assertFalse(O.sourceInitPretrained());
        assertFalse(O.targetInitPretrained());
        TransferOptions p = O.with(TransferSchema.SOURCE_INIT, "pretrained");
        assertTrue(p.sourceInitPretrained());
        assertFalse(p.targetInitPretrained());
        TransferOptions b = O.with(TransferSchema.SOURCE_INIT, "both");
        assertTrue(b.sourceInitPretrained());
        assertTrue(b.targetInitPretrained());
    }

    private static Map<String, Tensor> warm(String method) {
        Map<String, Tensor> m = model(method, 1).params().asMap();
        TransferTrainer.warmStartFrom(model("finetune", 99).params(Task.SOURCE).asMap(), m, true);
        return m;
    }
}
