package gear.experiment.grid;

import gear.data.StandardScaler;
import gear.nn.HeadLoss;
import gear.train.Regression;
import gear.train.TaskType;
import org.bytedeco.pytorch.Tensor;

/**
 * Regression's loss and numbers under another metric label ({@code SCORE}) and the other direction (higher is
 * better): what a new task type changes in the grid's summary and the report.
 */
public final class RenamedTaskType implements TaskType {
    /** The one instance. */
    public static final RenamedTaskType INSTANCE = new RenamedTaskType();

    private RenamedTaskType() {}

    @Override
    public String name() {
        return "renamed";
    }

    @Override
    public String metricName() {
        return "score";
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public double[] metric(double[][] pred, double[][] truth) {
        return Regression.INSTANCE.metric(pred, truth);
    }

    @Override
    public StandardScaler fitScaler(double[][] trainTargets) {
        return Regression.INSTANCE.fitScaler(trainTargets);
    }

    @Override
    public Tensor loss(Tensor pred, Tensor target) {
        return Regression.INSTANCE.loss(pred, target);
    }

    @Override
    public HeadLoss headLoss(Tensor target, Tensor mask) {
        return Regression.INSTANCE.headLoss(target, mask);
    }
}
