package gear.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Validated values of every option of a {@link Schema} (defaults where not set); immutable, with a stable
 * key/value form ({@link #toJson}, {@link #fromJson}, {@link #with(String, String)}).
 */
public final class Values {
    private final Schema schema;
    private final Map<String, Object> values;

    private Values(Schema schema, Map<String, Object> values) {
        this.schema = schema;
        this.values = Collections.unmodifiableMap(values);
    }

    /** @return every option at its default */
    public static Values defaults(Schema schema) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Opt<?> o : schema.options()) {
            m.put(o.key(), o.defaultValue());
        }
        return new Values(schema, m);
    }

    /** @return the schema */
    public Schema schema() {
        return schema;
    }

    /** @return the value of an option */
    public <T> T get(Opt<T> o) {
        Object v = values.get(o.key());
        if (v == null) {
            throw new IllegalArgumentException(o.key() + " is not an option of " + schema.name());
        }
        return o.type().cast(v);
    }

    /** @return a copy with one option set (validated) */
    public <T> Values with(Opt<T> o, T value) {
        schema.get(o.key());
        Map<String, Object> m = new LinkedHashMap<>(values);
        m.put(o.key(), o.check(value));
        return new Values(schema, m);
    }

    /**
     * @return a copy with one option set from text (key in any spelling)
     * @throws UnknownOptionException for an unknown key; IllegalArgumentException for an invalid value
     */
    public Values with(String key, String text) {
        Opt<?> o = schema.get(key);
        Map<String, Object> m = new LinkedHashMap<>(values);
        m.put(o.key(), o.parse(text));
        return new Values(schema, m);
    }

    /** @return a copy with every entry of {@code text} set (keys in any spelling; checked before any is set) */
    public Values with(Map<String, String> text) {
        schema.checkKeys(text.keySet());
        Values v = this;
        for (Map.Entry<String, String> e : text.entrySet()) {
            v = v.with(e.getKey(), e.getValue());
        }
        return v;
    }

    /** @return the values as a JSON object (snake_case keys, declaration order) */
    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode n = json.createObjectNode();
        values.forEach((k, v) -> n.set(k, json.valueToTree(v)));
        return n;
    }

    /**
     * Reads values written by {@link #toJson} (absent keys keep their defaults: files written before an
     * option existed were trained at its default).
     *
     * @throws UnknownOptionException for a key the schema does not declare
     */
    public static Values fromJson(Schema schema, JsonNode n) {
        Values v = defaults(schema);
        for (var it = n.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isNull()) {
                v = v.with(e.getKey(), e.getValue().asText());
            }
        }
        return v;
    }

    /** @return the values as text, key → value */
    public Map<String, String> asText() {
        Map<String, String> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, String.valueOf(v)));
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Values v && v.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
