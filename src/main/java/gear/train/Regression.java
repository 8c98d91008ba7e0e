package gear.train;

import gear.data.StandardScaler;
import gear.nn.HeadLoss;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Regression (chemprop v1): targets standardized, z = (y − μ)/σ with μ, σ from the training split;
 * loss the masked mean squared error on z, Σ M ⊙ (ẑ − z)² / max(1, Σ M); metric the RMSE in original
 * units, lower is better.
 */
public final class Regression implements TaskType {
    /** The one instance. */
    public static final Regression INSTANCE = new Regression();

    private Regression() {}

    @Override
    public String name() {
        return "regression";
    }

    @Override
    public String metricName() {
        return "rmse";
    }

    @Override
    public String metricLabel() {
        return "RMSE";
    }

    @Override
    public String lossLabel() {
        return "MSE";
    }

    @Override
    public java.util.List<String> testLabels() {
        return java.util.List.of("RMSE", "MAE", "R2");
    }

    @Override
    public double[] testMetrics(double[] pred, double[] truth) {
        gear.eval.Metrics.Regression m = gear.eval.Metrics.regression(pred, truth);
        return new double[] {m.rmse(), m.mae(), m.r2()};
    }

    @Override
    public boolean higherIsBetter() {
        return false;
    }

    @Override
    public double[] metric(double[][] pred, double[][] truth) {
        return TrainedModel.rmse(pred, truth);
    }

    @Override
    public StandardScaler fitScaler(double[][] trainTargets) {
        return StandardScaler.fit(trainTargets);
    }

    /** Masked MSE over the non-NaN targets; 0 (still attached to the graph) when none is labelled. */
    @Override
    public Tensor loss(Tensor prediction, Tensor target) {
        Tensor p = prediction.reshape(-1);
        Tensor y = target.reshape(-1).to(p.scalar_type());
        Tensor mask = torch.isnan(y).logical_not().to(p.scalar_type());
        Tensor y0 = torch.nan_to_num(y, new DoubleOptional(0.0), new DoubleOptional(), new DoubleOptional());
        Tensor diff = p.sub(y0).mul(mask);
        Tensor count = mask.sum().clamp_min(new Scalar(1.0));
        return diff.mul(diff).sum().div(count);
    }

    @Override
    public HeadLoss headLoss(Tensor target, Tensor mask) {
        return HeadLoss.maskedMse(target, mask);
    }
}
