package gear.transfer.ktask;

import gear.transfer.GeometryLosses;
import gear.transfer.Losses;
import gear.transfer.TaskNetwork;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * The GEAR loss terms across k ≥ 2 tasks at O(k) cost per batch (docs/KTASKS.md; the two-task terms are
 * {@link Losses#alignment} and {@link GeometryLosses#curvature}).
 *
 * <p>Every pairwise term is computed through leave-one-out means: for values v_0…v_{k−1} (points x_τ = φ_τ(z_τ)
 * of M, or Ricci scalars R_τ) let v̄_{−τ} = (1/(k−1)) Σ_{σ≠τ} v_σ, formed from prefix and suffix sums (O(k)).
 * Since v_τ − v̄_{−τ} = k/(k−1) · (v_τ − v̄) with the mean v̄, and Σ_{a&lt;b} ‖v_a − v_b‖² = k Σ_τ ‖v_τ − v̄‖²,
 * <pre>
 * mean over the k(k−1)/2 pairs of ‖v_a − v_b‖²  =  (2(k−1)/k²) Σ_τ ‖v_τ − v̄_{−τ}‖²        (1)
 * </pre>
 * so the pair means below cost O(k), not O(k²). With k = 2, v̄_{−τ} is the other task's value itself and (1)
 * is ½(‖v_0 − v_1‖² + ‖v_1 − v_0‖²) = ‖v_0 − v_1‖²: the two-task term, bit for bit.
 *
 * <pre>
 * l_reg  = Σ_τ MSE_m(Head_τ(ψ_τ(φ_τ(z_τ))), y_τ)
 * l_auto = Σ_τ MSE(ψ_τ(φ_τ(z_τ)), z_τ)
 * l_cons = (2(k−1)/k²) Σ_τ MSE(x_τ, x̄_{−τ})                 = mean over pairs of MSE(x_a, x_b)
 * l_map  = Σ_τ MSE_m(Head_τ(ψ_τ(x̄_{−τ})), y_τ)               (k = 2: Head_t(ψ_t(x_s)) and Head_s(ψ_s(x_t)))
 * l_curv (mse)          = (1/n) Σ_i m_i (2(k−1)/k²) Σ_τ (R_τ,i − R̄_{−τ,i})²  = mean over pairs of the two-task term
 * l_curv (relative)     = (1/n) Σ_i m_i [(2(k−1)/k²) Σ_τ (R_τ,i − R̄_{−τ,i})²] / [(2/k) Σ_τ R_τ,i² + c]
 * l_curv (standardized) = the mse form on R̂_τ = (R_τ − μ_τ)/√(σ_τ² + c) (mask-weighted batch statistics)
 * </pre>
 * (MSE_m: {@link Losses#maskedMse}; m_i = 1 where no task's metric is singular at molecule i, n = max(1, Σ m_i).)
 * The relative form is the mean over pairs of the numerator over the mean over pairs of the denominator
 * (a ratio of pair means, equal to the two-task form for k = 2).
 *
 * <p>References: Ko et al., arXiv 2506.13015 (2025), whose first open question is more than two tasks; Ko et
 * al., GATE, ICLR 2024.
 */
public final class KLosses {
    private KLosses() {}

    /** @return the factor 2(k−1)/k² of (1) */
    static double pairFactor(int k) {
        return 2.0 * (k - 1) / ((double) k * k);
    }

    /**
     * Leave-one-out means v̄_{−τ} = (1/(k−1)) Σ_{σ≠τ} v_σ from prefix and suffix sums (3k additions); with k = 2
     * the other value itself.
     */
    public static List<Tensor> leaveOneOut(List<Tensor> v) {
        int k = v.size();
        Tensor[] prefix = new Tensor[k];
        Tensor[] suffix = new Tensor[k];
        for (int t = 1; t < k; t++) {
            prefix[t] = prefix[t - 1] == null ? v.get(t - 1) : prefix[t - 1].add(v.get(t - 1));
        }
        for (int t = k - 2; t >= 0; t--) {
            suffix[t] = suffix[t + 1] == null ? v.get(t + 1) : v.get(t + 1).add(suffix[t + 1]);
        }
        List<Tensor> out = new ArrayList<>(k);
        for (int t = 0; t < k; t++) {
            Tensor s = prefix[t] == null ? suffix[t] : suffix[t] == null ? prefix[t] : prefix[t].add(suffix[t]);
            out.add(k == 2 ? s : s.div(new Scalar((double) (k - 1))));
        }
        return out;
    }

    /**
     * l_reg, l_auto, l_cons and l_map of k task networks on one batch (row i of every z_τ is the same molecule).
     * Evaluation order: φ_τ and ψ_τ for every τ, then l_reg, l_auto, l_cons, and l_map from the last task to the
     * first (for k = 2 exactly the order of {@link Losses#alignment}).
     *
     * @param nets the task networks
     * @param z latent points per task, each (B, d_z)
     * @param y standardized labels per task, each (B), NaN = unlabelled
     * @param supervised the task type's loss (prediction, labels)
     * @return {@code reg, auto, cons, map}
     */
    public static Map<String, Tensor> alignment(List<TaskNetwork> nets, List<Tensor> z, List<Tensor> y,
            BinaryOperator<Tensor> supervised) {
        int k = nets.size();
        List<Tensor> x = new ArrayList<>(k);
        List<Tensor> r = new ArrayList<>(k);
        for (int t = 0; t < k; t++) {
            x.add(nets.get(t).phi().forward(z.get(t)));
        }
        if (Losses.headsWithoutDropout(nets)) {
            return alignmentStacked(nets, z, x, y, supervised);
        }
        for (int t = 0; t < k; t++) {
            r.add(nets.get(t).psi().forward(x.get(t)));
        }
        // the heads in the order of the loss terms below (l_reg's, then l_map's from the last task to the first), so
        // that their dropout draws come in the order of Losses#alignment
        Tensor[] own = new Tensor[k];
        for (int t = 0; t < k; t++) {
            own[t] = nets.get(t).head().forward(r.get(t), true);
        }
        List<Tensor> loo = leaveOneOut(x);
        Tensor[] mapped = new Tensor[k];
        for (int t = k - 1; t >= 0; t--) {
            TaskNetwork n = nets.get(t);
            mapped[t] = n.head().forward(n.psi().forward(loo.get(t)), true);
        }
        return terms(z, x, loo, y, List.of(own), r, List.of(mapped), supervised);
    }

    /**
     * {@link #alignment} with each task's ψ and head run once on [x_τ; x̄_τ] ({@link Losses#decode}; heads without
     * dropout): the same terms, and for k = 2 the same values as {@link Losses#alignment}, bit for bit.
     */
    private static Map<String, Tensor> alignmentStacked(List<TaskNetwork> nets, List<Tensor> z, List<Tensor> x,
            List<Tensor> y, BinaryOperator<Tensor> supervised) {
        int k = nets.size();
        List<Tensor> loo = leaveOneOut(x);
        List<Tensor> own = new ArrayList<>(k);
        List<Tensor> recon = new ArrayList<>(k);
        List<Tensor> mapped = new ArrayList<>(k);
        for (int t = 0; t < k; t++) {
            Losses.Decoded d = Losses.decode(nets.get(t), x.get(t), loo.get(t));
            own.add(d.own());
            recon.add(d.reconstruction());
            mapped.add(d.mapped());
        }
        return terms(z, x, loo, y, own, recon, mapped, supervised);
    }

    /**
     * The four terms from each task's predictions: l_reg from Head_τ(ψ_τ(x_τ)), l_auto from ψ_τ(x_τ) against z_τ,
     * l_cons from x_τ against the others' mean x̄_τ, l_map from Head_τ(ψ_τ(x̄_τ)) (summed from the last task to the
     * first).
     */
    private static Map<String, Tensor> terms(List<Tensor> z, List<Tensor> x, List<Tensor> loo, List<Tensor> y,
            List<Tensor> own, List<Tensor> recon, List<Tensor> mapped, BinaryOperator<Tensor> supervised) {
        int k = z.size();
        Tensor reg = null;
        Tensor auto = null;
        Tensor cons = null;
        Tensor map = null;
        for (int t = 0; t < k; t++) {
            Tensor lr = supervised.apply(own.get(t), y.get(t));
            reg = reg == null ? lr : reg.add(lr);
        }
        for (int t = 0; t < k; t++) {
            Tensor la = Losses.mse(recon.get(t), z.get(t));
            auto = auto == null ? la : auto.add(la);
        }
        for (int t = 0; t < k; t++) {
            Tensor lc = Losses.mse(x.get(t), loo.get(t));
            cons = cons == null ? lc : cons.add(lc);
        }
        for (int t = k - 1; t >= 0; t--) {
            Tensor lm = supervised.apply(mapped.get(t), y.get(t));
            map = map == null ? lm : map.add(lm);
        }
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("reg", reg);
        m.put("auto", auto);
        m.put("cons", cons.mul(new Scalar(pairFactor(k))));
        m.put("map", map);
        return m;
    }

    /**
     * l_curv across k tasks (forms as {@link GeometryLosses#curvature}; see the class comment).
     *
     * @param r Ricci scalars per task, each (B)
     * @param mask 1 where the point takes part, (B), same dtype
     * @param form {@code mse}, {@code relative} or {@code standardized}
     * @param c the constant of the scale-aware forms
     */
    public static Tensor curvature(List<Tensor> r, Tensor mask, String form, double c) {
        int k = r.size();
        Tensor n = mask.sum().clamp_min(new Scalar(1.0));
        return switch (form) {
            case "mse" -> pairSum(r, mask).mul(new Scalar(pairFactor(k))).div(n);
            case "relative" -> {
                List<Tensor> loo = leaveOneOut(r);
                Tensor num = null;
                Tensor den = null;
                for (int t = 0; t < k; t++) {
                    Tensor d = r.get(t).sub(loo.get(t));
                    num = num == null ? d.mul(d) : num.add(d.mul(d));
                    Tensor sq = r.get(t).mul(r.get(t));
                    den = den == null ? sq : den.add(sq);
                }
                num = num.mul(new Scalar(pairFactor(k)));
                den = den.mul(new Scalar(2.0 / k)).add(new Scalar(c));
                yield num.div(den).mul(mask).sum().div(n);
            }
            case "standardized" -> {
                List<Tensor> s = new ArrayList<>(k);
                for (Tensor v : r) {
                    s.add(standardize(v, mask, n, c));
                }
                yield pairSum(s, mask).mul(new Scalar(pairFactor(k))).div(n);
            }
            default -> throw new IllegalArgumentException("unknown curvature loss " + form
                    + " (expected mse, relative or standardized)");
        };
    }

    /** Σ_τ Σ_i (m_i (v_τ,i − v̄_{−τ,i}))². */
    private static Tensor pairSum(List<Tensor> v, Tensor mask) {
        List<Tensor> loo = leaveOneOut(v);
        Tensor sum = null;
        for (int t = 0; t < v.size(); t++) {
            Tensor d = v.get(t).sub(loo.get(t)).mul(mask);
            Tensor s = d.mul(d).sum();
            sum = sum == null ? s : sum.add(s);
        }
        return sum;
    }

    /** (r − μ)/√(σ² + c) with the masked mean μ and population variance σ² (as the two-task form). */
    private static Tensor standardize(Tensor r, Tensor mask, Tensor n, double c) {
        Tensor mu = r.mul(mask).sum().div(n);
        Tensor dev = r.sub(mu).mul(mask);
        Tensor var = dev.mul(dev).sum().div(n);
        return dev.div(var.add(new Scalar(c)).sqrt());
    }
}
