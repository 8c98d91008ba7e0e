package gear.nn;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Conversions between Java arrays and libtorch tensors, and small tensor factories.
 *
 * <p>Every tensor made here owns its memory ({@code from_blob(...).clone()}), so the Java array or
 * the temporary native buffer may be released right after the call.
 */
public final class Tensors {
    private Tensors() {}

    /** @return options for a dtype on the CPU */
    public static TensorOptions options(ScalarType type) {
        return new TensorOptions(type);
    }

    /** Float32 tensor of the given shape holding {@code data} (row-major). */
    public static Tensor of(float[] data, long... shape) {
        Torch.ensure();
        checkSize(data.length, shape);
        try (FloatPointer p = new FloatPointer(data)) {
            return torch.from_blob(p, shape, options(ScalarType.Float)).clone();
        }
    }

    /** Float64 tensor of the given shape holding {@code data} (row-major). */
    public static Tensor of(double[] data, long... shape) {
        Torch.ensure();
        checkSize(data.length, shape);
        try (DoublePointer p = new DoublePointer(data)) {
            return torch.from_blob(p, shape, options(ScalarType.Double)).clone();
        }
    }

    /** Int64 tensor (indices) of the given shape. */
    public static Tensor of(long[] data, long... shape) {
        Torch.ensure();
        checkSize(data.length, shape);
        try (LongPointer p = new LongPointer(data)) {
            return torch.from_blob(p, shape, options(ScalarType.Long)).clone();
        }
    }

    /** Int64 tensor (indices) from int indices. */
    public static Tensor indices(int[] data) {
        long[] l = new long[data.length];
        for (int i = 0; i < data.length; i++) {
            l[i] = data[i];
        }
        return of(l, data.length);
    }

    /** Int32 tensor of the given shape. */
    public static Tensor ofInt(int[] data, long... shape) {
        Torch.ensure();
        checkSize(data.length, shape);
        try (IntPointer p = new IntPointer(data)) {
            return torch.from_blob(p, shape, options(ScalarType.Int)).clone();
        }
    }

    /** Copies a tensor of any float dtype and device into a new float array (row-major). */
    public static float[] toFloats(Tensor t) {
        Tensor c = t.detach().to(torch.ScalarType.Float).cpu().contiguous();
        float[] out = new float[(int) c.numel()];
        if (out.length > 0) {
            c.data_ptr_float().get(out);
        }
        return out;
    }

    /** Copies a tensor of any float dtype and device into a new double array (row-major). */
    public static double[] toDoubles(Tensor t) {
        Tensor c = t.detach().to(torch.ScalarType.Double).cpu().contiguous();
        double[] out = new double[(int) c.numel()];
        if (out.length > 0) {
            c.data_ptr_double().get(out);
        }
        return out;
    }

    /** Copies an integer tensor into a new long array. */
    public static long[] toLongs(Tensor t) {
        Tensor c = t.detach().to(torch.ScalarType.Long).cpu().contiguous();
        long[] out = new long[(int) c.numel()];
        if (out.length > 0) {
            c.data_ptr_long().get(out);
        }
        return out;
    }

    /** @return the shape of a tensor as a Java array */
    public static long[] shape(Tensor t) {
        return t.sizes().vec().get();
    }

    private static void checkSize(int n, long[] shape) {
        long prod = 1;
        for (long s : shape) {
            prod *= s;
        }
        if (prod != n) {
            throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape)
                    + " holds " + prod + " elements, data has " + n);
        }
    }
}
