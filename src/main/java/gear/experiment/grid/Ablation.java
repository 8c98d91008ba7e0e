package gear.experiment.grid;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The GEAR variants of the grid. The ablation variants of {@code gear benchmark --ablate} (design/GEAR.md §6:
 * "drop each loss term in turn (weight 0)"): variant {@code gear-no-T} is GEAR with exactly the weight of loss
 * term {@code T} set to 0 over the cell's options, all other options unchanged:
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
 *
 * <p>And {@value #STRONG_CURV}: GEAR with the curvature weight raised to ε = {@value #STRONG_CURV_WEIGHT}, all other
 * options unchanged. At the tuned ε (1.5e-4, relative loss) the two tasks' mean |R| at the selected epoch differ by a
 * factor of up to 20 in some cells, so GEAR against {@code gear-no-curv} hardly tests curvature matching; at
 * ε ≥ 1e-2 the relative l_curv falls to about 1e-3 and the mean |R| agree within 3 %. Of ε ∈ {1e-2, 1e-1, 1} (those
 * that enforce the matching) ε = 1e-2 scored best on validation (mean validation RMSE relative to the per-unit
 * median over three pairs × three seeds: 0.997 against 1.005 and 1.001; docs/RESULTS.md "Curvature matching
 * enforced"). It is a variant, not a baseline: the summary compares GEAR with it and gives its own statistics
 * against the baselines. GEAR itself keeps the tune's ε, so that every method of the grid had the same tuning budget.
 */
public final class Ablation {
    /** The base method of every variant. */
    public static final String BASE = "gear";
    /** GEAR with curvature matching enforced (a larger ε). */
    public static final String STRONG_CURV = BASE + "-strong-curv";
    /** ε of {@value #STRONG_CURV}, chosen on validation (docs/RESULTS.md "Curvature matching enforced"). */
    public static final String STRONG_CURV_WEIGHT = "0.01";
    /** Every variant: the option it sets and the value (the ablation variants first). */
    private static final Map<String, Map.Entry<String, String>> SETTINGS = new LinkedHashMap<>();

    static {
        for (String t : List.of("auto", "cons", "map", "metric", "curv")) {
            SETTINGS.put(BASE + "-no-" + t, Map.entry("w_" + t, "0"));
        }
        SETTINGS.put(STRONG_CURV, Map.entry("w_curv", STRONG_CURV_WEIGHT));
    }

    private Ablation() {}

    /**
     * @return the ablation variants in order ({@code gear-no-auto, gear-no-cons, gear-no-map, gear-no-metric,
     *     gear-no-curv}): those of {@code --ablate} and of the ablation study
     */
    public static List<String> variants() {
        return SETTINGS.keySet().stream().filter(Ablation::isAblation).toList();
    }

    /** @return every variant name: the ablation variants, then {@value #STRONG_CURV} */
    public static List<String> allVariants() {
        return List.copyOf(SETTINGS.keySet());
    }

    /** @return whether the method name is a variant of GEAR (an ablation variant or {@value #STRONG_CURV}) */
    public static boolean isVariant(String method) {
        return SETTINGS.containsKey(method);
    }

    /** @return whether the method name is an ablation variant (one loss weight set to 0) */
    public static boolean isAblation(String method) {
        return SETTINGS.containsKey(method) && !method.equals(STRONG_CURV);
    }

    /** @return the option key ({@code w_auto}, ...) the ablation variant sets to 0, if the name is one */
    public static Optional<String> weight(String method) {
        return isAblation(method) ? Optional.of(SETTINGS.get(method).getKey()) : Optional.empty();
    }

    /** @return what the variant sets, as {@code key = value}, if the name is a variant */
    public static Optional<String> setting(String method) {
        return Optional.ofNullable(SETTINGS.get(method)).map(e -> e.getKey() + " = " + e.getValue());
    }

    /** @return the method that trains a cell: {@link #BASE} for a variant, the name itself otherwise */
    public static String baseMethod(String method) {
        return isVariant(method) ? BASE : method;
    }

    /**
     * The cell options of a method: for a variant, the options with its setting (an ablation variant's weight
     * {@code 0}, {@value #STRONG_CURV}'s ε) overriding any spelling of that key, {@code w_curv} or {@code w-curv},
     * given with {@code --set} or tuned; for any other method the options unchanged.
     */
    public static Map<String, String> options(String method, Map<String, String> options) {
        Map.Entry<String, String> w = SETTINGS.get(method);
        if (w == null) {
            return options;
        }
        Map<String, String> r = new LinkedHashMap<>();
        options.forEach((k, v) -> {
            if (!k.toLowerCase(Locale.ROOT).replace('-', '_').equals(w.getKey())) {
                r.put(k, v);
            }
        });
        r.put(w.getKey(), w.getValue());
        return r;
    }
}
