package gear.transfer;

import gear.chem.MolGraph;
import java.util.ArrayList;
import java.util.List;

/**
 * An ensemble of transfer models of one method, options and split that differ only in their initialization seed
 * (member i: seed + i; shuffling, dropout and perturbations use the run's seed, so member 0 is the plain run), with
 * an optional z-scaling recalibration of the target task's standard deviation fitted on the target validation set
 * ({@link gear.eval.Calibration#zScale}). Written and read by {@link TransferEnsembleFile}.
 *
 * <p>Per task the prediction is the mean of the members' predictions, μ̄ = (1/N) Σ μᵢ, and its standard deviation
 * the spread of the members' means, s · √((1/N) Σ (μᵢ − μ̄)²) (Lakshminarayanan et al., NeurIPS 2017; the members
 * are regression models, so there is no aleatoric part), with s the z-scaling factor for the target task (1 for the
 * source task and when none was fitted), as {@link gear.train.Ensemble} does for D-MPNNs.
 */
public final class TransferEnsemble {
    private final List<TransferModel> members;
    private final long[] seeds;
    private final double zScale;

    /**
     * The combined prediction of one task, original units.
     *
     * @param mean per molecule
     * @param std per molecule (times the z-scaling factor where it applies)
     */
    public record Output(double[] mean, double[] std) {}

    /**
     * @param members at least one model, all of one method and the same task names
     * @param seeds the members' initialization seeds, one per member
     * @param zScale the target task's recalibration factor (finite and positive), or NaN for none
     */
    public TransferEnsemble(List<TransferModel> members, long[] seeds, double zScale) {
        if (members.isEmpty() || members.size() != seeds.length) {
            throw new IllegalArgumentException("an ensemble needs at least one member and one seed per member ("
                    + members.size() + " members, " + seeds.length + " seeds)");
        }
        TransferModel f = members.get(0);
        for (TransferModel m : members) {
            if (m.method() != f.method() || !m.taskName(Task.TARGET).equals(f.taskName(Task.TARGET))
                    || !m.taskName(Task.SOURCE).equals(f.taskName(Task.SOURCE))) {
                throw new IllegalArgumentException("ensemble members differ in method or tasks");
            }
        }
        this.members = List.copyOf(members);
        this.seeds = seeds.clone();
        this.zScale = zScale;
    }

    /** @return the members, member 0 first */
    public List<TransferModel> members() {
        return members;
    }

    /** @return the number of members */
    public int size() {
        return members.size();
    }

    /** @return the members' initialization seeds */
    public long[] seeds() {
        return seeds.clone();
    }

    /** @return the target task's z-scaling factor, or NaN when none was fitted */
    public double zScale() {
        return zScale;
    }

    /** @return a copy with this recalibration of the target task */
    public TransferEnsemble withZScale(double s) {
        return new TransferEnsemble(members, seeds, s);
    }

    /** @return member 0 (the ensemble's metadata: method, options, scalers, task names) */
    public TransferModel first() {
        return members.get(0);
    }

    /**
     * @param recalibrated whether to apply the z-scaling factor (target task only)
     * @return the combined prediction of {@code task} for {@code graphs}
     */
    public Output predict(Task task, List<MolGraph> graphs, boolean recalibrated) {
        List<double[]> p = new ArrayList<>();
        for (TransferModel m : members) {
            p.add(m.predict(task, graphs));
        }
        return combine(p, recalibrated && task == Task.TARGET && Double.isFinite(zScale) ? zScale : 1.0);
    }

    /** @return the mean and the (scaled) population standard deviation of the members' predictions */
    static Output combine(List<double[]> perMember, double scale) {
        int n = perMember.get(0).length;
        int k = perMember.size();
        double[] mean = new double[n];
        double[] std = new double[n];
        for (int i = 0; i < n; i++) {
            // μ̄ = μ₀ + Σ (μᵢ − μ₀)/N: exactly μ₀ when the members agree
            double x0 = perMember.get(0)[i];
            double s = 0;
            for (double[] p : perMember) {
                s += p[i] - x0;
            }
            double mu = x0 + s / k;
            double v = 0;
            for (double[] p : perMember) {
                double d = p[i] - mu;
                v += d * d;
            }
            mean[i] = mu;
            std[i] = scale * Math.sqrt(v / k);
        }
        return new Output(mean, std);
    }
}
