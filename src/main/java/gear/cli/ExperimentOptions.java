package gear.cli;

import gear.config.Schema;
import gear.data.BadInputException;
import gear.data.DataDirs;
import gear.data.FeatureCache;
import gear.data.SplitType;
import gear.experiment.grid.PairSpec;
import gear.experiment.grid.PairsFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The pairs, units and fixed method options shared by the commands that run experiments over a pairs file,
 * {@code gear benchmark} and {@code gear tune} (design/CLI.md); use as a picocli mixin:
 * {@code @CommandLine.Mixin ExperimentOptions experiment;}. Each option is declared here once, with one name, help
 * text and default for both commands.
 */
final class ExperimentOptions {
    @Option(names = "--pairs", required = true, paramLabel = "PAIRS.json", description = "The pairs file (see pairs/public.json).")
    Path pairsFile;

    @Option(names = "--pair-ids", split = ",", paramLabel = "ID", description = "Only these pairs of the file (default: all).")
    List<String> pairIds;

    @Option(names = "--split-types", split = ",", defaultValue = "random,scaffold", paramLabel = "S",
            description = "random, scaffold, value (default: ${DEFAULT-VALUE}).")
    List<String> splitTypes;

    @Option(names = "--seeds", split = ",", defaultValue = "0", paramLabel = "SEED",
            description = "Seeds: each one its own split, subsample and initialization (default: ${DEFAULT-VALUE}).")
    List<Long> seeds;

    @Option(names = "--folds", defaultValue = "4", description = "k folds of the non-test part (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--test-fraction", defaultValue = "0.2",
            description = "Share of the target held out as test, never seen in training or selection (default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Further method option of every run, fixed (never "
            + "tuned), repeatable (e.g. --set w_curv=0.1; the keys of 'gear transfer --help' in snake_case; an unknown key is "
            + "refused before anything runs).")
    List<String> sets;

    @Option(names = "--batch-size", description = "Batch size of every run (the method option batch_size).")
    Integer batchSize;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Output directory (reused to resume).")
    Path out;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where named data sets are looked up (default: $GEAR_DATA, then ~/.cache/gear/datasets).")
    Path dataDir;

    @Option(names = "--no-load-cache", description = "Do not use the on-disk canonical SMILES cache when loading.")
    boolean noLoadCache;

    /** @return the data directory ({@code --data-dir}, else the default) */
    Path dataDir() {
        return DataDirs.resolve(dataDir);
    }

    /** @return the canonical-SMILES cache of loading, or null with {@code --no-load-cache} */
    Path cacheDir() {
        return noLoadCache ? null : FeatureCache.defaultDir();
    }

    /**
     * @return the pairs of the file, only those of {@code --pair-ids} (in that order) when given
     * @throws BadInputException for an id not in the file, listing the file's pairs
     */
    List<PairSpec> pairs() {
        List<PairSpec> all = PairsFile.read(pairsFile);
        if (pairIds == null || pairIds.isEmpty()) {
            return all;
        }
        List<PairSpec> sel = new ArrayList<>();
        for (String id : pairIds) {
            sel.add(all.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow(() -> new BadInputException(
                    "--pair-ids: no pair '" + id + "' in " + pairsFile + "; pairs: "
                            + String.join(", ", all.stream().map(PairSpec::id).toList()))));
        }
        return sel;
    }

    /** @return the split types of {@code --split-types} */
    List<SplitType> splitTypes() {
        List<SplitType> types = new ArrayList<>();
        for (String s : splitTypes) {
            types.add(SplitType.parse(s));
        }
        return types;
    }

    /**
     * Puts {@code --batch-size} and then the {@code --set} pairs into {@code options}, each overriding a key already
     * there in any spelling ({@code w-curv}, {@code w_curv}): one entry per option.
     *
     * @return {@code options}
     * @throws BadInputException for a {@code --set} that is not KEY=VALUE
     */
    Map<String, String> putInto(Map<String, String> options) {
        if (batchSize != null) {
            put(options, "batch_size", batchSize.toString());
        }
        for (String s : sets == null ? List.<String>of() : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new BadInputException("--set '" + s + "': expected KEY=VALUE");
            }
            put(options, s.substring(0, eq).trim(), s.substring(eq + 1).trim());
        }
        return options;
    }

    /** Puts an option, removing the same option under another spelling. */
    static void put(Map<String, String> options, String key, String value) {
        options.keySet().removeIf(k -> !k.equals(key) && Schema.normalize(k).equals(Schema.normalize(key)));
        options.put(key, value);
    }
}
