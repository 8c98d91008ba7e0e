package gear.cli;

import gear.config.Schema;
import gear.data.BadInputException;
import gear.experiment.grid.Ablation;
import gear.experiment.grid.Tuned;
import gear.experiment.tune.TuneReport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code gear benchmark --tuned CHOSEN.json}: the chosen values of {@code gear tune} as the grid's per-method options. */
final class TunedValues {
    private TunedValues() {}

    /**
     * @param file the chosen.json
     * @param methods the grid's methods (ablation variants read gear's values)
     * @param plain the grid's other options (a tuned key given there too is refused)
     * @return the {@link Tuned} entries to add to the grid's options
     * @throws BadInputException naming the file and the method or key
     */
    static Map<String, String> options(Path file, List<String> methods, Map<String, String> plain) {
        TuneReport.Chosen c = TuneReport.readChosen(file);
        Map<String, String> r = new LinkedHashMap<>();
        for (String m : methods) {
            String base = Ablation.baseMethod(m);
            Map<String, String> v = c.values().get(base);
            if (v == null) {
                throw new BadInputException("--tuned " + file + ": no values for method " + base + " (the file has "
                        + String.join(", ", c.values().keySet()) + "); tune it or leave it out of --methods");
            }
            for (Map.Entry<String, String> e : v.entrySet()) {
                String key = Schema.normalize(e.getKey());
                for (String p : plain.keySet()) {
                    if (Schema.normalize(p).equals(key)) {
                        throw new BadInputException("--tuned " + file + ": " + key + " is tuned for " + base
                                + " and also given with --set/--epochs/--batch-size; give it one way");
                    }
                }
                r.put(Tuned.key(base, key), e.getValue());
            }
        }
        r.put(Tuned.SOURCE, c.sha256());
        return r;
    }
}
