package gear.transfer;

import gear.train.EpochStats;
import gear.train.Objective;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each loss term's share of the optimized total at one target-phase epoch (design/GEAR.md §4, "Scale matters"):
 * with l̄_k the epoch mean of term k (as logged in {@code metrics.csv}) and w_k(e) its weight at epoch e
 * ({@link TransferMethod#weight}),
 * <pre>
 * share_k = w_k(e) · l̄_k / Σ_j w_j(e) · l̄_j
 * </pre>
 * The weights are constant within an epoch, so the denominator is the epoch mean of the total and the shares
 * of the terms sum to 1. A term whose share is near 0 at the selected epoch does not act on the model.
 */
public final class TermShares {
    private TermShares() {}

    /**
     * @param method the method (its terms and weights)
     * @param options the run's options
     * @param history the run's epochs (both phases)
     * @param epoch the target-phase epoch (from 0), usually the selected one
     * @return term → share, in the method's term order; empty when the epoch is not in the history or the
     *     weighted sum is not positive
     */
    public static Map<String, Double> at(TransferMethod method, TransferOptions options, List<EpochStats> history,
            int epoch) {
        return at(method.terms(), (k, e) -> method.weight(k, options, e), history, epoch);
    }

    /** The weight of a term at a target-phase epoch (from 0). */
    @FunctionalInterface
    public interface Weight {
        /** @return w_k(e) */
        double of(String term, int epoch);
    }

    /**
     * The same for any method's terms and weights (the k-task methods', {@link gear.transfer.ktask.KMethod}: their
     * logged terms are summed over the tasks, as their total is).
     *
     * @param terms the method's terms, in log order
     * @param weight their weights
     * @param history the run's epochs (every phase; only {@code train} is read)
     * @param epoch the target-phase epoch (from 0)
     * @return term → share, in {@code terms}' order; empty as above
     */
    public static Map<String, Double> at(List<String> terms, Weight weight, List<EpochStats> history, int epoch) {
        Map<String, Double> out = new LinkedHashMap<>();
        EpochStats row = null;
        for (EpochStats e : history) {
            if (e.phase().equals("train") && e.epoch() == epoch) {
                row = e;
            }
        }
        if (row == null) {
            return out;
        }
        double sum = 0;
        for (String k : terms) {
            Double v = row.terms().get(k);
            if (v != null) {
                double w = weight.of(k, epoch);
                out.put(k, w * v);
                sum += w * v;
            }
        }
        if (!(sum > 0)) {
            return new LinkedHashMap<>();
        }
        final double total = sum;
        out.replaceAll((k, v) -> v / total);
        return out;
    }

    /** @return the epoch's mean of the optimized total as the engine logged it (for checks) */
    static double loggedTotal(EpochStats e) {
        return e.terms().getOrDefault(Objective.TOTAL, Double.NaN);
    }
}
