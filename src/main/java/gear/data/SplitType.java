package gear.data;

import java.util.Locale;

/** The split kinds of the CLI's {@code --split-type}. */
public enum SplitType {
    /** {@link RandomSplit}. */
    RANDOM,
    /** {@link ScaffoldSplit} (chemprop scaffold_balanced). */
    SCAFFOLD,
    /** {@link ValueSplit} on the first target. */
    VALUE;

    /** Parses {@code random}, {@code scaffold} (or {@code scaffold_balanced}) or {@code value}. */
    public static SplitType parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "random" -> RANDOM;
            case "scaffold", "scaffold_balanced" -> SCAFFOLD;
            case "value" -> VALUE;
            default -> throw new IllegalArgumentException("unknown split type '" + s + "': expected random, scaffold or value");
        };
    }

    /** @return the CLI name */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Splits a data set.
     *
     * @param ds the data set
     * @param sizes fractions
     * @param seed the seed
     */
    public Split split(MoleculeDataset ds, SplitSizes sizes, long seed) {
        return switch (this) {
            case RANDOM -> RandomSplit.split(ds, sizes, seed);
            case SCAFFOLD -> ScaffoldSplit.split(ds, sizes, seed);
            case VALUE -> ValueSplit.split(ds, 0, sizes, seed);
        };
    }

    /**
     * k folds over the non-test part of {@code base} (scaffold groups kept whole for SCAFFOLD, the rows
     * of a repeated molecule kept in one fold otherwise).
     */
    public java.util.List<Split> folds(MoleculeDataset ds, Split base, int k, long seed) {
        return this == SCAFFOLD ? KFold.scaffoldFolds(ds, base, k, seed) : KFold.folds(ds, base, k, seed);
    }
}
