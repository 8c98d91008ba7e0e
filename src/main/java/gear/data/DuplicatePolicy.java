package gear.data;

import java.util.Locale;

/**
 * What the CSV loader does with rows that hold the same molecule (same canonical SMILES) as an
 * earlier row (CLI {@code --duplicates keep|first|mean|fail}). Whatever the choice, the repeats are
 * listed in a warning; the random split keeps repeated molecules in one part ({@link RandomSplit}).
 */
public enum DuplicatePolicy {
    /** Keep every row (default, as chemprop does): repeated measurements are all training data. */
    KEEP,
    /** Keep the first row of each molecule, leave out the later ones. */
    FIRST,
    /** One row per molecule, at its first row, holding the mean of each target over the rows that have it. */
    MEAN,
    /** Refuse the file (exit 2), listing the repeats. */
    FAIL;

    /** Parses {@code keep}, {@code first}, {@code mean} or {@code fail} (case-insensitive). */
    public static DuplicatePolicy parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "keep" -> KEEP;
            case "first" -> FIRST;
            case "mean" -> MEAN;
            case "fail" -> FAIL;
            default -> throw new IllegalArgumentException("--duplicates '" + s + "': expected keep, first, mean or fail");
        };
    }

    /** @return the CLI spelling */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
