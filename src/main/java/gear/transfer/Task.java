package gear.transfer;

import java.util.Locale;

/** One of the two tasks of a transfer pair. */
public enum Task {
    /** The data-rich source task. */
    SOURCE,
    /** The data-poor target task. */
    TARGET;

    /** Parses {@code source} or {@code target} (case-insensitive). */
    public static Task parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "source" -> SOURCE;
            case "target" -> TARGET;
            default -> throw new IllegalArgumentException("unknown task '" + s + "': expected source or target");
        };
    }

    /** @return the CLI name */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
