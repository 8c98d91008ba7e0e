package gear.experiment.grid;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.data.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A protocol preset of the grid ({@code gear benchmark --protocol FILE}): the cell options of a protocol, committed
 * as a file so that a grid runs under exactly the protocol its documentation describes
 * ({@code pairs/converged.json}: the converged protocol of design/GEAR.md §6, docs/BENCHMARK.md).
 *
 * <p>Format: {@code {"description": "...", "options": {"KEY": VALUE, ...}}}, the keys those of {@code --set} (the
 * transfer options in snake_case), the values strings or numbers. The options become the grid's cell options, so
 * they are part of every cell's fingerprint; {@code --epochs}, {@code --batch-size} and {@code --set} given beside
 * {@code --protocol} override them key by key.
 */
public final class ProtocolFile {
    private ProtocolFile() {}

    /**
     * Reads a protocol file.
     *
     * @return its options, in file order
     * @throws BadInputException naming the file and the problem (missing, not JSON, no options object, a value that
     *     is neither text nor a number); unknown keys are refused later by the runner's option check
     */
    public static Map<String, String> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": protocol file not found");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read protocol file: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new BadInputException(file + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.path("options").isObject()) {
            throw new BadInputException(file + ": expected {\"options\": {\"KEY\": VALUE, ...}}");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("options").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (!(v.isTextual() || v.isNumber() || v.isBoolean())) {
                throw new BadInputException(file + ": option '" + e.getKey() + "': expected a text or a number, got " + v);
            }
            out.put(e.getKey(), v.asText());
        }
        return out;
    }
}
