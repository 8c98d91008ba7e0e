package gear.experiment.grid;

import gear.train.TaskType;

/**
 * The words and the direction of a grid's metric in its summaries, plots and reports, taken from the
 * {@link TaskType} so that nothing in the grid or the report assumes RMSE (design/GEAR.md §6). For
 * {@link gear.train.Regression} (lower is better) the relative change of GEAR against a method m is
 * {@code (M_m − M_gear) / M_m}; for a metric where higher is better it is {@code (M_gear − M_m) / M_m};
 * either way positive = GEAR better.
 */
public final class MetricText {
    private MetricText() {}

    /** @return GEAR's relative change against {@code other} (positive = GEAR better) */
    public static double change(TaskType t, double other, double gear) {
        return t.higherIsBetter() ? (gear - other) / other : (other - gear) / other;
    }

    /**
     * @return the relative change of a variant against its base {@code base}, positive = the variant is worse
     *     ({@code (M − M_base) / M_base} where lower is better)
     */
    public static double worsening(TaskType t, double base, double variant) {
        return t.higherIsBetter() ? (base - variant) / base : (variant - base) / base;
    }

    /** @return whether {@code gear} is strictly better than {@code other} */
    public static boolean better(TaskType t, double gear, double other) {
        return t.higherIsBetter() ? gear > other : gear < other;
    }

    /** @return the formula of {@link #change}, e.g. {@code (RMSE_other − RMSE_gear) / RMSE_other} */
    public static String changeFormula(TaskType t) {
        String m = t.metricLabel();
        return t.higherIsBetter() ? "(" + m + "_gear − " + m + "_other) / " + m + "_other"
                : "(" + m + "_other − " + m + "_gear) / " + m + "_other";
    }

    /** @return the formula of {@link #worsening}, e.g. {@code (RMSE − RMSE_gear) / RMSE_gear} */
    public static String worseningFormula(TaskType t) {
        String m = t.metricLabel();
        return t.higherIsBetter() ? "(" + m + "_gear − " + m + ") / " + m + "_gear" : "(" + m + " − " + m + "_gear) / " + m + "_gear";
    }

    /** @return {@code lowest} or {@code highest}: the best value's superlative */
    public static String best(TaskType t) {
        return t.higherIsBetter() ? "highest" : "lowest";
    }

    /** @return {@code lower} or {@code higher}: the comparative of better */
    public static String betterWord(TaskType t) {
        return t.higherIsBetter() ? "higher" : "lower";
    }
}
