package gear.train;

import gear.data.StandardScaler;
import gear.nn.HeadLoss;
import org.bytedeco.pytorch.Tensor;

/**
 * What kind of prediction task a model is trained for: its loss, its evaluation metric, how its
 * targets are scaled and in which direction the metric is better. The training {@link Engine} selects
 * epochs and stops early through {@link #improves}; the objectives take their loss (and, for the
 * hand-derived backward, its gradient at the head) from here, so that nothing else assumes
 * regression. {@link Regression} and {@link MeanVariance} (mean and variance per target) are implemented;
 * {@link #parse} names them.
 */
public interface TaskType {
    /** @return the name ({@code regression}) */
    String name();

    /**
     * @return network outputs per target (1; 2 for {@link MeanVariance}: the means, then the raw variances): a model of
     *     T targets has {@code outputsPerTarget() × T} outputs, the first T of which are the predictions
     */
    default int outputsPerTarget() {
        return 1;
    }

    /**
     * @return the task type of this name ({@code regression}, {@code mve})
     * @throws IllegalArgumentException naming the known ones
     */
    static TaskType parse(String name) {
        return switch (name == null ? "regression" : name.toLowerCase(java.util.Locale.ROOT)) {
            case "regression" -> Regression.INSTANCE;
            case "mve" -> MeanVariance.INSTANCE;
            default -> throw new IllegalArgumentException("--task-type " + name + ": unknown (known: regression, mve)");
        };
    }

    /** @return the selection metric's name as it appears in logs and files ({@code rmse}) */
    String metricName();

    /** @return the selection metric's label in logs, plots, reports and summaries ({@code RMSE}) */
    default String metricLabel() {
        return metricName().toUpperCase(java.util.Locale.ROOT);
    }

    /** @return the training loss's label in plots ({@code MSE}) */
    default String lossLabel() {
        return "loss";
    }

    /** @return the column of the validation score in {@code metrics.csv} and the epoch logs ({@code val_rmse}) */
    default String valColumn() {
        return "val_" + metricName();
    }

    /** @return the per-epoch training-set metric's column and term name ({@code train_rmse}) */
    default String trainColumn() {
        return "train_" + metricName();
    }

    /** @return the labels of the test metrics that summaries print, in order ({@code RMSE, MAE, R2}) */
    default java.util.List<String> testLabels() {
        return java.util.List.of(metricLabel());
    }

    /**
     * The test metrics of one target in the order of {@link #testLabels}, in original units.
     *
     * @param pred predictions
     * @param truth true values (NaN = missing, left out)
     */
    default double[] testMetrics(double[] pred, double[] truth) {
        double[][] p = new double[pred.length][1];
        double[][] t = new double[truth.length][1];
        for (int i = 0; i < pred.length; i++) {
            p[i][0] = pred[i];
            t[i][0] = truth[i];
        }
        return metric(p, t);
    }

    /** @return {@code LABEL value} pairs of {@link #testLabels}, two spaces apart ({@code RMSE 1.2345  MAE ...}) */
    default String testSummary(double... values) {
        StringBuilder b = new StringBuilder();
        java.util.List<String> labels = testLabels();
        for (int i = 0; i < labels.size(); i++) {
            b.append(i == 0 ? "" : "  ").append(labels.get(i)).append(' ')
                    .append(String.format(java.util.Locale.ROOT, "%.4f", values[i]));
        }
        return b.toString();
    }

    /** @return whether larger values of the metric are better */
    boolean higherIsBetter();

    /**
     * @return whether {@code score} beats {@code best} by more than {@code minDelta} (NaN {@code best}
     *     or an infinite one in the wrong direction: any finite score beats it)
     */
    default boolean improves(double score, double best, double minDelta) {
        return higherIsBetter() ? score > best + minDelta : score < best - minDelta;
    }

    /** @return the worst possible score (the best score before the first epoch) */
    default double worst() {
        return higherIsBetter() ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /**
     * The metric per target over present values, in original units.
     *
     * @param pred predictions, one row per molecule
     * @param truth true values, NaN = missing
     * @return one value per target (NaN for a target without values)
     */
    double[] metric(double[][] pred, double[][] truth);

    /** @return the scaling of the targets, fit on the training targets (rows × targets, NaN = missing) */
    StandardScaler fitScaler(double[][] trainTargets);

    /**
     * The training loss on scaled targets, for autograd.
     *
     * @param pred predictions (any shape; flattened)
     * @param target scaled targets, same number of elements, NaN = not labelled
     */
    Tensor loss(Tensor pred, Tensor target);

    /**
     * The training loss and its gradient at the head output, for the hand-derived backward.
     *
     * @param target scaled targets, n × T (missing cells any finite value)
     * @param mask 1 where a target is present, else 0
     */
    HeadLoss headLoss(Tensor target, Tensor mask);
}
