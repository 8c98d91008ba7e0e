package gear.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Adam (Kingma and Ba, ICLR 2015) as in {@code torch.optim.Adam} with default betas (0.9, 0.999),
 * eps 1e-8 and no weight decay:
 *
 * <pre>
 * m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²
 * θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
 * </pre>
 *
 * <p>Its state (m, v, step) is a plain map of named tensors, so a checkpoint can store it in the
 * same safetensors file as the weights and a resumed run continues bit-identically. The learning
 * rate is set per step by the caller (schedules step per batch).
 */
public final class Adam {
    private final Params params;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final Map<String, Tensor> m = new LinkedHashMap<>();
    private final Map<String, Tensor> v = new LinkedHashMap<>();
    private long step;
    private double lr;

    /** Adam with torch's defaults over {@code params}. */
    public Adam(Params params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8);
    }

    /** Adam with explicit hyperparameters. */
    public Adam(Params params, double lr, double beta1, double beta2, double eps) {
        this.params = params;
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        for (Map.Entry<String, Tensor> e : params.asMap().entrySet()) {
            Tensor z1 = torch.zeros_like(e.getValue()).detach();
            Tensor z2 = torch.zeros_like(e.getValue()).detach();
            z1.retainReference();
            z2.retainReference();
            m.put(e.getKey(), z1);
            v.put(e.getKey(), z2);
        }
    }

    /** Sets the learning rate used by the next {@link #step()}. */
    public void setLr(double lr) {
        this.lr = lr;
    }

    /** @return the current learning rate */
    public double lr() {
        return lr;
    }

    /** @return the number of steps taken */
    public long steps() {
        return step;
    }

    /** Applies one update from the gradients accumulated in the parameters. */
    public void step() {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = 1 - Math.pow(beta2, step);
        double stepSize = lr / bc1;
        double sqrtBc2 = Math.sqrt(bc2);
        try (NoGradGuard guard = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> e : params.asMap().entrySet()) {
                Tensor p = e.getValue();
                Tensor g = p.grad();
                if (g == null || !g.defined()) {
                    continue;
                }
                Tensor mt = m.get(e.getKey());
                Tensor vt = v.get(e.getKey());
                mt.mul_(new Scalar(beta1)).add_(g, new Scalar(1 - beta1));
                vt.mul_(new Scalar(beta2)).addcmul_(g, g, new Scalar(1 - beta2));
                Tensor denom = vt.sqrt().div_(new Scalar(sqrtBc2)).add_(new Scalar(eps));
                p.addcdiv_(mt, denom, new Scalar(-stepSize));
            }
        }
    }

    /** @return the state as named tensors ({@code adam.m.NAME}, {@code adam.v.NAME}) plus the step count */
    public Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        m.forEach((k, t) -> s.put("adam.m." + k, t));
        v.forEach((k, t) -> s.put("adam.v." + k, t));
        s.put("adam.step", Tensors.of(new long[] {step}, 1));
        return s;
    }

    /** Restores a state written by {@link #state()}. */
    public void load(Map<String, Tensor> s) {
        try (NoGradGuard guard = new NoGradGuard()) {
            for (String k : m.keySet()) {
                m.get(k).copy_(require(s, "adam.m." + k));
                v.get(k).copy_(require(s, "adam.v." + k));
            }
        }
        step = Tensors.toLongs(require(s, "adam.step"))[0];
    }

    private static Tensor require(Map<String, Tensor> s, String k) {
        Tensor t = s.get(k);
        if (t == null) {
            throw new IllegalArgumentException("optimizer state lacks '" + k + "'");
        }
        return t;
    }
}
