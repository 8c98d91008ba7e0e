package gear.train;

import gear.chem.MolGraph;
import java.util.ArrayList;
import java.util.List;

/**
 * An ensemble of D-MPNNs trained on the same split that differ only in their initialization seed (member i is
 * initialized with seed + i; shuffling and dropout use the run's seed), with an optional z-scaling recalibration
 * of its predicted standard deviation. One member of task type {@link Regression} is a plain model.
 *
 * <p>The ensemble's prediction is the mean of the members' means, μ̄ = (1/N) Σ μᵢ; its variance is the total of
 * the epistemic part, the variance of the means (1/N) Σ (μᵢ − μ̄)², and the aleatoric part, the mean of the
 * members' predicted variances (1/N) Σ vᵢ (zero for {@link Regression} members; Lakshminarayanan et al., NeurIPS
 * 2017). The reported standard deviation is s · √(total variance), s the z-scaling factor per target fitted on the
 * validation set ({@link gear.eval.Calibration#zScale}; 1 when none was fitted).
 */
public final class Ensemble {
    private final List<TrainedModel> members;
    private final double[] zScale;

    /**
     * The combined prediction, original units.
     *
     * @param mean one row per molecule, one column per target
     * @param std the standard deviation, same shape (recalibrated when the ensemble holds a scale); null when the
     *     ensemble has no uncertainty ({@link #hasUncertainty})
     */
    public record Output(double[][] mean, double[][] std) {}

    /**
     * @param members at least one model, all with the same targets, scaler and task type
     * @param zScale the recalibration factor per target, or null for none
     */
    public Ensemble(List<TrainedModel> members, double[] zScale) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("an ensemble needs at least one member");
        }
        TrainedModel first = members.get(0);
        for (TrainedModel m : members) {
            if (!m.targetNames().equals(first.targetNames()) || m.taskType() != first.taskType()) {
                throw new IllegalArgumentException("ensemble members differ in targets or task type");
            }
        }
        if (zScale != null && zScale.length != first.targetNames().size()) {
            throw new IllegalArgumentException("z-scaling has " + zScale.length + " factors for "
                    + first.targetNames().size() + " targets");
        }
        this.members = List.copyOf(members);
        this.zScale = zScale == null ? null : zScale.clone();
    }

    /** @return a one-member ensemble without recalibration */
    public static Ensemble of(TrainedModel m) {
        return new Ensemble(List.of(m), null);
    }

    /** @return the members */
    public List<TrainedModel> members() {
        return members;
    }

    /** @return the number of members */
    public int size() {
        return members.size();
    }

    /** @return the first member (the ensemble's metadata: targets, scaler, provenance) */
    public TrainedModel first() {
        return members.get(0);
    }

    /** @return the z-scaling factor per target, or null */
    public double[] zScale() {
        return zScale == null ? null : zScale.clone();
    }

    /** @return a copy with this recalibration */
    public Ensemble withZScale(double[] s) {
        return new Ensemble(members, s);
    }

    /** @return whether the ensemble predicts a standard deviation (more than one member or a variance head) */
    public boolean hasUncertainty() {
        return members.size() > 1 || first().hasVariance();
    }

    /** @return the combined prediction of {@code graphs} (each member's own forward pass) */
    public Output predict(List<MolGraph> graphs) {
        List<TrainedModel.Prediction> p = new ArrayList<>();
        for (TrainedModel m : members) {
            p.add(m.predictWithVariance(graphs));
        }
        return combine(p, true);
    }

    /**
     * Combines the members' predictions.
     *
     * @param perMember one prediction per member, in member order
     * @param recalibrated whether to apply the z-scaling factor (false: the raw standard deviation)
     */
    public Output combine(List<TrainedModel.Prediction> perMember, boolean recalibrated) {
        if (perMember.size() != members.size()) {
            throw new IllegalArgumentException(perMember.size() + " predictions for " + members.size() + " members");
        }
        double[][] m0 = perMember.get(0).mean();
        int n = m0.length;
        int tasks = first().targetNames().size();
        int k = perMember.size();
        double[][] mean = new double[n][tasks];
        double[][] std = hasUncertainty() ? new double[n][tasks] : null;
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < tasks; t++) {
                // μ̄ = μ₀ + Σ (μᵢ − μ₀)/N: exactly μ₀ when the members agree (an ensemble of identical members is that member)
                double x0 = perMember.get(0).mean()[i][t];
                double s = 0;
                for (TrainedModel.Prediction p : perMember) {
                    s += p.mean()[i][t] - x0;
                }
                double mu = x0 + s / k;
                mean[i][t] = mu;
                if (std != null) {
                    double epi = 0;
                    double alea = 0;
                    for (TrainedModel.Prediction p : perMember) {
                        double d = p.mean()[i][t] - mu;
                        epi += d * d;
                        alea += p.variance() == null ? 0 : p.variance()[i][t];
                    }
                    double sd = Math.sqrt((epi + alea) / k);
                    std[i][t] = recalibrated && zScale != null ? sd * zScale[t] : sd;
                }
            }
        }
        return new Output(mean, std);
    }
}
