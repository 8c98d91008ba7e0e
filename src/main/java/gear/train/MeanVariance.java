package gear.train;

import gear.data.StandardScaler;
import gear.nn.HeadLoss;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Mean-variance estimation (Nix &amp; Weigend, ICNN 1994; chemprop's {@code mve} loss, Hirschfeld et al., JCIM
 * 60:3770, 2020): regression whose head has two outputs per target, a mean m and a raw variance s, with the
 * predicted variance v = softplus(s) + ε (ε = {@value #MIN_VARIANCE}, in standardized units, keeps the loss
 * finite). The network's output row is (m₁ … m_T, s₁ … s_T). Targets are standardized as in {@link Regression};
 * the loss is the Gaussian negative log-likelihood averaged over present targets,
 *
 * <pre>
 *   L = Σ M ⊙ [ ½ log(2π v) + (m − z)² / (2 v) ] / max(1, Σ M)
 * </pre>
 *
 * with the hand-backward gradient at the head
 * ∂L/∂m = M ⊙ (m − z) / v / max(1, Σ M) and ∂L/∂s = M ⊙ [1/(2v) − (m − z)²/(2v²)] ⊙ sigmoid(s) / max(1, Σ M).
 * The selection metric is the RMSE of the mean in original units, as for {@link Regression}; the predicted
 * variance in original units is v σ² (σ the target's training standard deviation).
 */
public final class MeanVariance implements TaskType {
    /** The one instance. */
    public static final MeanVariance INSTANCE = new MeanVariance();
    /** Floor added to softplus(s) (standardized units). */
    public static final double MIN_VARIANCE = 1e-6;

    private MeanVariance() {}

    @Override
    public String name() {
        return "mve";
    }

    @Override
    public String metricName() {
        return "rmse";
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    @Override
    public int outputsPerTarget() {
        return 2;
    }

    @Override
    public double[] metric(double[][] pred, double[][] truth) {
        return TrainedModel.rmse(pred, truth);
    }

    @Override
    public StandardScaler fitScaler(double[][] trainTargets) {
        return StandardScaler.fit(trainTargets);
    }

    /** @return v = softplus(s) + ε of a raw variance output */
    public static double variance(double s) {
        double sp = s > 30 ? s : Math.log1p(Math.exp(s));
        return sp + MIN_VARIANCE;
    }

    /**
     * Gaussian NLL for autograd: {@code prediction} is n × 2T (means, then raw variances), {@code target} n × T
     * (NaN = not labelled); 0 (attached) when nothing is labelled.
     */
    @Override
    public Tensor loss(Tensor prediction, Tensor target) {
        long t = prediction.size(1) / 2;
        Tensor y = target.reshape(prediction.size(0), t).to(prediction.scalar_type());
        Tensor mask = torch.isnan(y).logical_not().to(prediction.scalar_type());
        Tensor y0 = torch.nan_to_num(y, new DoubleOptional(0.0), new DoubleOptional(), new DoubleOptional());
        Tensor m = prediction.narrow(1, 0, t);
        Tensor v = torch.softplus(prediction.narrow(1, t, t)).add(new Scalar(MIN_VARIANCE));
        Tensor d = m.sub(y0);
        Tensor nll = v.mul(new Scalar(2 * Math.PI)).log().mul(new Scalar(0.5)).add(d.mul(d).div(v.mul(new Scalar(2.0))));
        return nll.mul(mask).sum().div(mask.sum().clamp_min(new Scalar(1.0)));
    }

    @Override
    public HeadLoss headLoss(Tensor target, Tensor mask) {
        return out -> {
            long t = target.size(1);
            Tensor m = out.narrow(1, 0, t);
            Tensor s = out.narrow(1, t, t);
            Tensor v = torch.softplus(s).add_(new Scalar(MIN_VARIANCE));
            Tensor d = m.sub(target);
            Tensor d2 = d.mul(d);
            Tensor count = mask.sum().clamp_min(new Scalar(1.0));
            Tensor nll = v.mul(new Scalar(2 * Math.PI)).log_().mul_(new Scalar(0.5)).add_(d2.div(v.mul(new Scalar(2.0))));
            double loss = nll.mul_(mask).sum().div(count).item_double();
            Tensor gm = d.div(v).mul_(mask).div_(count);
            Tensor gv = v.reciprocal().sub(d2.div(v.mul(v))).mul_(new Scalar(0.5));
            Tensor gs = gv.mul_(torch.sigmoid(s)).mul_(mask).div_(count);
            return new HeadLoss.Value(loss, torch.cat(new TensorVector(gm, gs), 1));
        };
    }
}
