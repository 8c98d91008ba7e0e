package gear.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * Reader and writer of the safetensors format (https://github.com/huggingface/safetensors): an
 * 8-byte little-endian header length N, N bytes of JSON header
 * ({@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}}),
 * then the raw little-endian tensor bytes. Supported dtypes: F32, F64, I64.
 *
 * <p>Writes are atomic (temporary file in the same directory, then rename). Reads validate the
 * header, the dtypes, the offsets and the file length and name the file in every error.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    /** Tensors and string metadata read from one file. */
    public record Content(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    private SafeTensors() {}

    /**
     * Writes tensors (any device, F32/F64/I64) and string metadata to {@code file} atomically.
     *
     * @throws IOException on a write failure (the previous file, if any, is left untouched)
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode md = header.putObject("__metadata__");
            metadata.forEach(md::put);
        }
        Map<String, byte[]> blobs = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            String dtype = dtypeOf(t);
            byte[] bytes = bytesOf(t, dtype);
            ObjectNode n = header.putObject(e.getKey());
            n.put("dtype", dtype);
            var shape = n.putArray("shape");
            for (long s : Tensors.shape(t)) {
                shape.add(s);
            }
            var off = n.putArray("data_offsets");
            off.add(offset);
            off.add(offset + bytes.length);
            offset += bytes.length;
            blobs.put(e.getKey(), bytes);
        }
        byte[] h = JSON.writeValueAsBytes(header);
        int pad = (8 - (h.length % 8)) % 8;
        byte[] hp = new byte[h.length + pad];
        System.arraycopy(h, 0, hp, 0, h.length);
        for (int i = h.length; i < hp.length; i++) {
            hp[i] = ' ';
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(hp.length);
                out.write(len.array());
                out.write(hp);
                for (byte[] b : blobs.values()) {
                    out.write(b);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads a safetensors file into CPU tensors.
     *
     * @throws IOException if the file cannot be read or is not a valid safetensors file (the message
     *     names the file and the problem)
     */
    public static Content read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 8) {
            throw new IOException(file + ": not a safetensors file (" + all.length + " bytes; truncated?)");
        }
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n <= 0 || n > MAX_HEADER || 8 + n > all.length) {
            throw new IOException(file + ": corrupt safetensors header length " + n + " (file has " + all.length + " bytes)");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(all, 8, (int) n, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException(file + ": corrupt safetensors header (invalid JSON: " + e.getMessage() + ")", e);
        }
        if (header == null || !header.isObject()) {
            throw new IOException(file + ": corrupt safetensors header (not a JSON object)");
        }
        long dataStart = 8 + n;
        long dataLen = all.length - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = header.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            JsonNode d = e.getValue();
            String dtype = d.path("dtype").asText("");
            JsonNode shapeNode = d.path("shape");
            JsonNode off = d.path("data_offsets");
            if (!shapeNode.isArray() || !off.isArray() || off.size() != 2) {
                throw new IOException(file + ": corrupt entry for tensor '" + e.getKey() + "'");
            }
            long[] shape = new long[shapeNode.size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asLong(-1);
                if (shape[i] < 0) {
                    throw new IOException(file + ": negative dimension in tensor '" + e.getKey() + "'");
                }
                count *= shape[i];
            }
            long begin = off.get(0).asLong(-1);
            long end = off.get(1).asLong(-1);
            int width = switch (dtype) {
                case "F32" -> 4;
                case "F64", "I64" -> 8;
                default -> throw new IOException(file + ": tensor '" + e.getKey() + "' has unsupported dtype '" + dtype + "'");
            };
            if (begin < 0 || end < begin || end > dataLen || end - begin != count * width) {
                throw new IOException(file + ": tensor '" + e.getKey() + "' lies outside the file or has a wrong size"
                        + " (offsets " + begin + ".." + end + ", data section " + dataLen + " bytes; truncated?)");
            }
            ByteBuffer bb = ByteBuffer.wrap(all, (int) (dataStart + begin), (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
            Tensor t = switch (dtype) {
                case "F32" -> {
                    float[] a = new float[(int) count];
                    bb.asFloatBuffer().get(a);
                    yield Tensors.of(a, shape);
                }
                case "F64" -> {
                    double[] a = new double[(int) count];
                    bb.asDoubleBuffer().get(a);
                    yield Tensors.of(a, shape);
                }
                default -> {
                    long[] a = new long[(int) count];
                    bb.asLongBuffer().get(a);
                    yield Tensors.of(a, shape);
                }
            };
            tensors.put(e.getKey(), t);
        }
        return new Content(tensors, metadata);
    }

    private static String dtypeOf(Tensor t) {
        String st = String.valueOf(t.scalar_type());
        return switch (st) {
            case "Float" -> "F32";
            case "Double" -> "F64";
            case "Long" -> "I64";
            default -> throw new IllegalArgumentException("safetensors writer: unsupported dtype " + st);
        };
    }

    private static byte[] bytesOf(Tensor t, String dtype) {
        ByteBuffer bb;
        switch (dtype) {
            case "F32" -> {
                float[] a = Tensors.toFloats(t);
                bb = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                bb.asFloatBuffer().put(a);
            }
            case "F64" -> {
                double[] a = Tensors.toDoubles(t);
                bb = ByteBuffer.allocate(a.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                bb.asDoubleBuffer().put(a);
            }
            default -> {
                long[] a = Tensors.toLongs(t);
                bb = ByteBuffer.allocate(a.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                bb.asLongBuffer().put(a);
            }
        }
        return bb.array();
    }
}
