package gear.nn;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;

/**
 * Process-wide libtorch runtime settings: thread counts, seeding and device selection.
 *
 * <p>On small machines libtorch with several intra-op threads falls into severe oversubscription
 * (OpenMP workers plus OpenBLAS's own pool plus JVM threads; see {@code design/STACK.md}). The
 * default is therefore one torch thread, one inter-op thread and one OpenBLAS thread; the other
 * cores are used from Java (featurization, batch building, independent runs).
 *
 * <p>Training ({@code gear train}, {@code gear transfer}) uses the cores differently: {@link #initLanes(int)}
 * keeps one libtorch and one OpenBLAS thread per Java thread and runs the halves of each batch on
 * {@link Lanes} (data parallelism), because libtorch's intra-op threads gain about 1 % on the D-MPNN's
 * products while two lanes nearly halve the step.
 *
 * <p>Call {@link #init(int)} once, before the first tensor is created. Later calls with the same
 * thread count are no-ops; the intra-op count may be changed later, the inter-op count may not
 * (a libtorch restriction), so it is set only once.
 */
public final class Torch {
    private static volatile boolean initialized;
    private static int threads = 1;
    private static int lanes = 1;

    private Torch() {}

    /** Initializes libtorch with one thread (the default). */
    public static void init() {
        init(Integer.getInteger("gear.threads", 1));
    }

    /**
     * Loads the natives and sets torch intra-op, inter-op and OpenBLAS thread counts.
     *
     * @param nThreads intra-op threads for torch and OpenBLAS (at least 1)
     */
    public static synchronized void init(int nThreads) {
        if (nThreads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + nThreads);
        }
        setNative(nThreads);
        threads = nThreads;
        lanes = 1;
    }

    /**
     * Training on {@code nLanes} cores: one libtorch intra-op thread and one OpenBLAS thread (in every Java
     * thread), and {@link #lanes()} = {@code nLanes} data-parallel lanes for the training steps.
     *
     * @param nLanes lanes (at least 1); 1 is exactly {@code init(1)}
     */
    public static synchronized void initLanes(int nLanes) {
        if (nLanes < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + nLanes);
        }
        setNative(1);
        threads = nLanes;
        lanes = nLanes;
    }

    /**
     * A training run's cores and device ({@code --threads}, {@code --device} of {@code train} and {@code transfer}):
     * {@link #initLanes(int)}, then {@link #device(String)}. Lanes are CPU data parallelism, so more than one lane on
     * another device is refused.
     *
     * @return the device
     * @throws IllegalArgumentException (exit 2) for {@code nLanes} &lt; 1, an unknown device, cuda without a usable
     *     GPU, or {@code nLanes} &gt; 1 with a device other than the CPU
     */
    public static Device initTraining(int nLanes, String device) {
        initLanes(nLanes);
        Device d = device(device);
        if (nLanes > 1 && !d.is_cpu()) {
            throw new IllegalArgumentException("--threads " + nLanes + " runs data-parallel lanes on the CPU; with --device "
                    + device + " use --threads 1");
        }
        return d;
    }

    private static void setNative(int nThreads) {
        // OpenBLAS first: its pool is created when the library loads.
        try {
            Class<?> ob = Class.forName("org.bytedeco.openblas.global.openblas_nolapack");
            Loader.load(ob);
            ob.getMethod("blas_set_num_threads", int.class).invoke(null, nThreads);
        } catch (ReflectiveOperationException | LinkageError e) {
            // OpenBLAS is an optional accelerator of libtorch's CPU kernels; torch works without it.
        }
        if (!initialized) {
            Loader.load(torch.class);
            torch.set_num_interop_threads(1);
            initialized = true;
        }
        torch.set_num_threads(nThreads);
    }

    /** @return the data-parallel lanes of training steps ({@link #initLanes(int)}; 1 otherwise) */
    public static int lanes() {
        ensure();
        return lanes;
    }

    /** @return the thread count of {@code --threads} (intra-op threads, or lanes after {@link #initLanes(int)}) */
    public static int threads() {
        ensure();
        return threads;
    }

    /** Loads libtorch with defaults if {@link #init(int)} was not called yet. */
    public static void ensure() {
        if (!initialized) {
            init();
        }
    }

    /** Seeds libtorch's global generator (parameter initialization, dropout, randn). */
    public static void seed(long seed) {
        ensure();
        torch.manual_seed(seed);
    }

    /** @return whether a CUDA device is usable by this build (always false with the CPU natives) */
    public static boolean cudaAvailable() {
        ensure();
        try {
            return torch.cuda_is_available();
        } catch (Throwable t) {
            return false;
        }
    }

    /**
     * Parses a device name.
     *
     * @param name {@code cpu} or {@code cuda} (or {@code cuda:N})
     * @return the device
     * @throws IllegalArgumentException for an unknown name, or {@code cuda} without a usable GPU
     */
    public static Device device(String name) {
        String n = deviceName(name);
        ensure();
        if (n.equals("cpu")) {
            return new Device(torch.DeviceType.CPU, (byte) -1);
        }
        if (!cudaAvailable()) {
            throw new IllegalArgumentException("--device " + name
                    + ": no CUDA device is available (this build has CPU natives; build with -Pgpu on a GPU machine)");
        }
        byte index = n.equals("cuda") ? 0 : Byte.parseByte(n.substring(5));
        return new Device(torch.DeviceType.CUDA, index);
    }

    /**
     * Checks a device name as {@link #device(String)} does, without loading libtorch for the CPU (only {@code cuda} needs
     * it, to ask for a GPU): what a process that only schedules runs (a grid's Spark driver) checks its cells' device with.
     *
     * @throws IllegalArgumentException for an unknown name, or {@code cuda} without a usable GPU
     */
    public static void checkDevice(String name) {
        if (!deviceName(name).equals("cpu")) {
            device(name);
        }
    }

    /** @return the device name, trimmed and in lower case ({@code cpu} for null) */
    private static String deviceName(String name) {
        String n = name == null ? "cpu" : name.trim().toLowerCase(java.util.Locale.ROOT);
        if (n.equals("cpu") || n.equals("cuda") || n.startsWith("cuda:")) {
            return n;
        }
        throw new IllegalArgumentException("unknown device '" + name + "': expected cpu or cuda");
    }

    /** @return the libtorch version string of the loaded natives */
    public static String version() {
        return "2.7.1";
    }
}
