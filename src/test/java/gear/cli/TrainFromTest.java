package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.TestData;
import gear.data.StandardScaler;
import gear.nn.Torch;
import gear.run.RunDirectory;
import gear.train.ModelFile;
import gear.train.Provenance;
import gear.transfer.Methods;
import gear.transfer.TransferModel;
import gear.transfer.TransferModelFile;
import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gear train --from MODEL}: frozen layers end bit-identical to the source's, unfrozen ones change; a transfer
 * model's task embedding becomes the encoder; misuse exits 2.
 */
class TrainFromTest {
    private static final String TARGET = "logS_exp_molL";
    @TempDir
    static Path dir;
    static Path csv;
    static Path base;

    @BeforeAll
    static void trainBase() throws IOException {
        List<String> lines = Files.readAllLines(TestData.data("esol_delaney_logS.csv"));
        csv = dir.resolve("esol120.csv");
        Files.write(csv, lines.subList(0, 121));
        assertEquals(0, train(dir.resolve("base"), "--seed", "1"));
        base = dir.resolve("base").resolve(RunDirectory.MODEL);
    }

    static int train(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "-i", csv.toString(), "-t", TARGET, "-o", out.toString(),
                "--epochs", "2", "--cache-dir", "none", "-q"));
        if (!Arrays.asList(extra).contains("--from")) {
            a.addAll(List.of("--hidden-size", "32"));
        }
        a.addAll(Arrays.asList(extra));
        return Main.run(a.toArray(String[]::new));
    }

    private static Map<String, Tensor> weights(Path model) {
        return ModelFile.load(model).network().params().asMap();
    }

    private static boolean same(Tensor a, Tensor b) {
        return a.equal(b);
    }

    @Test
    void frozenLayersDoNotChangeAndUnfrozenDo() {
        Path run = dir.resolve("frozen");
        assertEquals(0, train(run, "--from", base.toString(), "--freeze-encoder", "--freeze-ffn-layers", "1", "--seed", "2"));
        Map<String, Tensor> before = weights(base);
        Map<String, Tensor> after = weights(run.resolve(RunDirectory.MODEL));
        assertEquals(before.keySet(), after.keySet());
        for (String n : before.keySet()) {
            boolean frozen = n.startsWith("encoder.") || n.startsWith("head.0.");
            assertEquals(frozen, same(before.get(n), after.get(n)), n + (frozen ? " is frozen" : " trains"));
        }
    }

    @Test
    void withoutFreezingEverythingTrainsFromTheSourceWeights() {
        Path run = dir.resolve("free");
        assertEquals(0, train(run, "--from", base.toString(), "--seed", "2"));
        Map<String, Tensor> before = weights(base);
        Map<String, Tensor> after = weights(run.resolve(RunDirectory.MODEL));
        for (String n : before.keySet()) {
            assertFalse(same(before.get(n), after.get(n)), n + " trains");
        }
    }

    @Test
    void aTransferTasksEmbeddingBecomesTheEncoder() throws IOException {
        Torch.init(1);
        TransferOptions o = TransferOptions.defaults().with(TransferSchema.HIDDEN_SIZE, 24).with(TransferSchema.LATENT_SIZE, 4)
                .with(TransferSchema.COMMON_SIZE, 6).with(TransferSchema.MAP_HIDDEN, 8);
        StandardScaler sc = new StandardScaler(new double[] {0}, new double[] {1});
        TransferModel m = new TransferModel(Methods.get("gear"), o, 3, sc, sc, "ys", "yt", Provenance.now("", 3));
        Path file = dir.resolve("gear.gear");
        TransferModelFile.save(file, m, "");
        Path run = dir.resolve("fromgear");
        assertEquals(0, train(run, "--from", file.toString(), "--from-task", "source", "--freeze-encoder"));
        Map<String, Tensor> after = weights(run.resolve(RunDirectory.MODEL));
        Map<String, Tensor> src = m.params().asMap();
        for (String w : List.of("W_i.weight", "W_h.weight", "W_o.weight", "W_o.bias")) {
            assertTrue(same(src.get("source.embedding." + w), after.get("encoder." + w)), w);
            if (w.endsWith("weight")) { // biases start at zero in both tasks
                assertFalse(same(src.get("target.embedding." + w), after.get("encoder." + w)), w + " is the source task's");
            }
        }
        assertEquals(24, ModelFile.load(run.resolve(RunDirectory.MODEL)).network().config().hiddenSize());
    }

    @Test
    void misuseExitsTwo() {
        assertEquals(2, train(dir.resolve("x1"), "--freeze-encoder"));
        assertEquals(2, train(dir.resolve("x2"), "--from", base.toString(), "--from-task", "source"));
        assertEquals(2, train(dir.resolve("x3"), "--from", base.toString(), "--freeze-ffn-layers", "3"));
        assertEquals(2, train(dir.resolve("x4"), "--from", dir.resolve("missing.gear").toString()));
        assertEquals(2, train(dir.resolve("x5"), "--from", base.toString(), "--hidden-size", "16"));
    }
}
