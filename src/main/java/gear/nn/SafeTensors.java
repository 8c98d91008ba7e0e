package gear.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * Reader and writer of the safetensors format (https://github.com/huggingface/safetensors): an
 * 8-byte little-endian header length N, N bytes of JSON header
 * ({@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}}),
 * then the raw little-endian tensor bytes. Supported dtypes: F32, F64, I64.
 *
 * <p>Writes are atomic (temporary file in the same directory, flushed to disk, then renamed). Reads
 * validate everything before they allocate and name the file in every error ({@link #read}).
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
        gear.data.AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(hp.length);
            out.write(len.array());
            out.write(hp);
            for (byte[] b : blobs.values()) {
                out.write(b);
            }
        });
    }

    /**
     * Reads a safetensors file into CPU tensors, after checking it completely: the header length
     * against the file size and a 100 MiB bound, every entry's dtype, shape and offsets, that the
     * tensors tile the data section exactly (no overlap, no gap, no trailing bytes), that every
     * floating-point weight is finite, and that the sizes the metadata declares fit the weights the
     * file holds ({@link #checkDeclaredSizes}), so that a corrupt header fails here, before a loader
     * allocates a network of the claimed size.
     *
     * @throws IOException if the file cannot be read or is not a valid safetensors file (the message
     *     names the file, the tensor where there is one, and the problem)
     */
    public static Content read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > Integer.MAX_VALUE - 16) {
            throw new IOException(file + ": " + size + " bytes is larger than any gear model file can be (2 GiB at most)");
        }
        byte[] all = Files.readAllBytes(file);
        if (all.length < 8) {
            throw new IOException(file + ": not a safetensors file (" + all.length + " bytes; truncated?)");
        }
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 2 || n > MAX_HEADER || 8 + n > all.length) {
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
        Map<String, Entry> entries = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = header.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            entries.put(e.getKey(), entry(file, e.getKey(), e.getValue(), dataLen));
        }
        checkTiling(file, entries, dataLen);
        long total = 0;
        for (Entry en : entries.values()) {
            total += en.count;
        }
        checkDeclaredSizes(file, metadata, total);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            tensors.put(e.getKey(), tensor(file, e.getKey(), e.getValue(), all, dataStart));
        }
        return new Content(tensors, metadata);
    }

    /** One header entry: dtype width, shape, element count and byte range within the data section. */
    private record Entry(String dtype, int width, long[] shape, long count, long begin, long end) {}

    private static Entry entry(Path file, String name, JsonNode d, long dataLen) throws IOException {
        String dtype = d.path("dtype").asText("");
        JsonNode shapeNode = d.path("shape");
        JsonNode off = d.path("data_offsets");
        if (!shapeNode.isArray() || !off.isArray() || off.size() != 2 || !off.get(0).canConvertToLong()
                || !off.get(1).canConvertToLong()) {
            throw new IOException(file + ": corrupt entry for tensor '" + name + "'");
        }
        int width = switch (dtype) {
            case "F32" -> 4;
            case "F64", "I64" -> 8;
            default -> throw new IOException(file + ": tensor '" + name + "' has unsupported dtype '" + dtype + "'");
        };
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        try {
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).canConvertToLong() ? shapeNode.get(i).asLong() : -1;
                if (shape[i] < 0) {
                    throw new IOException(file + ": negative or non-integer dimension in tensor '" + name + "'");
                }
                count = Math.multiplyExact(count, shape[i]);
            }
            Math.multiplyExact(count, (long) width);
        } catch (ArithmeticException e) {
            throw new IOException(file + ": tensor '" + name + "' claims an impossible shape " + shapeNode, e);
        }
        long begin = off.get(0).asLong();
        long end = off.get(1).asLong();
        if (begin < 0 || end < begin || end > dataLen || end - begin != count * width) {
            throw new IOException(file + ": tensor '" + name + "' lies outside the file or has a wrong size"
                    + " (offsets " + begin + ".." + end + ", shape " + shapeNode + " of " + dtype + ", data section "
                    + dataLen + " bytes; truncated?)");
        }
        return new Entry(dtype, width, shape, count, begin, end);
    }

    /** The tensors must cover the data section exactly once, as the safetensors format requires. */
    private static void checkTiling(Path file, Map<String, Entry> entries, long dataLen) throws IOException {
        List<Map.Entry<String, Entry>> byBegin = new ArrayList<>(entries.entrySet());
        byBegin.sort(Comparator.comparingLong((Map.Entry<String, Entry> e) -> e.getValue().begin())
                .thenComparingLong(e -> e.getValue().end()));
        long pos = 0;
        String prev = null;
        for (Map.Entry<String, Entry> e : byBegin) {
            Entry en = e.getValue();
            if (en.begin() < pos) {
                throw new IOException(file + ": tensors '" + prev + "' and '" + e.getKey() + "' overlap (bytes "
                        + en.begin() + ".." + Math.min(pos, en.end()) + " of the data section)");
            }
            if (en.begin() > pos) {
                throw new IOException(file + ": " + (en.begin() - pos) + " bytes before tensor '" + e.getKey()
                        + "' belong to no tensor (corrupt file)");
            }
            pos = en.end();
            prev = e.getKey();
        }
        if (pos != dataLen) {
            throw new IOException(file + ": " + (dataLen - pos) + " trailing bytes after the last tensor (corrupt or "
                    + "concatenated file)");
        }
    }

    /**
     * Checks the architecture sizes declared in JSON metadata (any metadata value that is a JSON
     * object, e.g. {@code hyperparameters} or {@code options}) against the number of weights the file
     * holds: a D-MPNN of hidden size h has an h×h message weight, so {@code hidden_size}² cannot exceed
     * the file's weight count; {@code latent_size}, {@code common_size}, {@code map_hidden} and (with
     * more than one FFN layer) {@code ffn_hidden_size} are each the width of a layer and cannot exceed
     * it either. Fails on non-positive sizes too.
     *
     * @throws IOException naming the file, the metadata key and the claim
     */
    static void checkDeclaredSizes(Path file, Map<String, String> metadata, long weights) throws IOException {
        for (Map.Entry<String, String> m : metadata.entrySet()) {
            String v = m.getValue();
            if (v == null || !v.startsWith("{")) {
                continue;
            }
            JsonNode o;
            try {
                o = JSON.readTree(v);
            } catch (IOException e) {
                continue; // not JSON: the loader that reads this key reports it
            }
            if (o == null || !o.isObject()) {
                continue;
            }
            for (String key : new String[] {"hidden_size", "ffn_hidden_size", "latent_size", "common_size", "map_hidden"}) {
                JsonNode k = o.get(key);
                if (k == null || !k.isNumber()) {
                    continue;
                }
                if (key.equals("ffn_hidden_size") && o.path("ffn_num_layers").asInt(2) <= 1) {
                    continue; // unused with a single FFN layer
                }
                double size = k.asDouble();
                double need = key.equals("hidden_size") ? size * size : size;
                if (size < 1 || need > weights) {
                    throw new IOException(file + ": metadata '" + m.getKey() + "' claims " + key + " " + k.asText()
                            + (size < 1 ? ", which is not a size" : ", which needs at least " + String.format(Locale.ROOT,
                                    "%.0f", need) + " weights, but the file holds " + weights + " (corrupt header)"));
                }
            }
        }
    }

    private static Tensor tensor(Path file, String name, Entry en, byte[] all, long dataStart) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(all, (int) (dataStart + en.begin()), (int) (en.end() - en.begin()))
                .order(ByteOrder.LITTLE_ENDIAN);
        int count = (int) en.count();
        switch (en.dtype()) {
            case "F32" -> {
                float[] a = new float[count];
                bb.asFloatBuffer().get(a);
                for (int i = 0; i < a.length; i++) {
                    if (!Float.isFinite(a[i])) {
                        throw nonFinite(file, name, i, a[i]);
                    }
                }
                return Tensors.of(a, en.shape());
            }
            case "F64" -> {
                double[] a = new double[count];
                bb.asDoubleBuffer().get(a);
                for (int i = 0; i < a.length; i++) {
                    if (!Double.isFinite(a[i])) {
                        throw nonFinite(file, name, i, a[i]);
                    }
                }
                return Tensors.of(a, en.shape());
            }
            default -> {
                long[] a = new long[count];
                bb.asLongBuffer().get(a);
                return Tensors.of(a, en.shape());
            }
        }
    }

    private static IOException nonFinite(Path file, String name, int index, double value) {
        return new IOException(file + ": tensor '" + name + "' holds a non-finite weight (" + value + " at element "
                + index + "); the model is unusable (did its training diverge?)");
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
