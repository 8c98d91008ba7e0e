package gear.config;

/** An option key that no schema declares: the message names it and the closest valid key (exit code 2 in the CLI). */
public final class UnknownOptionException extends IllegalArgumentException {
    private final String key;
    private final String closest;

    /**
     * @param schema what the key was looked up in (e.g. {@code transfer})
     * @param key the key as given
     * @param closest the closest valid key, or null
     */
    public UnknownOptionException(String schema, String key, String closest) {
        super("unknown " + schema + " option '" + key + "'" + (closest == null ? "" : " (did you mean '" + closest + "'?)"));
        this.key = key;
        this.closest = closest;
    }

    /** @return the key as given */
    public String key() {
        return key;
    }

    /** @return the closest valid key (null when the schema is empty) */
    public String closest() {
        return closest;
    }
}
