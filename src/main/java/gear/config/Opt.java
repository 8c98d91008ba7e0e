package gear.config;

import java.util.List;
import java.util.Locale;

/**
 * One option, declared once: its key (snake_case, as in {@code config.json}, model-file provenance and the
 * grid's {@code --set KEY=VALUE}), its type, default, unit, description and validation. The command-line flag
 * is derived ({@code w_curv} → {@code --w-curv}), and so are the picocli options of the commands that take
 * it ({@code gear.cli.SchemaOptions}).
 *
 * @param <T> the value type: Integer, Long, Double, String (one of {@link #choices} when given) or Boolean
 */
public final class Opt<T> {
    private final String key;
    private final Class<T> type;
    private final T defaultValue;
    private final String unit;
    private final String description;
    private final double min;
    private final List<String> choices;

    private Opt(String key, Class<T> type, T defaultValue, String unit, String description, double min,
            List<String> choices) {
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.unit = unit;
        this.description = description;
        this.min = min;
        this.choices = choices;
    }

    /** An integer option with a smallest allowed value. */
    public static Opt<Integer> integer(String key, int def, int min, String description) {
        return new Opt<>(key, Integer.class, def, "", description, min, List.of());
    }

    /** A 64-bit integer option (seeds). */
    public static Opt<Long> int64(String key, long def, String description) {
        return new Opt<>(key, Long.class, def, "", description, Double.NEGATIVE_INFINITY, List.of());
    }

    /** A finite real option with a smallest allowed value (use {@code Double.MIN_VALUE} for "positive"). */
    public static Opt<Double> real(String key, double def, double min, String unit, String description) {
        return new Opt<>(key, Double.class, def, unit, description, min, List.of());
    }

    /** A string option restricted to {@code choices} (compared case-insensitively, stored in lower case). */
    public static Opt<String> choice(String key, String def, List<String> choices, String description) {
        return new Opt<>(key, String.class, def, "", description, Double.NEGATIVE_INFINITY, List.copyOf(choices));
    }

    /** A free string option (stored in lower case), e.g. a device name such as {@code cuda:1}. */
    public static Opt<String> text(String key, String def, String description) {
        return new Opt<>(key, String.class, def, "", description, Double.NEGATIVE_INFINITY, List.of());
    }

    /** @return the key ({@code w_curv}) */
    public String key() {
        return key;
    }

    /** @return the command-line flag ({@code --w-curv}) */
    public String flag() {
        return "--" + key.replace('_', '-');
    }

    /** @return the value type */
    public Class<T> type() {
        return type;
    }

    /** @return the default */
    public T defaultValue() {
        return defaultValue;
    }

    /** @return the unit ("" when dimensionless) */
    public String unit() {
        return unit;
    }

    /** @return the description (one line) */
    public String description() {
        return description;
    }

    /** @return the allowed values of a choice option (empty otherwise) */
    public List<String> choices() {
        return choices;
    }

    /** @return the description with the allowed values, the unit and the default, for {@code --help} */
    public String help() {
        StringBuilder b = new StringBuilder(description);
        if (!choices.isEmpty()) {
            b.append(" (").append(String.join(", ", choices)).append(')');
        }
        if (!unit.isEmpty()) {
            b.append(" [").append(unit).append(']');
        }
        b.append(" (default: ").append(defaultValue).append(')');
        return b.toString().replace("%", "%%");
    }

    /**
     * Parses and validates a value given as text.
     *
     * @throws IllegalArgumentException naming the flag, the value and the rule
     */
    public T parse(String text) {
        String s = text.trim();
        try {
            Object v;
            if (type == Integer.class) {
                v = Integer.parseInt(s);
            } else if (type == Long.class) {
                v = Long.parseLong(s);
            } else if (type == Double.class) {
                v = Double.parseDouble(s);
            } else if (type == Boolean.class) {
                if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
                    throw new NumberFormatException();
                }
                v = Boolean.parseBoolean(s);
            } else {
                v = s.toLowerCase(Locale.ROOT);
            }
            return check(type.cast(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag() + " must be " + kind() + ", got '" + text + "'");
        }
    }

    /**
     * Validates a value.
     *
     * @return the value
     * @throws IllegalArgumentException naming the flag, the value and the rule
     */
    public T check(T v) {
        if (v == null) {
            throw new IllegalArgumentException(flag() + " needs a value");
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (!Double.isFinite(d) || d < min) {
                throw new IllegalArgumentException(flag() + " must be " + kind() + ", got " + v);
            }
        }
        if (!choices.isEmpty() && !choices.contains(v.toString().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(flag() + " must be one of " + String.join(", ", choices) + ", got '" + v + "'");
        }
        return v;
    }

    private String kind() {
        if (type == Integer.class || type == Long.class) {
            return min == Double.NEGATIVE_INFINITY ? "an integer" : "an integer ≥ " + (long) min;
        }
        if (type == Double.class) {
            return min == Double.MIN_VALUE ? "a finite number > 0"
                    : min == Double.NEGATIVE_INFINITY ? "a finite number" : "a finite number ≥ " + min;
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        return choices.isEmpty() ? "text" : "one of " + String.join(", ", choices);
    }

    @Override
    public String toString() {
        return key;
    }
}
