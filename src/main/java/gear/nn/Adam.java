package gear.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Dispatcher;
import org.bytedeco.pytorch.GenericList;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.ListType;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.OperatorHandle;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.Type;
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
 *
 * <p>The update runs as libtorch's fused multi-tensor kernel {@code aten::_fused_adam_} (what
 * {@code torch.optim.Adam(fused=True)} calls; called through the dispatcher because the Java presets
 * do not map it): one pass over θ, g, m and v for all parameters instead of about eight passes per
 * parameter, which matters because the update is bound by memory traffic.
 */
public final class Adam {
    private final Params params;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final Map<String, Tensor> m = new LinkedHashMap<>();
    private final Map<String, Tensor> v = new LinkedHashMap<>();
    private final Map<String, Tensor> steps = new LinkedHashMap<>();
    private final OperatorHandle fused;
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
            // the kernel reads the step count from a scalar tensor of the parameter's dtype and device
            Tensor st = torch.zeros_like(e.getValue()).detach().view(-1).narrow(0, 0, 1).view(new long[0]).clone();
            st.retainReference();
            steps.put(e.getKey(), st);
        }
        fused = Dispatcher.singleton().findSchemaOrThrow("aten::_fused_adam_", "");
        fused.retainReference();
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

    /** Applies one update from the gradients accumulated in the parameters (those without a gradient are left as they are). */
    public void step() {
        step++;
        try (PointerScope scope = new PointerScope(); NoGradGuard guard = new NoGradGuard()) {
            Type.TypePtr tensor = ListType.ofTensors().containedType(0);
            GenericList ps = new GenericList(tensor);
            GenericList gs = new GenericList(tensor);
            GenericList ms = new GenericList(tensor);
            GenericList vs = new GenericList(tensor);
            GenericList ss = new GenericList(tensor);
            for (Map.Entry<String, Tensor> e : params.asMap().entrySet()) {
                Tensor g = e.getValue().grad();
                if (g == null || !g.defined()) {
                    continue;
                }
                Tensor st = steps.get(e.getKey());
                st.fill_(new Scalar((double) step));
                ps.push_back(new IValue(e.getValue()));
                gs.push_back(new IValue(g));
                ms.push_back(new IValue(m.get(e.getKey())));
                vs.push_back(new IValue(v.get(e.getKey())));
                ss.push_back(new IValue(st));
            }
            if (ps.empty()) {
                return;
            }
            IValueVector stack = new IValueVector(new IValue(ps), new IValue(gs), new IValue(ms), new IValue(vs),
                    new IValue(new GenericList(tensor)), new IValue(ss), new IValue(lr), new IValue(beta1),
                    new IValue(beta2), new IValue(0.0), new IValue(eps), new IValue(false), new IValue(false),
                    new IValue(), new IValue());
            Dispatcher.singleton().callBoxed(fused, stack);
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
