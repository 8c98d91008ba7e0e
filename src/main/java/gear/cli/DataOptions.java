package gear.cli;

import gear.data.DuplicatePolicy;
import picocli.CommandLine.Option;

/**
 * Options about the rows of a data file, shared by every command that loads training data; use as
 * a picocli mixin: {@code @CommandLine.Mixin DataOptions data;}. Null when not given, so that a
 * {@code config.json} can supply the value.
 */
public final class DataOptions {
    @Option(names = "--duplicates", paramLabel = "keep|first|mean|fail",
            description = "molecules on more than one row (same canonical SMILES): keep every row (default), the first,"
                    + " one row with the mean, or fail; they are listed in a warning either way")
    String duplicates;

    /** @return {@code --duplicates}, or {@code def} when not given */
    public DuplicatePolicy duplicatesOr(DuplicatePolicy def) {
        return duplicates != null ? DuplicatePolicy.parse(duplicates) : def;
    }

    /** @return {@code --duplicates} as given (validated), or null */
    public String explicitDuplicates() {
        return duplicates == null ? null : DuplicatePolicy.parse(duplicates).cliName();
    }
}
