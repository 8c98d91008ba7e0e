package gear.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;

/**
 * An ordered set of named trainable tensors (the weights of a model).
 *
 * <p>Names are dotted paths ({@code "encoder.0.weight"}); the order of registration is the order of
 * the safetensors file and of the optimizer state. Tensors registered here live outside any
 * {@link org.bytedeco.javacpp.PointerScope}: callers create them before opening a step's scope.
 */
public final class Params {
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    /**
     * Registers a tensor as a trainable parameter (sets {@code requires_grad}).
     *
     * @return the same tensor
     * @throws IllegalArgumentException if the name is taken
     */
    public Tensor add(String name, Tensor t) {
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("duplicate parameter name " + name);
        }
        t.requires_grad_(true);
        t.retainReference();
        tensors.put(name, t);
        return t;
    }

    /** Adds every parameter of {@code other} under {@code prefix + "."}. */
    public void addAll(String prefix, Params other) {
        for (Map.Entry<String, Tensor> e : other.tensors.entrySet()) {
            add(prefix + "." + e.getKey(), e.getValue());
        }
    }

    /** @return the parameter of that name, or null */
    public Tensor get(String name) {
        return tensors.get(name);
    }

    /** @return an unmodifiable view, in registration order */
    public Map<String, Tensor> asMap() {
        return Collections.unmodifiableMap(tensors);
    }

    /** @return the number of scalar weights */
    public long count() {
        long n = 0;
        for (Tensor t : tensors.values()) {
            n += t.numel();
        }
        return n;
    }

    /** @return the parameters as a libtorch vector (for autograd.grad) */
    public TensorVector vector() {
        return new TensorVector(tensors.values().toArray(new Tensor[0]));
    }

    /**
     * Moves every parameter to {@code device} in place: each Java tensor keeps its identity (modules holding it see
     * the moved data), its dtype and {@code requires_grad}; its gradient is dropped. A no-op for parameters already
     * there (the same storage, so a CPU run is unchanged bit for bit). Call it before anything caches buffers made
     * from the weights' options (an optimizer, a {@link DmpnnEncoderStep}).
     */
    public void moveTo(org.bytedeco.pytorch.Device device) {
        try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
            for (Tensor t : tensors.values()) {
                if (!sameDevice(t.device(), device)) {
                    t.set_data(t.detach().to(device, t.scalar_type()));
                    Tensor grad = t.grad();
                    if (grad != null && grad.defined()) {
                        t.mutable_grad().put(new Tensor());
                    }
                }
            }
        }
    }

    /**
     * @return the device every parameter lives on (the CPU for an empty set)
     * @throws IllegalStateException when the parameters are spread over several devices
     */
    public org.bytedeco.pytorch.Device device() {
        org.bytedeco.pytorch.Device d = null;
        String first = null;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            org.bytedeco.pytorch.Device x = e.getValue().device();
            if (d == null) {
                d = x;
                first = e.getKey();
            } else if (!sameDevice(d, x)) {
                throw new IllegalStateException("parameters on several devices: " + first + " on " + d.str().getString()
                        + ", " + e.getKey() + " on " + x.str().getString());
            }
        }
        return d != null ? d : Torch.device("cpu");
    }

    /** @return whether two devices are the same (type and index) */
    public static boolean sameDevice(org.bytedeco.pytorch.Device a, org.bytedeco.pytorch.Device b) {
        if (a.is_cpu() || b.is_cpu()) {
            return a.is_cpu() && b.is_cpu();
        }
        return name(a).equals(name(b));
    }

    /** @return the device's name with its index ({@code cpu}, {@code cuda:0}; a CUDA device without index is 0) */
    private static String name(org.bytedeco.pytorch.Device d) {
        String s = d.str().getString();
        return s.indexOf(':') < 0 && !d.is_cpu() ? s + ":0" : s;
    }

    /** Clears the accumulated gradients. */
    public void zeroGrad() {
        for (Tensor t : tensors.values()) {
            Tensor g = t.grad();
            if (g != null && g.defined()) {
                g.detach_();
                g.zero_();
            }
        }
    }

    /**
     * Copies values from another parameter set with the same names and shapes (in place, no grad).
     *
     * @throws IllegalArgumentException on a missing name or a shape mismatch
     */
    public void copyFrom(Map<String, Tensor> values) {
        try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                Tensor src = values.get(e.getKey());
                if (src == null) {
                    throw new IllegalArgumentException("missing tensor '" + e.getKey() + "'");
                }
                if (!java.util.Arrays.equals(Tensors.shape(src), Tensors.shape(e.getValue()))) {
                    throw new IllegalArgumentException("tensor '" + e.getKey() + "' has shape "
                            + java.util.Arrays.toString(Tensors.shape(src)) + ", expected "
                            + java.util.Arrays.toString(Tensors.shape(e.getValue())));
                }
                e.getValue().copy_(src);
            }
        }
    }

    /**
     * @return detached copies of every parameter, in registration order, retained outside any
     *     {@link org.bytedeco.javacpp.PointerScope} (for best-epoch weights and checkpoints)
     */
    public Map<String, Tensor> snapshot() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
            tensors.forEach((k, v) -> {
                Tensor c = v.detach().clone();
                c.retainReference();
                m.put(k, c);
            });
        }
        return m;
    }

    /** Copies, in place and without grad, each tensor of {@code src} into the tensor of the same name in {@code dst}. */
    public static void copyInto(Map<String, Tensor> dst, Map<String, Tensor> src) {
        try (org.bytedeco.pytorch.NoGradGuard g = new org.bytedeco.pytorch.NoGradGuard()) {
            for (Map.Entry<String, Tensor> e : dst.entrySet()) {
                e.getValue().copy_(src.get(e.getKey()));
            }
        }
    }
}
