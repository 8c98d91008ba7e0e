package gear.run;

import gear.chem.MolGraph;
import gear.nn.BatchGraph;
import gear.nn.DmpnnEncoderStep;
import gear.nn.Tensors;
import gear.train.TrainedModel;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * Prediction with a single-task D-MPNN through the encoder's buffered forward pass ({@link DmpnnEncoderStep}: the
 * activation buffers live across batches, neighbour sums are {@code embedding_bag}s over precomputed bags, the
 * sparse atom-feature products are row sums) instead of the autograd-shaped {@code DmpnnEncoder.forward}; the same
 * molecule vectors up to rounding, then the model's FFN head and its scaler. Only for models without dropout (the
 * buffered pass is the training-mode pass, which would drop activations); {@link Predictor#of(TrainedModel)} picks
 * it then. Not thread-safe: one instance per predicting thread.
 */
final class StepPredictor implements Predictor {
    /** Molecules per forward pass (system property {@code gear.predict.batch}; default {@link TrainedModel#PREDICT_BATCH}). */
    static final int BATCH = Integer.getInteger("gear.predict.batch", TrainedModel.PREDICT_BATCH);

    private final TrainedModel model;
    private DmpnnEncoderStep step;

    StepPredictor(TrainedModel model) {
        if (model.network().config().dropout() > 0) {
            throw new IllegalArgumentException("the buffered forward pass is for models without dropout");
        }
        this.model = model;
    }

    @Override
    public List<String> targetNames() {
        return model.targetNames();
    }

    @Override
    public double[][] predict(List<MolGraph> graphs) {
        return predictWithVariance(graphs).mean();
    }

    /** @return means and, for a mean-variance model, variances in original units */
    TrainedModel.Prediction predictWithVariance(List<MolGraph> graphs) {
        if (step == null) {
            step = new DmpnnEncoderStep(model.network().encoder()); // its buffers outside any pointer scope
        }
        int tasks = model.targetNames().size();
        double[][] out = new double[graphs.size()][tasks];
        double[][] var = model.hasVariance() ? new double[graphs.size()][tasks] : null;
        for (int from = 0; from < graphs.size(); from += BATCH) {
            List<MolGraph> part = graphs.subList(from, Math.min(graphs.size(), from + BATCH));
            BatchGraph.Arrays a = BatchGraph.arrays(part);
            try (PointerScope scope = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                Tensor h = step.forward(BatchGraph.of(a, model.network().config().dtype()), null);
                double[] z = Tensors.toDoubles(model.network().head().forward(h, false));
                model.toOriginal(z, part.size(), out, var, from);
            }
        }
        return new TrainedModel.Prediction(out, var);
    }
}
