package gear.experiment.tune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.config.Opt;
import gear.config.Schema;
import gear.transfer.TransferSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One tuned option and its range: uniform on [lo, hi], log-uniform on [lo, hi] (ln x uniform, lo &gt; 0),
 * an integer uniform on {lo..hi}, or a choice among listed values (uniform). The key is an option of
 * {@link TransferSchema#SCHEMA}; every value the range can produce must be valid for that option
 * ({@link Opt#check}), which {@link #of} checks before anything runs.
 *
 * <p>JSON form (in a search-space file): {@code {"log_uniform": [1e-4, 1]}}, {@code {"uniform": [0, 0.3]}},
 * {@code {"int_uniform": [1, 4]}} or {@code {"choice": ["mse", "relative"]}}.
 *
 * @param key the option key (snake_case)
 * @param kind the distribution
 * @param lo lower end (numeric kinds)
 * @param hi upper end (numeric kinds)
 * @param choices the values of a choice (empty otherwise)
 */
public record Param(String key, Kind kind, double lo, double hi, List<String> choices) {
    /** The distributions. */
    public enum Kind {
        /** Uniform on [lo, hi]. */
        UNIFORM,
        /** ln x uniform on [ln lo, ln hi]. */
        LOG_UNIFORM,
        /** Integers lo..hi, each equally likely. */
        INT_UNIFORM,
        /** One of the listed values, each equally likely. */
        CHOICE;

        String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Param {
        choices = List.copyOf(choices);
    }

    /**
     * A validated range.
     *
     * @throws IllegalArgumentException naming the key and the problem: an unknown option (with the closest
     *     valid key), lo &gt; hi, a non-positive lower end of a log-uniform range, a value the option refuses, an
     *     empty or repeated choice, a numeric range on a choice option or the other way round
     */
    public static Param of(String key, Kind kind, double lo, double hi, List<String> choices) {
        String k = Schema.normalize(key);
        if (!TransferSchema.SCHEMA.has(k)) {
            throw new IllegalArgumentException("search space: unknown option '" + key + "' (did you mean '"
                    + Schema.closest(k, TransferSchema.SCHEMA.options().stream().map(Opt::key).toList()) + "'?)");
        }
        Opt<?> opt = TransferSchema.SCHEMA.get(k);
        String where = "search space, option " + k + ": ";
        if (kind == Kind.CHOICE) {
            if (choices.isEmpty()) {
                throw new IllegalArgumentException(where + "a choice needs at least one value");
            }
            if (choices.stream().distinct().count() < choices.size()) {
                throw new IllegalArgumentException(where + "a value is listed twice in " + choices);
            }
            List<String> norm = new ArrayList<>();
            for (String c : choices) {
                norm.add(String.valueOf(parse(opt, c, where)));
            }
            return new Param(k, kind, Double.NaN, Double.NaN, norm);
        }
        if (!choices.isEmpty()) {
            throw new IllegalArgumentException(where + kind.jsonName() + " takes [lo, hi], not a list of values");
        }
        if (opt.type() != Double.class && opt.type() != Integer.class) {
            throw new IllegalArgumentException(where + "is not numeric; use {\"choice\": [...]}");
        }
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo > hi) {
            throw new IllegalArgumentException(where + "bad range [" + lo + ", " + hi + "] (need finite lo <= hi)");
        }
        if (kind == Kind.LOG_UNIFORM && !(lo > 0)) {
            throw new IllegalArgumentException(where + "a log-uniform range needs lo > 0, got " + lo);
        }
        if (opt.type() == Integer.class && kind != Kind.INT_UNIFORM) {
            throw new IllegalArgumentException(where + "is an integer option; use int_uniform or choice");
        }
        if (kind == Kind.INT_UNIFORM && (lo != Math.rint(lo) || hi != Math.rint(hi))) {
            throw new IllegalArgumentException(where + "int_uniform needs integer ends, got [" + lo + ", " + hi + "]");
        }
        Param p = new Param(k, kind, lo, hi, List.of());
        parse(opt, p.format(lo), where);
        parse(opt, p.format(hi), where);
        return p;
    }

    private static Object parse(Opt<?> opt, String text, String where) {
        try {
            return opt.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage());
        }
    }

    /** @return a value drawn from the range, as option text */
    public String sample(SplittableRandom rnd) {
        return switch (kind) {
            case UNIFORM -> format(lo + (hi - lo) * rnd.nextDouble());
            case LOG_UNIFORM -> format(Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * rnd.nextDouble()));
            case INT_UNIFORM -> Long.toString((long) lo + rnd.nextLong((long) hi - (long) lo + 1));
            case CHOICE -> choices.get(rnd.nextInt(choices.size()));
        };
    }

    private String format(double v) {
        if (kind == Kind.INT_UNIFORM) {
            return Long.toString((long) v);
        }
        // four significant digits: enough for a tuned value, and the text is what every run records
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toString();
    }

    /** @return the JSON form ({@code {"log_uniform": [lo, hi]}}) */
    public ObjectNode toJson(ObjectMapper m) {
        ObjectNode o = m.createObjectNode();
        ArrayNode a = o.putArray(kind.jsonName());
        if (kind == Kind.CHOICE) {
            choices.forEach(a::add);
        } else if (kind == Kind.INT_UNIFORM) {
            a.add((long) lo).add((long) hi);
        } else {
            a.add(lo).add(hi);
        }
        return o;
    }

    /**
     * Parses the JSON form.
     *
     * @throws IllegalArgumentException naming the key and the problem
     */
    public static Param fromJson(String key, JsonNode n) {
        if (n == null || !n.isObject() || n.size() != 1) {
            throw new IllegalArgumentException("search space, option " + key
                    + ": expected one of {\"uniform\": [lo, hi]}, {\"log_uniform\": [lo, hi]}, {\"int_uniform\": [lo, hi]}, "
                    + "{\"choice\": [values]}");
        }
        String name = n.fieldNames().next();
        Kind kind = null;
        for (Kind k : Kind.values()) {
            if (k.jsonName().equals(name)) {
                kind = k;
            }
        }
        if (kind == null) {
            throw new IllegalArgumentException("search space, option " + key + ": unknown distribution '" + name
                    + "' (uniform, log_uniform, int_uniform, choice)");
        }
        JsonNode a = n.get(name);
        if (!a.isArray()) {
            throw new IllegalArgumentException("search space, option " + key + ": " + name + " needs a list");
        }
        if (kind == Kind.CHOICE) {
            List<String> c = new ArrayList<>();
            a.forEach(x -> c.add(x.asText()));
            return of(key, kind, Double.NaN, Double.NaN, c);
        }
        if (a.size() != 2 || !a.get(0).isNumber() || !a.get(1).isNumber()) {
            throw new IllegalArgumentException("search space, option " + key + ": " + name + " needs [lo, hi] (two numbers)");
        }
        return of(key, kind, a.get(0).asDouble(), a.get(1).asDouble(), List.of());
    }

    @Override
    public String toString() {
        return kind == Kind.CHOICE ? key + " ∈ {" + String.join(", ", choices) + "}"
                : key + " ~ " + kind.jsonName() + "[" + format(lo) + ", " + format(hi) + "]";
    }
}
