package gear.experiment.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON header of a safetensors file (gear model files are safetensors files, see
 * {@link gear.train.ModelFile}), read directly: 8-byte little-endian header length, then that many
 * bytes of UTF-8 JSON. Only the header is read, not the weights, and no libtorch is needed.
 *
 * @param metadata the {@code __metadata__} string map (empty if absent)
 * @param tensors the number of tensors
 * @param parameters the total number of elements over all tensors
 */
public record ModelHeader(Map<String, String> metadata, int tensors, long parameters) {
    private static final long MAX_HEADER = 100L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads the header.
     *
     * @throws IOException if the file cannot be read or its header is not valid safetensors (the
     *     message names the file and the problem)
     */
    public static ModelHeader read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            while (len.hasRemaining() && ch.read(len) >= 0) {
                // keep reading
            }
            if (len.hasRemaining()) {
                throw new IOException(file + ": not a safetensors file (" + size + " bytes)");
            }
            long n = len.flip().getLong();
            if (n <= 0 || n > MAX_HEADER || 8 + n > size) {
                throw new IOException(file + ": corrupt safetensors header length " + n + " (file has " + size + " bytes)");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            while (hb.hasRemaining() && ch.read(hb) >= 0) {
                // keep reading
            }
            JsonNode h;
            try {
                h = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IOException(file + ": corrupt safetensors header (invalid JSON: " + e.getMessage() + ")", e);
            }
            if (h == null || !h.isObject()) {
                throw new IOException(file + ": corrupt safetensors header (not a JSON object)");
            }
            Map<String, String> md = new LinkedHashMap<>();
            int tensors = 0;
            long params = 0;
            Iterator<Map.Entry<String, JsonNode>> it = h.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().fields().forEachRemaining(m -> md.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                tensors++;
                long count = 1;
                for (JsonNode d : e.getValue().path("shape")) {
                    count *= d.asLong();
                }
                params += count;
            }
            return new ModelHeader(md, tensors, params);
        }
    }
}
