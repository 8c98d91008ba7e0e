package gear.experiment.grid;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The GEAR ablation variants of {@code gear benchmark --ablate} (design/GEAR.md §6: "drop each loss
 * term in turn (weight 0)"). Variant {@code gear-no-T} is GEAR with exactly the weight of loss term
 * {@code T} set to 0 over the cell's options, all other options unchanged:
 *
 * <table>
 *   <caption>variants</caption>
 *   <tr><th>variant</th><th>weight set to 0</th><th>term dropped</th></tr>
 *   <tr><td>gear-no-auto</td><td>w_auto (α)</td><td>l_auto, the auto-encoding of z through φ and ψ</td></tr>
 *   <tr><td>gear-no-cons</td><td>w_cons (β)</td><td>l_cons, the consistency of both tasks' points in M</td></tr>
 *   <tr><td>gear-no-map</td><td>w_map (γ)</td><td>l_map, the cross-task mapping loss</td></tr>
 *   <tr><td>gear-no-metric</td><td>w_metric (δ)</td><td>l_metric, the pulled-back metric kept near I</td></tr>
 *   <tr><td>gear-no-curv</td><td>w_curv (ε)</td><td>l_curv, the curvature matching</td></tr>
 * </table>
 */
public final class Ablation {
    /** The base method of every variant. */
    public static final String BASE = "gear";
    private static final Map<String, String> WEIGHTS = new LinkedHashMap<>();

    static {
        for (String t : List.of("auto", "cons", "map", "metric", "curv")) {
            WEIGHTS.put(BASE + "-no-" + t, "w_" + t);
        }
    }

    private Ablation() {}

    /** @return the variant names in order ({@code gear-no-auto, gear-no-cons, gear-no-map, gear-no-metric, gear-no-curv}) */
    public static List<String> variants() {
        return List.copyOf(WEIGHTS.keySet());
    }

    /** @return whether the method name is an ablation variant */
    public static boolean isVariant(String method) {
        return WEIGHTS.containsKey(method);
    }

    /** @return the option key ({@code w_auto}, ...) the variant sets to 0, if the name is a variant */
    public static Optional<String> weight(String method) {
        return Optional.ofNullable(WEIGHTS.get(method));
    }

    /** @return the method that trains a cell: {@link #BASE} for a variant, the name itself otherwise */
    public static String baseMethod(String method) {
        return isVariant(method) ? BASE : method;
    }

    /**
     * The cell options of a method: for a variant, the options with its weight set to {@code 0}
     * (overriding any spelling of that key, {@code w_curv} or {@code w-curv}, given with {@code --set});
     * for any other method the options unchanged.
     */
    public static Map<String, String> options(String method, Map<String, String> options) {
        Optional<String> w = weight(method);
        if (w.isEmpty()) {
            return options;
        }
        Map<String, String> r = new LinkedHashMap<>();
        options.forEach((k, v) -> {
            if (!k.toLowerCase(Locale.ROOT).replace('-', '_').equals(w.get())) {
                r.put(k, v);
            }
        });
        r.put(w.get(), "0");
        return r;
    }
}
