package gear.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Warnings about target values that load fine but deserve the user's eye: extreme magnitudes
 * (|y| &gt; {@link #EXTREME}, where float32 training and standardization lose meaning; usually a unit
 * or parsing slip) and constant targets (zero variance: nothing to learn, R² undefined).
 */
final class TargetChecks {
    /** Magnitude beyond which a value is called extreme. */
    static final double EXTREME = 1e15;

    private TargetChecks() {}

    /**
     * @param file the file, for messages
     * @param names target names
     * @param targets the kept rows' targets (NaN = missing)
     * @param lines the kept rows' line numbers
     * @return one warning per affected column
     */
    static List<String> warnings(Path file, List<String> names, double[][] targets, long[] lines) {
        List<String> w = new ArrayList<>();
        for (int c = 0; c < names.size(); c++) {
            int count = 0;
            int extreme = 0;
            int worst = -1;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < targets.length; i++) {
                double v = targets[i][c];
                if (Double.isNaN(v)) {
                    continue;
                }
                count++;
                min = Math.min(min, v);
                max = Math.max(max, v);
                if (Math.abs(v) > EXTREME) {
                    extreme++;
                    if (worst < 0 || Math.abs(v) > Math.abs(targets[worst][c])) {
                        worst = i;
                    }
                }
            }
            if (extreme > 0) {
                w.add(String.format(Locale.ROOT, "%s: column '%s' has %d value%s beyond ±1e15 (largest %.3g on line %d):"
                        + " check the units; such values dominate the loss and lose precision in float32", file,
                        names.get(c), extreme, extreme == 1 ? "" : "s", targets[worst][c], lines[worst]));
            }
            if (count >= 2 && min == max) {
                w.add(String.format(Locale.ROOT, "%s: column '%s' is constant (all %d values are %s): there is nothing "
                        + "to learn and R² is undefined", file, names.get(c), count, Double.toString(min)));
            }
        }
        return w;
    }
}
