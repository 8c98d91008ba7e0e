package gear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchSmokeTest {

    @Test
    void arraysRoundTrip() {
        Torch.init(1);
        float[] f = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensors.of(f, 2, 3);
        assertArrayEquals(new long[] {2, 3}, Tensors.shape(t));
        assertArrayEquals(f, Tensors.toFloats(t));
        double[] d = {Math.PI, -1e-300, 7};
        assertArrayEquals(d, Tensors.toDoubles(Tensors.of(d, 3)));
        assertArrayEquals(new long[] {3, 1, 4}, Tensors.toLongs(Tensors.of(new long[] {3, 1, 4}, 3)));
        assertThrows(IllegalArgumentException.class, () -> Tensors.of(f, 4, 2));
        assertEquals(1, Torch.threads());
    }

    @Test
    void deviceSelection() {
        assertEquals("cpu", Torch.device("cpu").str().getString());
        assertThrows(IllegalArgumentException.class, () -> Torch.device("tpu"));
        if (!Torch.cudaAvailable()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Torch.device("cuda"));
            assertTrue(e.getMessage().contains("no CUDA device"));
        }
    }

    /** A 2-16-1 tanh MLP learns y = sin(3x) on 64 points with Adam: loss falls 20-fold. */
    @Test
    void tinyMlpTrainsWithAdam() {
        Torch.init(1);
        Torch.seed(0);
        Params params = new Params();
        Linear l1 = new Linear(params, "l1", 1, 32, true);
        Linear l2 = new Linear(params, "l2", 32, 1, true);
        Adam adam = new Adam(params, 0.01);
        float[] xs = new float[64];
        float[] ys = new float[64];
        for (int i = 0; i < 64; i++) {
            xs[i] = -1 + 2 * i / 63f;
            ys[i] = (float) Math.sin(3 * xs[i]);
        }
        Tensor x = Tensors.of(xs, 64, 1);
        Tensor y = Tensors.of(ys, 64, 1);
        double first = Double.NaN;
        double last = Double.NaN;
        long before = 0;
        for (int step = 0; step < 600; step++) {
            try (PointerScope scope = new PointerScope()) {
                params.zeroGrad();
                Tensor loss = torch.mse_loss(l2.forward(l1.forward(x).tanh()), y);
                loss.backward();
                adam.step();
                last = loss.item_double();
                if (step == 0) {
                    first = last;
                }
            }
            if (step == 100) {
                before = Pointer.physicalBytes();
            }
        }
        assertTrue(last < first / 20, "loss " + first + " -> " + last);
        // no native leak per step: 500 more steps grow the process by far less than one step's
        // temporaries times the step count would
        long grown = Pointer.physicalBytes() - before;
        assertTrue(grown < 64L << 20, "resident memory grew by " + grown + " bytes over 500 steps");
    }

    @Test
    void safetensorsRoundTripAndCorruption(@TempDir Path dir) throws Exception {
        Torch.init(1);
        Path f = dir.resolve("w.safetensors");
        Map<String, Tensor> m = new java.util.LinkedHashMap<>();
        m.put("a", Tensors.of(new float[] {1, 2, 3, 4}, 2, 2));
        m.put("b", Tensors.of(new double[] {0.5}, 1));
        m.put("c", Tensors.of(new long[] {7, 8}, 2));
        SafeTensors.write(f, m, Map.of("format", "gear"));
        SafeTensors.Content c = SafeTensors.read(f);
        assertEquals("gear", c.metadata().get("format"));
        assertArrayEquals(new float[] {1, 2, 3, 4}, Tensors.toFloats(c.tensors().get("a")));
        assertArrayEquals(new double[] {0.5}, Tensors.toDoubles(c.tensors().get("b")));
        assertArrayEquals(new long[] {7, 8}, Tensors.toLongs(c.tensors().get("c")));
        byte[] bytes = Files.readAllBytes(f);
        Path trunc = dir.resolve("t.safetensors");
        Files.write(trunc, java.util.Arrays.copyOf(bytes, bytes.length - 3));
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> SafeTensors.read(trunc));
        assertTrue(e.getMessage().contains("t.safetensors"), e.getMessage());
        Path garbage = dir.resolve("g.safetensors");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        assertThrows(java.io.IOException.class, () -> SafeTensors.read(garbage));
    }
}
