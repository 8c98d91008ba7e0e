package gear.nn;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

/**
 * A loss evaluated at a network's output together with its gradient there, for the hand-derived
 * backward passes ({@link DmpnnTrainStep}): the task type decides the loss, the network's backward
 * starts from {@link Value#gradient()} = ∂L/∂ŷ and knows nothing else about it.
 */
@FunctionalInterface
public interface HeadLoss {
    /**
     * The loss and its gradient with respect to the output.
     *
     * @param loss the loss value
     * @param gradient ∂L/∂ŷ, the output's shape
     */
    record Value(double loss, Tensor gradient) {}

    /**
     * @param output the network output ŷ (n × T), computed without an autograd graph
     * @return L(ŷ) and ∂L/∂ŷ
     */
    Value apply(Tensor output);

    /**
     * Masked mean squared error (chemprop v1) and its gradient:
     * L = Σ M ⊙ (ŷ − y)² / max(1, Σ M), ∂L/∂ŷ = 2 M ⊙ (ŷ − y) / max(1, Σ M).
     *
     * @param target standardized targets, n × T (missing cells any finite value)
     * @param mask 1 where a target is present, else 0
     */
    static HeadLoss maskedMse(Tensor target, Tensor mask) {
        return z -> {
            Tensor diff = z.sub(target);
            Tensor count = mask.sum().clamp_min(new Scalar(1.0));
            Tensor loss = Losses.maskedMse(z, target, mask);
            diff.mul_(mask);
            double v = loss.item_double();
            return new Value(v, diff.mul(new Scalar(2.0)).div_(count));
        };
    }
}
