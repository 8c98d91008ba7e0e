package gear.experiment.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Tabular inputs of a report (CSV files and JSON arrays of objects) and their rendering with a row
 * cap: a table longer than the cap shows its first and last {@code cap/2} rows and a note saying how
 * many were left out. Cells are shown exactly as written in the file (numbers are not reformatted),
 * so the page's numbers equal the file's.
 */
public final class Tables {
    /** Rows shown per table before the middle is elided. */
    public static final int DEFAULT_CAP = 50;

    private Tables() {}

    /**
     * A table of strings.
     *
     * @param header column names
     * @param rows rows of cells, each as long as the header or shorter
     */
    public record Table(List<String> header, List<List<String>> rows) {
        /** @return the index of the named column (exact match first, then case-insensitive), or -1 */
        public int column(String name) {
            int i = header.indexOf(name);
            if (i >= 0) {
                return i;
            }
            for (int k = 0; k < header.size(); k++) {
                if (header.get(k).equalsIgnoreCase(name)) {
                    return k;
                }
            }
            return -1;
        }

        /** @return the cell, or "" when the row is short */
        public String cell(int row, int col) {
            List<String> r = rows.get(row);
            return col < r.size() ? r.get(col) : "";
        }
    }

    /**
     * Reads a CSV file with a header row (RFC 4180 quoting; a UTF-8 byte-order mark is ignored).
     *
     * @throws IOException if the file cannot be read or parsed (the message names the file)
     */
    public static Table readCsv(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser p = CSVParser.parse(r, CSVFormat.DEFAULT)) {
            List<String> header = null;
            List<List<String>> rows = new ArrayList<>();
            for (CSVRecord rec : p) {
                List<String> cells = new ArrayList<>(rec.size());
                rec.forEach(cells::add);
                if (header == null) {
                    if (!cells.isEmpty() && cells.get(0).startsWith("\uFEFF")) {
                        cells.set(0, cells.get(0).substring(1));
                    }
                    header = cells;
                } else {
                    rows.add(cells);
                }
            }
            return new Table(header == null ? List.of() : header, rows);
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": cannot read CSV: " + e.getMessage(), e);
        }
    }

    /**
     * A table from a JSON array of objects: the columns are the union of the objects' keys in order
     * of first appearance; scalar values are shown as their JSON text (numbers exactly as Jackson
     * reads them), nested values as compact JSON.
     *
     * @return the table, or null if the node is not an array of objects
     */
    public static Table fromJsonArray(JsonNode array) {
        if (array == null || !array.isArray()) {
            return null;
        }
        Set<String> cols = new LinkedHashSet<>();
        for (JsonNode o : array) {
            if (!o.isObject()) {
                return null;
            }
            o.fieldNames().forEachRemaining(cols::add);
        }
        List<String> header = List.copyOf(cols);
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode o : array) {
            List<String> r = new ArrayList<>(header.size());
            for (String c : header) {
                r.add(text(o.get(c)));
            }
            rows.add(r);
        }
        return new Table(header, rows);
    }

    /** The JSON value as a cell: "" for absent/null, the text of scalars, compact JSON otherwise. */
    static String text(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }

    /** Key/value rows of a JSON object's fields (values as {@link #text}). */
    static Table fields(JsonNode obj) {
        List<List<String>> rows = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            rows.add(List.of(e.getKey(), text(e.getValue())));
        }
        return new Table(List.of("key", "value"), rows);
    }

    /**
     * Renders a table, eliding the middle rows beyond {@code cap}.
     *
     * @param what a short description for the elision note (e.g. the file name)
     */
    public static String render(Table t, int cap, String what) {
        int n = t.rows().size();
        if (n <= cap) {
            return Html.table(t.header(), t.rows());
        }
        int head = cap / 2;
        int tail = cap - head;
        List<List<String>> shown = new ArrayList<>(t.rows().subList(0, head));
        List<String> gap = new ArrayList<>();
        gap.add("… " + (n - cap) + " rows not shown …");
        while (gap.size() < t.header().size()) {
            gap.add("");
        }
        shown.add(gap);
        shown.addAll(t.rows().subList(n - tail, n));
        return Html.note(what + ": " + n + " rows; showing the first " + head + " and the last " + tail + ".")
                + Html.table(t.header(), shown);
    }
}
