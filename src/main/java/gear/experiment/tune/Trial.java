package gear.experiment.tune;

import gear.data.SplitType;
import java.util.Map;

/**
 * One trial: one configuration of one method at one rung, trained on one unit (pair, split type, seed) for the
 * rung's epochs, scored on the unit's validation fold.
 *
 * @param method the method
 * @param config the configuration index (0..trials−1; configuration i draws the same shared values for every method)
 * @param rung the rung
 * @param pair the pair id
 * @param splitType the split type
 * @param seed the seed of the split and of the model
 * @param epochs epochs of the target phase
 * @param values the tuned values (option key → text)
 */
public record Trial(String method, int config, int rung, String pair, SplitType splitType, long seed, int epochs,
        Map<String, String> values) {
    public Trial {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }

    /** @return the id, also the trial's directory name: {@code method.cC.rR.pair.split.sSEED} */
    public String id() {
        return method + ".c" + config + ".r" + rung + "." + pair + "." + splitType.cliName() + ".s" + seed;
    }

    /** @return the unit's id ({@code pair.split.sSEED}) */
    public String unit() {
        return pair + "." + splitType.cliName() + ".s" + seed;
    }
}
