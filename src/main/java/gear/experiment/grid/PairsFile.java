package gear.experiment.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.BadInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads and checks a pairs file: JSON, either an array of pairs or an object with a {@code pairs} array.
 * Each pair:
 *
 * <pre>{"id": "tb-tc",
 *  "source": {"dataset": "nist_tde_boiling_point", "column": "Tb_K"},
 *  "target": {"file": "data/tc.csv", "column": "Tc_K"},
 *  "target_subsample": 1000}</pre>
 *
 * <p>{@code dataset} is a registry name (or a file name in the data directory); {@code file} is a CSV
 * path, relative paths resolved against the pairs file's directory. {@code target_subsample} is optional.
 * A task set has {@code "sources": [{...}, {...}, ...]} (two or more, same form) instead of {@code source}: its
 * cells run the methods across k tasks ({@code gear}, {@code gate}, {@code mtl}, {@code finetune}; {@code stl}
 * ignores the sources; docs/KTASKS.md).
 * A pairs file names data sets and columns; it never holds data.
 */
public final class PairsFile {
    private PairsFile() {}

    /**
     * @return the pairs, in file order
     * @throws BadInputException naming the file, the pair (index and id) and the problem
     */
    public static List<PairSpec> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": pairs file not found");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read pairs file: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadInputException(file + ": not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode arr = root != null && root.isObject() ? root.get("pairs") : root;
        if (arr == null || !arr.isArray() || arr.isEmpty()) {
            throw new BadInputException(file + ": expected a non-empty array of pairs (or {\"pairs\": [...]})");
        }
        Path base = file.toAbsolutePath().getParent();
        List<PairSpec> pairs = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < arr.size(); i++) {
            JsonNode p = arr.get(i);
            String where = file + ": pair " + i;
            String id = p.path("id").asText(null);
            if (id == null || id.isBlank()) {
                throw new BadInputException(where + ": missing \"id\"");
            }
            where += " (" + id + ")";
            if (!ids.add(id)) {
                throw new BadInputException(where + ": duplicate id");
            }
            Integer sub = null;
            if (p.hasNonNull("target_subsample")) {
                if (!p.get("target_subsample").canConvertToExactIntegral()) {
                    throw new BadInputException(where + ": target_subsample must be an integer, got " + p.get("target_subsample"));
                }
                sub = p.get("target_subsample").asInt();
            }
            try {
                if (p.has("sources")) {
                    if (p.has("source")) {
                        throw new BadInputException(where + ": give \"source\" (a pair) or \"sources\" (a task set), not both");
                    }
                    JsonNode s = p.get("sources");
                    if (!s.isArray() || s.size() < 2) {
                        throw new BadInputException(where + ": \"sources\" must list at least two sources (one source: "
                                + "\"source\")");
                    }
                    List<DataRef> refs = new ArrayList<>();
                    for (int j = 0; j < s.size(); j++) {
                        refs.add(refOf(s.get(j), "sources " + j, where, base));
                    }
                    pairs.add(new PairSpec(id, refs.get(0), ref(p, "target", where, base), sub, refs.subList(1, refs.size())));
                    continue;
                }
                pairs.add(new PairSpec(id, ref(p, "source", where, base), ref(p, "target", where, base), sub));
            } catch (IllegalArgumentException e) {
                throw new BadInputException(where + ": " + e.getMessage());
            }
        }
        return pairs;
    }

    private static DataRef ref(JsonNode p, String side, String where, Path base) {
        return refOf(p.get(side), side, where, base);
    }

    private static DataRef refOf(JsonNode r, String side, String where, Path base) {
        if (r == null || !r.isObject()) {
            throw new BadInputException(where + ": missing \"" + side + "\": {\"dataset\" or \"file\", \"column\"}");
        }
        String column = r.path("column").asText(null);
        if (column == null || column.isBlank()) {
            throw new BadInputException(where + ": " + side + ": missing \"column\"");
        }
        if (r.hasNonNull("file") == r.hasNonNull("dataset")) {
            throw new BadInputException(where + ": " + side + ": give exactly one of \"dataset\" and \"file\"");
        }
        if (r.hasNonNull("file")) {
            Path f = Path.of(r.get("file").asText());
            return new DataRef((f.isAbsolute() || base == null ? f : base.resolve(f)).normalize().toString(), column);
        }
        return new DataRef(r.get("dataset").asText(), column);
    }

    /**
     * Checks that every pair's files exist and have the named columns (reads only the header rows).
     *
     * @throws BadInputException naming the pair id, the side and the problem
     */
    public static void check(List<PairSpec> pairs, Path dataDir) {
        for (PairSpec p : pairs) {
            List<DataRef> s = p.sources();
            for (int j = 0; j < s.size(); j++) {
                check(p, p.isTaskSet() ? "sources " + j : "source", s.get(j), dataDir);
            }
            check(p, "target", p.target(), dataDir);
        }
    }

    private static void check(PairSpec p, String side, DataRef ref, Path dataDir) {
        Path f;
        try {
            f = ref.resolve(dataDir);
        } catch (BadInputException e) {
            throw new BadInputException("pair " + p.id() + ": " + side + ": " + e.getMessage());
        }
        List<String> header = header(f, p, side);
        if (!header.contains(ref.column())) {
            throw new BadInputException("pair " + p.id() + ": " + side + ": " + f + " has no column '" + ref.column()
                    + "'; available columns: " + String.join(", ", header));
        }
    }

    private static List<String> header(Path f, PairSpec p, String side) {
        try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            String line = r.readLine();
            while (line != null && line.isBlank()) {
                line = r.readLine();
            }
            if (line == null) {
                throw new BadInputException("pair " + p.id() + ": " + side + ": " + f + " is empty");
            }
            if (line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            try (CSVParser parser = CSVFormat.RFC4180.parse(new StringReader(line))) {
                List<String> cols = new ArrayList<>();
                for (CSVRecord rec : parser) {
                    rec.forEach(c -> cols.add(c.trim()));
                    break;
                }
                return cols;
            }
        } catch (IOException e) {
            throw new BadInputException("pair " + p.id() + ": " + side + ": cannot read " + f + ": " + e.getMessage());
        }
    }

    /** @return the pairs as JSON, in this file's format (used to record the resolved configuration) */
    public static ArrayNode toJson(List<PairSpec> pairs, ObjectMapper m) {
        ArrayNode a = m.createArrayNode();
        for (PairSpec p : pairs) {
            ObjectNode o = a.addObject();
            o.put("id", p.id());
            if (p.isTaskSet()) {
                ArrayNode s = o.putArray("sources");
                p.sources().forEach(r -> s.addObject().put("dataset", r.dataset()).put("column", r.column()));
            } else {
                o.putObject("source").put("dataset", p.source().dataset()).put("column", p.source().column());
            }
            o.putObject("target").put("dataset", p.target().dataset()).put("column", p.target().column());
            if (p.targetSubsample() != null) {
                o.put("target_subsample", p.targetSubsample());
            }
        }
        return a;
    }

    /** Parses {@link #toJson} output (no path resolution: file paths there are already resolved). */
    public static List<PairSpec> fromJson(JsonNode a) {
        List<PairSpec> r = new ArrayList<>();
        for (JsonNode o : a) {
            if (o.has("sources")) {
                List<DataRef> s = new ArrayList<>();
                o.get("sources").forEach(x -> s.add(new DataRef(x.get("dataset").asText(), x.get("column").asText())));
                r.add(new PairSpec(o.get("id").asText(), s.get(0), new DataRef(o.get("target").get("dataset").asText(),
                        o.get("target").get("column").asText()), o.hasNonNull("target_subsample")
                                ? o.get("target_subsample").asInt() : null, s.subList(1, s.size())));
                continue;
            }
            r.add(new PairSpec(o.get("id").asText(), new DataRef(o.get("source").get("dataset").asText(), o.get("source").get("column").asText()),
                    new DataRef(o.get("target").get("dataset").asText(), o.get("target").get("column").asText()),
                    o.hasNonNull("target_subsample") ? o.get("target_subsample").asInt() : null));
        }
        return r;
    }
}
