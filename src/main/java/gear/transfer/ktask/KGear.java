package gear.transfer.ktask;

import gear.geometry.Curvature;
import gear.geometry.CurvatureResult;
import gear.geometry.SiluMlp;
import gear.nn.Tensors;
import gear.transfer.GeometryLosses;
import gear.transfer.Losses;
import gear.transfer.TaskNetwork;
import gear.transfer.TransferOptions;
import gear.transfer.method.Gear;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * GEAR across k tasks (docs/KTASKS.md; design/GEAR.md §4 with k task networks): on a batch that holds a
 * mini-batch of every task, every molecule through every task network,
 *
 * <pre>
 * l = l_reg + α l_auto + β l_cons + γ l_map + δ l_metric + ε(epoch) l_curv
 * l_metric = Σ_τ mean over z̃ = z_τ + N(0, σ_p² I) (K per molecule) of ‖g_τ(z̃) − I‖²_F / d_z²,  g_τ = J_τᵀJ_τ
 * l_curv   = the k-task curvature term of {@link KLosses#curvature} at a seeded subset of the batch:
 *            each R_τ against the leave-one-out mean of the others (= the mean over task pairs)
 * </pre>
 * with l_reg, l_auto, l_cons, l_map from {@link KLosses#alignment}, the weights and the curvature warm-up of the
 * two-task GEAR ({@link Gear#weight}). Cost per batch: k embeddings, k φ/ψ passes, k metric and k curvature
 * evaluations, O(k) combinations. Diagnostics: mean |R| over tasks at the curvature points ({@code abs_r}) and
 * the count of points left out as singular ({@code geo_singular}).
 */
public final class KGear implements KMethod {
    /** The one instance. */
    public static final KGear INSTANCE = new KGear();
    /** The loss terms in log order. */
    public static final List<String> TERMS = List.of("reg", "auto", "cons", "map", "metric", "curv");
    private static final Gear TWO_TASK = new Gear();

    private KGear() {}

    @Override
    public String name() {
        return "gear";
    }

    @Override
    public Layout layout() {
        return new Layout(false, false, true);
    }

    @Override
    public boolean isometricInit(TransferOptions o) {
        return TWO_TASK.isometricInit(o);
    }

    @Override
    public List<String> terms() {
        return TERMS;
    }

    @Override
    public void check(TransferOptions o) {
        TWO_TASK.check(o);
    }

    /** @return the weight of a term at a target-phase epoch (as the two-task GEAR) */
    @Override
    public double weight(String term, TransferOptions o, int epoch) {
        return TWO_TASK.weight(term, o, epoch);
    }

    /** The unweighted terms of one batch. */
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
        if (o.wMetric() > 0) {
            List<SiluMlp> maps = new ArrayList<>(k);
            List<Tensor> perturbed = new ArrayList<>(k);
            for (int t = 0; t < k; t++) { // the perturbations drawn in task order
                maps.add(nets.get(t).phi());
                perturbed.add(c.perturb(z.get(t)));
            }
            terms.put("metric", GeometryLosses.metricAt(maps, perturbed));
        }
        if (o.wCurv() > 0) {
            int n = c.size();
            Tensor idx = c.index(c.subset(o.curvSubset())); // min(n, curv_subset) positions
            List<Tensor> r = new ArrayList<>(k);
            Tensor bad = null;
            long singular = 0;
            List<SiluMlp> phis = new ArrayList<>(k);
            List<Tensor> points = new ArrayList<>(k);
            for (int t = 0; t < k; t++) {
                phis.add(nets.get(t).phi());
                points.add(z.get(t).index_select(0, idx));
            }
            for (CurvatureResult cr : Curvature.ricciScalars(phis, points, o.curvRoute())) {
                r.add(cr.scalar());
                bad = bad == null ? cr.singular() : bad.logical_or(cr.singular());
                singular += cr.singularCount();
            }
            Tensor ok = bad.logical_not().to(r.get(0).scalar_type());
            terms.put("curv", KLosses.curvature(r, ok, o.curvLoss(), o.curvC()));
            double pts = Math.max(1.0, ok.sum().item_double());
            double abs = 0;
            for (Tensor rt : r) {
                abs += rt.detach().abs().mul(ok).sum().item_double() / pts / k;
            }
            c.diagnostic("abs_r", abs);
            c.diagnostic("geo_singular", singular);
        }
        return terms;
    }
}
