package gear.experiment.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The sections of {@link RunReport} that show the files of one run directory as they are: model provenance (the
 * safetensors headers), the results (results.json, else results.csv), CSV files as tables and the cell directories; and
 * the listing of a directory's files by extension that the page is built from. A file that cannot be read gives a note
 * in its section instead of failing the report.
 */
final class RunSections {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunSections() {}

    /** Model provenance: the safetensors header of every {@code *.gear} and {@code *.safetensors} file ({@link ModelHeader}). */
    static void modelsSection(Path dir, Page page) throws IOException {
        List<Path> models = new ArrayList<>(files(dir, ".gear"));
        models.addAll(files(dir, ".safetensors"));
        if (models.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder();
        for (Path m : models) {
            b.append(Html.el("h3", m.getFileName().toString())).append('\n');
            try {
                ModelHeader h = ModelHeader.read(m);
                b.append(Html.note(h.tensors() + " tensors, " + h.parameters() + " parameters, "
                        + Files.size(m) + " bytes."));
                List<List<String>> rows = new ArrayList<>();
                h.metadata().forEach((k, v) -> rows.add(List.of(k, prettyIfJson(v))));
                b.append(Html.table(List.of("metadata", "value"), rows).replace("<td>", "<td class=\"pre\">"));
            } catch (IOException e) {
                b.append(Html.note("Could not read the header: " + e.getMessage()));
            }
        }
        page.section("Model provenance", b.toString());
    }

    /** Results: results.json as a table (its other fields as key-value rows), else results.csv. */
    static void resultsSection(Path dir, JsonNode results, Page page) throws IOException {
        if (results != null) {
            StringBuilder b = new StringBuilder(Html.note("From results.json; numbers exactly as written there."));
            String key = results.isArray() ? null : rowsField(results);
            JsonNode rows = key == null ? results : results.get(key);
            Tables.Table t = Tables.fromJsonArray(rows);
            if (t != null) {
                if (results.isObject()) {
                    JsonNode rest = results.deepCopy();
                    ((com.fasterxml.jackson.databind.node.ObjectNode) rest).remove(key);
                    if (rest.size() > 0) {
                        b.append(Html.table(List.of("key", "value"), Tables.fields(rest).rows()));
                    }
                }
                b.append(Tables.render(t, Tables.DEFAULT_CAP, "results.json"));
            } else {
                b.append(Html.pre(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results)));
            }
            page.section("Results", b.toString());
        } else if (Files.isRegularFile(dir.resolve("results.csv"))) {
            page.section("Results", Html.note("From results.csv.") + csv(dir.resolve("results.csv")));
        }
    }

    /** The field of an object holding the rows: "results", "rows" or "runs" if present, else the first array of objects. */
    private static String rowsField(JsonNode obj) {
        for (String k : List.of("results", "rows", "runs")) {
            if (Tables.fromJsonArray(obj.get(k)) != null) {
                return k;
            }
        }
        var it = obj.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getValue().isArray() && e.getValue().size() > 0 && Tables.fromJsonArray(e.getValue()) != null) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Grid cells: the cell directories under {@code cells/} of a directory that is not a grid with results. */
    static void cellsSection(Path dir, Page page) throws IOException {
        Path cells = dir.resolve("cells");
        if (!Files.isDirectory(cells)) {
            return;
        }
        List<String> names;
        try (Stream<Path> s = Files.list(cells)) {
            names = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
        List<List<String>> rows = new ArrayList<>();
        for (String n : names) {
            Path c = cells.resolve(n);
            rows.add(List.of(n, Files.isRegularFile(c.resolve("config.json")) ? "yes" : "no",
                    Files.isRegularFile(c.resolve("test_predictions.csv")) ? "yes" : "no"));
        }
        page.section("Grid cells", Html.note(names.size() + " cell directories under cells/ (gear report CELL_DIR "
                + "gives a page per cell).") + Tables.render(new Tables.Table(List.of("cell", "config.json",
                "test_predictions.csv"), rows), Tables.DEFAULT_CAP, "cells"));
    }

    /** @return a CSV file as a table (capped), or a note when it cannot be read */
    static String csv(Path file) {
        try {
            return Tables.render(Tables.readCsv(file), Tables.DEFAULT_CAP, file.getFileName().toString());
        } catch (IOException e) {
            return Html.note("Could not read " + file.getFileName() + ": " + e.getMessage());
        }
    }

    private static String prettyIfJson(String v) {
        String s = v.strip();
        if (s.startsWith("{") || s.startsWith("[")) {
            try {
                return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(s));
            } catch (IOException e) {
                return v;
            }
        }
        return v;
    }

    /** Regular files in {@code dir} (not below) whose name ends with {@code ext}; summary.md sorts first. */
    static List<Path> files(Path dir, String ext) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(ext))
                    .sorted((a, b) -> {
                        boolean sa = a.getFileName().toString().equals("summary.md");
                        boolean sb = b.getFileName().toString().equals("summary.md");
                        return sa != sb ? (sa ? -1 : 1) : a.compareTo(b);
                    }).toList();
        }
    }
}
