package gear.data;

/** What the CSV loader does with bad rows (CLI {@code --invalid fail|skip}). */
public enum InvalidPolicy {
    /** Any bad row makes the load fail with a {@link BadInputException} listing every bad row. */
    FAIL,
    /** Bad rows are left out and returned in the {@link LoadReport} for the caller to print. */
    SKIP;

    /** @return the CLI spelling ({@code fail}, {@code skip}) */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@code fail} or {@code skip} (case-insensitive). */
    public static InvalidPolicy parse(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "fail" -> FAIL;
            case "skip" -> SKIP;
            default -> throw new IllegalArgumentException("invalid policy '" + s + "': expected fail or skip");
        };
    }
}
