package gear.experiment.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per-method option values in a grid's options ({@code gear benchmark --tuned chosen.json}, written by
 * {@code gear tune}): the grid's options hold them as {@code tuned:<method>:<key>} entries and one
 * {@value #SOURCE} entry (the SHA-256 of the file they came from; a method whose values come from a later file of
 * a staged tune has its own, {@link #sourceKey}); {@link #resolve} turns them into a cell's
 * plain options for its method (an ablation variant takes those of {@link Ablation#BASE}), with a
 * {@value #MARKER} entry (JSON: the file's hash and the values) that the runner records in the run's
 * {@code config.json}. Options without such entries are returned unchanged, so grids without tuned values
 * keep their cells, options and fingerprints exactly.
 */
public final class Tuned {
    /** Prefix of a per-method entry. */
    public static final String PREFIX = "tuned:";
    /** The grid option holding the SHA-256 of the chosen values' file. */
    public static final String SOURCE = "tuned:sha256";
    /** The cell option recording what was tuned (JSON), for the run's config.json. */
    public static final String MARKER = "tuned";

    private Tuned() {}

    /**
     * @return the grid option holding the SHA-256 of the file a method's values came from, where that is not the
     *     first file ({@code gear benchmark --tuned A,B}: B's methods); absent, the method's file is {@link #SOURCE}'s
     */
    public static String sourceKey(String method) {
        return SOURCE + ":" + method;
    }

    /** @return the grid option key of a method's tuned value */
    public static String key(String method, String option) {
        return PREFIX + method + ":" + option;
    }

    /** @return whether the options hold tuned values */
    public static boolean present(Map<String, String> options) {
        return options.keySet().stream().anyMatch(k -> k.startsWith(PREFIX));
    }

    /**
     * @param options the grid's options
     * @param method the cell's method (an ablation variant reads {@link Ablation#BASE}'s values)
     * @return the options of the cell: the plain ones, the method's tuned values and the {@value #MARKER} entry;
     *     the options themselves when they hold no tuned values
     */
    public static Map<String, String> resolve(Map<String, String> options, String method) {
        if (!present(options)) {
            return options;
        }
        String base = Ablation.baseMethod(method);
        Map<String, String> r = new TreeMap<>();
        Map<String, String> values = new LinkedHashMap<>();
        options.forEach((k, v) -> {
            if (!k.startsWith(PREFIX)) {
                r.put(k, v);
            } else if (k.startsWith(PREFIX + base + ":")) {
                values.put(k.substring((PREFIX + base + ":").length()), v);
            }
        });
        r.putAll(values);
        if (!values.isEmpty()) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode o = m.createObjectNode();
            o.put("chosen_sha256", options.getOrDefault(sourceKey(base), options.get(SOURCE)));
            o.put("method", base);
            o.set("values", m.valueToTree(values));
            r.put(MARKER, o.toString());
        }
        return r;
    }

    /** @return the {@value #MARKER} entry of a cell's options as JSON, or null */
    public static JsonNode marker(Map<String, String> cellOptions) {
        String s = cellOptions.get(MARKER);
        if (s == null) {
            return null;
        }
        try {
            return new ObjectMapper().readTree(s);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cell option " + MARKER + " is not the JSON of tuned values: " + s, e);
        }
    }
}
