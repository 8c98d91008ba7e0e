package gear.transfer.ktask;

import gear.transfer.Losses;
import gear.transfer.TaskNetwork;
import gear.transfer.TransferOptions;
import gear.transfer.method.Gate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * GATE across k tasks (Ko et al., ICLR 2024; design/GEAR.md §4–5; docs/KTASKS.md): one shared D-MPNN embedding,
 * per task encoder, φ_τ, ψ_τ and head; l_reg, l_auto, l_cons, l_map of {@link KLosses#alignment} and the distance
 * loss at perturbed common-space points through the mean point: with x = x̄_{−p}, the mean of the other tasks'
 * points φ_σ(z_σ) (σ ≠ p, the primary task), repeated K times, δ_k ~ N(0, σ_p² I),
 * d_τ,k = ‖ψ_τ(x + δ_k) − ψ_τ(x)‖ and l_dis = the mean over task pairs of mean_k (d_a,k − d_b,k)², in O(k) by
 * {@link KLosses} (1). With k = 2 (source, target; target primary) x = φ_s(z_s) and every term is the two-task
 * {@link Gate}'s.
 */
public final class KGate implements KMethod {
    /** The one instance. */
    public static final KGate INSTANCE = new KGate();
    private static final Gate TWO_TASK = new Gate();

    private KGate() {}

    @Override
    public String name() {
        return "gate";
    }

    @Override
    public Layout layout() {
        return new Layout(true, false, true);
    }

    @Override
    public boolean isometricInit(TransferOptions o) {
        return TWO_TASK.isometricInit(o);
    }

    @Override
    public List<String> terms() {
        return TWO_TASK.terms();
    }

    @Override
    public double weight(String term, TransferOptions o, int epoch) {
        return TWO_TASK.weight(term, o, epoch);
    }

    @Override
    public Map<String, Tensor> terms(KStep c) {
        TransferOptions o = c.options();
        int k = c.tasks();
        List<TaskNetwork> nets = new ArrayList<>(k);
        List<Tensor> z = new ArrayList<>(k);
        List<Tensor> y = new ArrayList<>(k);
        for (int t = 0; t < k; t++) {
            nets.add(c.network(t));
            y.add(c.labels(t));
        }
        for (int t = 0; t < k; t++) {
            z.add(c.latent(t));
        }
        Map<String, Tensor> terms = KLosses.alignment(nets, z, y, c::loss);
        if (o.wDis() > 0) {
            List<Tensor> x = new ArrayList<>(k);
            for (int t = 0; t < k; t++) {
                // φ_τ(z_τ) again, as the two-task GATE evaluates φ_s(z_s) again for its distance loss
                x.add(t == c.primary() ? null : nets.get(t).phi().forward(z.get(t)));
            }
            Tensor base = null;
            for (Tensor xt : x) {
                if (xt != null) {
                    base = base == null ? xt : base.add(xt);
                }
            }
            if (k > 2) {
                base = base.div(new Scalar((double) (k - 1)));
            }
            Tensor xr = base.repeat(o.perturbations(), 1);
            Tensor delta = c.randn(xr.sizes().vec().get()).mul(new Scalar(o.perturbScale()));
            Tensor xp = xr.add(delta);
            List<Tensor> d = new ArrayList<>(k);
            for (int t = 0; t < k; t++) {
                d.add(Losses.rowDistances(nets.get(t).psi().forward(xp), nets.get(t).psi().forward(xr)));
            }
            List<Tensor> loo = KLosses.leaveOneOut(d);
            Tensor dis = null;
            for (int t = 0; t < k; t++) {
                Tensor l = Losses.mse(d.get(t), loo.get(t));
                dis = dis == null ? l : dis.add(l);
            }
            terms.put("dis", dis.mul(new Scalar(KLosses.pairFactor(k))));
        }
        return terms;
    }
}
