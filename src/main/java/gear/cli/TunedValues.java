package gear.cli;

import gear.config.Schema;
import gear.data.BadInputException;
import gear.experiment.grid.Ablation;
import gear.experiment.grid.Tuned;
import gear.experiment.tune.TuneReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code gear benchmark --tuned CHOSEN.json[,LATER.json]}: the chosen values of {@code gear tune} (one tune, or the
 * stages of a staged tune) as the grid's per-method options.
 */
final class TunedValues {
    private TunedValues() {}

    /**
     * @param cs the chosen.json files as read ({@link TuneReport#readChosen}), earliest first: a later file's methods
     *     replace an earlier one's (a staged tune); a method whose values a later file repeats unchanged stays with the
     *     earlier file
     * @param methods the grid's methods (ablation variants read gear's values)
     * @param plain the grid's other options (a tuned key given there too is refused)
     * @return the {@link Tuned} entries to add to the grid's options: each method's values, the first file's hash
     *     ({@link Tuned#SOURCE}) and, for a method whose values come from a later file, that file's
     *     ({@link Tuned#sourceKey}); so with one file, or for a method a later file does not name, the cells and
     *     their fingerprints are those of the first file alone
     * @throws BadInputException naming the file and the method or key
     */
    static Map<String, String> options(List<TuneReport.Chosen> cs, List<String> methods, Map<String, String> plain) {
        Map<String, String> r = new LinkedHashMap<>();
        for (String m : methods) {
            String base = Ablation.baseMethod(m);
            TuneReport.Chosen from = null;
            for (TuneReport.Chosen c : cs) {
                if (c.values().containsKey(base) && (from == null || !c.values().get(base).equals(from.values().get(base)))) {
                    from = c; // a later stage that chose the same values leaves the method's cells as they are
                }
            }
            if (from == null) {
                String names = cs.stream().map(c -> c.file().toString()).collect(Collectors.joining(", "));
                String where = cs.size() == 1 ? "the file has " + String.join(", ", cs.get(0).values().keySet())
                        : "in none of the files";
                throw new BadInputException("--tuned " + names + ": no values for method " + base + " (" + where
                        + "); tune it or leave it out of --methods");
            }
            for (Map.Entry<String, String> e : from.values().get(base).entrySet()) {
                String key = Schema.normalize(e.getKey());
                for (String p : plain.keySet()) {
                    if (Schema.normalize(p).equals(key)) {
                        throw new BadInputException("--tuned " + from.file() + ": " + key + " is tuned for " + base
                                + " and also given with --set/--epochs/--batch-size; give it one way");
                    }
                }
                r.put(Tuned.key(base, key), e.getValue());
            }
            if (from != cs.get(0)) {
                r.put(Tuned.sourceKey(base), from.sha256());
            }
        }
        r.put(Tuned.SOURCE, cs.get(0).sha256());
        return r;
    }
}
