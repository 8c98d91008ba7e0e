package gear.experiment.grid;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import gear.data.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The results tables of a grid: {@code results.csv} (header {@link ResultRow#COLUMNS}; numbers in
 * Java's shortest round-trip form; blank where absent or not finite) and {@code results.json} (an
 * array of row objects), plus each cell's {@code cells/<id>/result.json}. Every write is atomic.
 */
public final class ResultsFiles {
    /** File name of a cell's result. */
    public static final String CELL_RESULT = "result.json";

    private ResultsFiles() {}

    private static ObjectMapper mapper() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** Writes a cell's {@code result.json} atomically (the marker that the cell is finished). */
    public static void writeCell(Path cellDir, ResultRow row) throws IOException {
        AtomicFiles.writeString(cellDir.resolve(CELL_RESULT), mapper().writeValueAsString(row.toJson()) + "\n");
    }

    /** @return the cell's result, or null when it has none (not finished) */
    public static ResultRow readCell(Path cellDir) throws IOException {
        Path f = cellDir.resolve(CELL_RESULT);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        return ResultRow.fromJson(new ObjectMapper().readTree(f.toFile()));
    }

    /** Writes {@code results.csv} and {@code results.json} into {@code dir}. */
    public static void write(Path dir, List<ResultRow> rows) throws IOException {
        StringBuilder csv = new StringBuilder(String.join(",", ResultRow.COLUMNS)).append('\n');
        ArrayNode json = mapper().createArrayNode();
        for (ResultRow r : rows) {
            List<String> cells = new ArrayList<>();
            for (Object v : r.values()) {
                cells.add(csvCell(v));
            }
            csv.append(String.join(",", cells)).append('\n');
            json.add(r.toJson());
        }
        AtomicFiles.writeString(dir.resolve("results.csv"), csv.toString());
        AtomicFiles.writeString(dir.resolve("results.json"), mapper().writeValueAsString(json) + "\n");
    }

    private static String csvCell(Object v) {
        if (v == null || (v instanceof Double d && !Double.isFinite(d))) {
            return "";
        }
        String s = v.toString();
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
