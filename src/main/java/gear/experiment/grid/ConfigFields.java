package gear.experiment.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.SplitType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields that a grid's configuration ({@link GridConfig}) and a tune's ({@code gear.experiment.tune.TuneConfig})
 * share, checked, written and read one way: pairs, methods, split types, seeds, k folds, test fraction, the fixed
 * method options and the data and cache directories. Each writer puts the JSON fields in its own order (a tune's
 * fingerprint hashes its JSON text, so that order is part of it); reading does not depend on the order.
 */
public final class ConfigFields {
    private ConfigFields() {}

    /**
     * Checks the units of a grid or tune.
     *
     * @param what "the grid" or "a tune", for the messages
     * @throws IllegalArgumentException when a list is empty or lists an entry twice, a method name is not a plain
     *     name, or k &lt; 2
     */
    public static void checkUnits(String what, List<PairSpec> pairs, List<String> methods, List<SplitType> splitTypes,
            List<Long> seeds, int folds) {
        if (pairs.isEmpty() || methods.isEmpty() || splitTypes.isEmpty() || seeds.isEmpty()) {
            throw new IllegalArgumentException(what + " needs at least one pair, method, split type and seed");
        }
        for (List<?> l : List.of(methods, splitTypes, seeds)) {
            if (l.stream().distinct().count() < l.size()) {
                throw new IllegalArgumentException("a method, split type or seed is listed twice: " + l);
            }
        }
        for (String m : methods) {
            if (!m.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("method name '" + m + "': use letters, digits, '-' and '_' only");
            }
        }
        if (folds < 2) {
            throw new IllegalArgumentException("--folds must be at least 2, got " + folds);
        }
    }

    /** Puts {@code pairs}, {@code methods} and {@code split_types}, in this order. */
    public static void putUnits(ObjectNode o, List<PairSpec> pairs, List<String> methods, List<SplitType> splitTypes) {
        o.set("pairs", PairsFile.toJson(pairs, new ObjectMapper()));
        ArrayNode ms = o.putArray("methods");
        methods.forEach(ms::add);
        ArrayNode st = o.putArray("split_types");
        splitTypes.forEach(s -> st.add(s.cliName()));
    }

    /** Puts {@code seeds}. */
    public static void putSeeds(ObjectNode o, List<Long> seeds) {
        ArrayNode ss = o.putArray("seeds");
        seeds.forEach(ss::add);
    }

    /** Puts {@code test_fraction} and {@code options}, in this order. */
    public static void putOptions(ObjectNode o, double testFraction, Map<String, String> options) {
        o.put("test_fraction", testFraction);
        o.set("options", new ObjectMapper().valueToTree(options));
    }

    /** Puts {@code data_dir} and {@code cache_dir} (absolute; null when absent), in this order. */
    public static void putDirs(ObjectNode o, Path dataDir, Path cacheDir) {
        o.put("data_dir", dataDir == null ? null : dataDir.toAbsolutePath().toString());
        o.put("cache_dir", cacheDir == null ? null : cacheDir.toAbsolutePath().toString());
    }

    /** @return {@code pairs} */
    public static List<PairSpec> pairs(JsonNode o) {
        return PairsFile.fromJson(o.get("pairs"));
    }

    /** @return {@code methods} */
    public static List<String> methods(JsonNode o) {
        List<String> r = new ArrayList<>();
        o.get("methods").forEach(n -> r.add(n.asText()));
        return r;
    }

    /** @return {@code split_types} */
    public static List<SplitType> splitTypes(JsonNode o) {
        List<SplitType> r = new ArrayList<>();
        o.get("split_types").forEach(n -> r.add(SplitType.parse(n.asText())));
        return r;
    }

    /** @return {@code seeds} */
    public static List<Long> seeds(JsonNode o) {
        List<Long> r = new ArrayList<>();
        o.get("seeds").forEach(n -> r.add(n.asLong()));
        return r;
    }

    /** @return {@code options} (text values) */
    public static Map<String, String> options(JsonNode o) {
        Map<String, String> r = new LinkedHashMap<>();
        o.get("options").fields().forEachRemaining(e -> r.put(e.getKey(), e.getValue().asText()));
        return r;
    }

    /** @return the path under {@code key} ({@code data_dir}, {@code cache_dir}), or null when absent or null */
    public static Path path(JsonNode o, String key) {
        return o.hasNonNull(key) ? Path.of(o.get(key).asText()) : null;
    }
}
