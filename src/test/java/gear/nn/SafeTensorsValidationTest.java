package gear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A corrupt model file fails in the reader, naming the file and the tensor, before anything large is allocated. */
class SafeTensorsValidationTest {
    @TempDir
    Path dir;

    /** Writes a safetensors file from a raw header and data section. */
    static Path raw(Path file, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Files.write(file, b.array());
        return file;
    }

    private String error(String header, byte[] data) throws IOException {
        Path f = raw(dir.resolve("m.safetensors"), header, data);
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        return e.getMessage();
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    @Test
    void aValidFileRoundTrips() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("a", Tensors.of(new float[] {1, 2, 3, 4}, 2, 2));
        t.put("b", Tensors.of(new double[] {5}, 1));
        Path f = dir.resolve("ok.safetensors");
        SafeTensors.write(f, t, Map.of("k", "v"));
        SafeTensors.Content c = SafeTensors.read(f);
        assertArrayEquals(new float[] {1, 2, 3, 4}, Tensors.toFloats(c.tensors().get("a")));
        assertEquals("v", c.metadata().get("k"));
    }

    @Test
    void overlappingOffsetsAreRefused() throws IOException {
        String m = error("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", floats(1, 2, 3));
        assertTrue(m.contains("'a' and 'b' overlap"), m);
    }

    @Test
    void trailingBytesAndGapsAreRefused() throws IOException {
        String m = error("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", floats(1, 2, 3));
        assertTrue(m.contains("4 trailing bytes"), m);
        m = error("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", floats(1, 2));
        assertTrue(m.contains("4 bytes before tensor 'a'"), m);
    }

    @Test
    void outOfRangeAndImpossibleShapesAreRefused() throws IOException {
        String m = error("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", floats(1, 2));
        assertTrue(m.contains("tensor 'a' lies outside the file"), m);
        m = error("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,8]}}", floats(1, 2));
        assertTrue(m.contains("impossible shape"), m);
        m = error("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", floats(1, 2));
        assertTrue(m.contains("lies outside the file"), m);
    }

    @Test
    void headerLengthBeyondTheFileIsRefused() throws IOException {
        Path f = dir.resolve("h.safetensors");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).putLong(0);
        Files.write(f, b.array());
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(f));
        assertTrue(e.getMessage().contains("corrupt safetensors header length"), e.getMessage());
    }

    @Test
    void nonFiniteWeightsAreRefusedNamingTheTensor() throws IOException {
        String m = error("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}", floats(1, Float.NaN, 2));
        assertTrue(m.contains("tensor 'w' holds a non-finite weight (NaN at element 1)"), m);
        m = error("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", floats(Float.POSITIVE_INFINITY));
        assertTrue(m.contains("Infinity"), m);
    }

    @Test
    void declaredSizesBeyondTheWeightsAreRefusedBeforeAllocating() throws IOException {
        String hp = "{\\\"hidden_size\\\":1000000000,\\\"depth\\\":3,\\\"ffn_num_layers\\\":2,\\\"ffn_hidden_size\\\":4}";
        String m = error("{\"__metadata__\":{\"hyperparameters\":\"" + hp + "\"},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", floats(1, 2, 3, 4));
        assertTrue(m.contains("claims hidden_size 1000000000") && m.contains("the file holds 4"), m);
        String ok = "{\\\"hidden_size\\\":2,\\\"ffn_num_layers\\\":1,\\\"ffn_hidden_size\\\":300}";
        Path f = raw(dir.resolve("ok.safetensors"), "{\"__metadata__\":{\"hyperparameters\":\"" + ok + "\"},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", floats(1, 2, 3, 4));
        assertEquals(1, SafeTensors.read(f).tensors().size(), "an unused ffn_hidden_size (one FFN layer) is not checked");
    }
}
