package gear.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.InvalidPolicy;
import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.data.SplitSizes;
import gear.data.SplitType;
import gear.data.SplitsFile;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Split and bad-row options shared by the commands that train (CLI.md "Split options"); use as a
 * picocli mixin: {@code @CommandLine.Mixin SplitOptions split;}. Like {@link CommonOptions}, values
 * are null when not given, so that a {@code config.json} can supply them ({@link #explicit()}).
 */
public final class SplitOptions {
    @Option(names = "--split-type", paramLabel = "random|scaffold|value",
            description = "how to split (default: random; scaffold = chemprop scaffold_balanced)")
    String splitType;

    @Option(names = "--split-sizes", arity = "3", paramLabel = "F",
            description = "train, validation and test fractions (default: 0.8 0.1 0.1)")
    List<Double> splitSizes;

    @Option(names = "--splits-file", paramLabel = "FILE",
            description = "JSON {\"train\":[...],\"val\":[...],\"test\":[...]} of 0-based data-row indices (header excluded);"
                    + " overrides --split-type")
    Path splitsFile;

    @Option(names = "--invalid", paramLabel = "fail|skip",
            description = "bad rows (unparsable SMILES, pseudo-atoms, bad numbers): fail (default) or skip and list them")
    String invalid;

    /** @return {@code --split-type}, or {@code def} when not given */
    public SplitType splitTypeOr(SplitType def) {
        return splitType != null ? SplitType.parse(splitType) : def;
    }

    /** @return {@code --split-sizes}, or {@code def} when not given */
    public SplitSizes splitSizesOr(SplitSizes def) {
        return splitSizes != null ? SplitSizes.of(splitSizes) : def;
    }

    /** @return {@code --splits-file}, or null */
    public Path splitsFile() {
        return splitsFile;
    }

    /** @return {@code --invalid}, or {@code def} when not given */
    public InvalidPolicy invalidOr(InvalidPolicy def) {
        return invalid != null ? InvalidPolicy.parse(invalid) : def;
    }

    /**
     * The split of {@code ds}: read from {@code --splits-file} when given, else made by
     * {@code --split-type} with {@code --split-sizes} (defaults random, 0.8/0.1/0.1) and {@code seed}.
     */
    public Split split(MoleculeDataset ds, long seed) {
        if (splitsFile != null) {
            return SplitsFile.read(splitsFile, ds);
        }
        return splitTypeOr(SplitType.RANDOM).split(ds, splitSizesOr(SplitSizes.DEFAULT), seed);
    }

    /**
     * @return the options given on the command line, snake_case keys ({@code split_type,
     *     split_sizes, splits_file, invalid}); absent when not given. Values are validated here.
     */
    public ObjectNode explicit() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        if (splitType != null) {
            n.put("split_type", SplitType.parse(splitType).cliName());
        }
        if (splitSizes != null) {
            SplitSizes.of(splitSizes);
            ArrayNode a = n.putArray("split_sizes");
            splitSizes.forEach(a::add);
        }
        if (splitsFile != null) {
            n.put("splits_file", splitsFile.toAbsolutePath().normalize().toString());
        }
        if (invalid != null) {
            n.put("invalid", InvalidPolicy.parse(invalid).name().toLowerCase(java.util.Locale.ROOT));
        }
        return n;
    }
}
