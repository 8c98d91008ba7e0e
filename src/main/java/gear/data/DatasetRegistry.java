package gear.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The known public data sets and suggested transfer pairs, read from the resource
 * {@code /gear/datasets.json}: per set its file, row count, SHA-256 (of the file in gear's mirror
 * format), columns with units, origin, license and citation.
 */
public final class DatasetRegistry {
    private static volatile DatasetRegistry defaultRegistry;

    private final Map<String, DatasetInfo> datasets;
    private final Map<String, DatasetPair> pairs;

    private DatasetRegistry(Map<String, DatasetInfo> datasets, Map<String, DatasetPair> pairs) {
        this.datasets = Collections.unmodifiableMap(datasets);
        this.pairs = Collections.unmodifiableMap(pairs);
    }

    /** @return the registry bundled with gear */
    public static DatasetRegistry load() {
        DatasetRegistry r = defaultRegistry;
        if (r == null) {
            try (InputStream in = DatasetRegistry.class.getResourceAsStream("/gear/datasets.json")) {
                if (in == null) {
                    throw new IllegalStateException("resource /gear/datasets.json missing from the build");
                }
                r = parse(new ObjectMapper().readTree(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            defaultRegistry = r;
        }
        return r;
    }

    static DatasetRegistry parse(JsonNode root) {
        Map<String, DatasetInfo> ds = new LinkedHashMap<>();
        for (JsonNode d : root.path("datasets")) {
            List<DatasetInfo.Column> cols = new ArrayList<>();
            for (JsonNode c : d.path("columns")) {
                cols.add(new DatasetInfo.Column(c.get("name").asText(), c.path("unit").asText("")));
            }
            DatasetInfo info = new DatasetInfo(d.get("name").asText(), d.path("title").asText(""), d.get("file").asText(),
                    d.path("rows").asInt(), d.get("sha256").asText(), d.path("smiles_column").asText("smiles"),
                    List.copyOf(cols), d.path("origin").asText(""), text(d, "origin_url"), text(d, "download_url"),
                    d.path("license").asText(""), d.path("citation").asText(""), d.path("quirks").asText(""));
            ds.put(info.name(), info);
        }
        Map<String, DatasetPair> ps = new LinkedHashMap<>();
        for (JsonNode p : root.path("pairs")) {
            DatasetPair pair = new DatasetPair(p.get("id").asText(), p.get("source").asText(), p.get("source_column").asText(),
                    p.get("target").asText(), p.get("target_column").asText(), p.path("overlap").asInt(),
                    p.path("pearson_r").asDouble(Double.NaN), p.path("link").asText(""), text(p, "note"));
            ps.put(pair.id(), pair);
        }
        return new DatasetRegistry(ds, ps);
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** @return all data sets, in registry order */
    public List<DatasetInfo> datasets() {
        return List.copyOf(datasets.values());
    }

    /** @return the data set of that name (a trailing {@code .csv} is ignored), if known */
    public Optional<DatasetInfo> find(String name) {
        String n = name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
        return Optional.ofNullable(datasets.get(n));
    }

    /**
     * @return the data set of that name
     * @throws BadInputException naming the known data sets if there is none
     */
    public DatasetInfo get(String name) {
        return find(name).orElseThrow(() -> new BadInputException("unknown data set '" + name + "'; known: "
                + String.join(", ", datasets.keySet())));
    }

    /** @return all suggested pairs */
    public List<DatasetPair> pairs() {
        return List.copyOf(pairs.values());
    }

    /** @return the pair with that id, if any */
    public Optional<DatasetPair> pair(String id) {
        return Optional.ofNullable(pairs.get(id));
    }
}
