package gear.bench;

import gear.transfer.*;

import gear.chem.MolGraph;
import gear.nn.Adam;
import gear.nn.Params;
import gear.nn.PhaseTimer;
import gear.nn.Torch;
import gear.train.Provenance;
import gear.data.StandardScaler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cost of one training step of a transfer method against the same pair trained as two independent
 * STL models (issue 5, item 3; library side of {@code gear bench train --method gear}).
 *
 * <p>For each repeat the three steps are run back to back on the same molecules, so that load from
 * other processes hits them alike: a GEAR (or other method's) step on a paired batch of
 * {@code batchSize} target + {@code batchSize} source molecules; an STL step on the {@code batchSize}
 * target molecules; an STL step (same architecture) on the {@code batchSize} source molecules. The
 * reported ratio is median(method step) / (median(STL target step) + median(STL source step)), from
 * wall-clock time and from the calling thread's CPU time (with one libtorch thread all tensor work runs
 * on it). Labels are synthetic: they do not change the cost.
 */
public final class TransferBench {
    private TransferBench() {}

    /**
     * Measured numbers (seconds per step, medians over the timed repeats).
     *
     * @param method the method timed
     * @param options its options
     * @param methodStep wall seconds of one step of the method
     * @param stlTargetStep wall seconds of one STL step on the target batch
     * @param stlSourceStep wall seconds of one STL step on the source batch
     * @param ratio methodStep / (stlTargetStep + stlSourceStep)
     * @param cpuRatio the same ratio from thread CPU time (NaN where unsupported)
     * @param phases when profiled: per phase of the method's step, in step order, the mean {wall, CPU}
     *     milliseconds per timed step; empty otherwise
     */
    public record Result(TransferMethod method, TransferOptions options, double methodStep, double stlTargetStep,
            double stlSourceStep, double ratio, double cpuRatio, String device, Map<String, double[]> phases) {
        /** A measurement on the CPU, not profiled. */
        public Result(TransferMethod method, TransferOptions options, double methodStep, double stlTargetStep,
                double stlSourceStep, double ratio, double cpuRatio) {
            this(method, options, methodStep, stlTargetStep, stlSourceStep, ratio, cpuRatio, "cpu", Map.of());
        }

        /** @return one JSON object (a line of {@code gear bench} output) */
        public String toJson() {
            return String.format(java.util.Locale.ROOT,
                    "{\"bench\":\"transfer_step\",\"method\":\"%s\",\"latent_size\":%d,\"common_size\":%d,"
                            + "\"curv_subset\":%d,\"curv_route\":\"%s\",\"perturbations\":%d,\"batch_size\":%d,"
                            + "\"hidden_size\":%d,\"method_step_s\":%.5f,\"stl_target_step_s\":%.5f,"
                            + "\"stl_source_step_s\":%.5f,\"ratio\":%.3f,\"cpu_ratio\":%.3f,\"threads\":%d,"
                            + "\"device\":\"%s\"}",
                    method.name(), options.latentSize(), options.commonSize(), options.curvSubset(),
                    options.curvRoute().name().toLowerCase(java.util.Locale.ROOT), options.perturbations(),
                    options.batchSize(), options.hiddenSize(), methodStep, stlTargetStep, stlSourceStep, ratio, cpuRatio,
                    Torch.threads(), device);
        }
    }

    /**
     * Runs the measurement.
     *
     * @param source source molecules (at least {@code batchSize})
     * @param target target molecules (at least {@code batchSize})
     * @param method the method to time (normally GEAR)
     * @param o options (sizes, batch size, geometry settings)
     * @param untimed repeats run first and not timed
     * @param timed repeats timed
     */
    public static Result run(List<MolGraph> source, List<MolGraph> target, TransferMethod method, TransferOptions o, int untimed,
            int timed, long seed) {
        return run(source, target, method, o, untimed, timed, seed, null, false);
    }

    /**
     * Runs the measurement with the three models, their batches and optimizer state on {@code device} (null: the
     * CPU); on a GPU each timed step ends when its kernels have finished (the wall clock is then the measure: the
     * CPU ratio only counts the host thread). With {@code profile} the method's step is also timed phase by phase
     * ({@link Result#phases()}; the laps add a few microseconds per phase).
     */
    public static Result run(List<MolGraph> source, List<MolGraph> target, TransferMethod method, TransferOptions o, int untimed,
            int timed, long seed, org.bytedeco.pytorch.Device device, boolean profile) {
        int bs = o.batchSize();
        if (source.size() < bs || target.size() < bs) {
            throw new IllegalArgumentException("need at least --batch-size (" + bs + ") molecules per task");
        }
        Torch.ensure();
        List<MolGraph> s = source.subList(0, bs);
        List<MolGraph> t = target.subList(0, bs);
        float[] y = new float[bs];
        float[] half = new float[bs];
        for (int i = 0; i < bs; i++) {
            y[i] = (float) Math.sin(i);
            half[i] = i % 2 == 0 ? (float) Math.cos(i) : Float.NaN;
        }
        PairData pair = new PairData(s, y, half, t, y, half, List.of(), new double[0]);
        PairData onlyT = new PairData(List.of(), new float[0], new float[0], t, y, half, List.of(), new double[0]);
        PairData onlyS = new PairData(List.of(), new float[0], new float[0], s, y, half, List.of(), new double[0]);
        StandardScaler unit = new StandardScaler(new double[] {0}, new double[] {1});
        TransferModel mm = new TransferModel(method, o, seed, unit, unit, "s", "t", Provenance.now("", seed));
        TransferModel stlT = new TransferModel(Methods.get("stl"), o, seed + 1, null, unit, "s", "t", Provenance.now("", seed));
        TransferModel stlS = new TransferModel(Methods.get("stl"), o, seed + 2, null, unit, "s", "t", Provenance.now("", seed));
        boolean gpu = device != null && !device.is_cpu();
        if (gpu) {
            mm.to(device);
            stlT.to(device);
            stlS.to(device);
        }
        Stepper a = new Stepper(mm, pair, true, gpu);
        PhaseTimer timer = profile ? new PhaseTimer() : null;
        a.trainer.profile(timer);
        Stepper b = new Stepper(stlT, onlyT, false, gpu);
        Stepper c = new Stepper(stlS, onlyS, false, gpu);
        int idx = 0;
        for (int r = 0; r < untimed; r++) {
            a.step(idx);
            b.step(idx);
            c.step(idx);
            idx++;
        }
        if (timer != null) {
            timer.reset();
        }
        double[][] wall = new double[3][timed];
        double[][] cpu = new double[3][timed];
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean cpuOk = mx.isCurrentThreadCpuTimeSupported();
        Stepper[] st = {a, b, c};
        for (int r = 0; r < timed; r++) {
            for (int k = 0; k < 3; k++) {
                long c0 = cpuOk ? mx.getCurrentThreadCpuTime() : 0;
                long t0 = System.nanoTime();
                st[k].step(idx);
                wall[k][r] = (System.nanoTime() - t0) / 1e9;
                cpu[k][r] = cpuOk ? (mx.getCurrentThreadCpuTime() - c0) / 1e9 : Double.NaN;
            }
            idx++;
        }
        double m = median(wall[0]);
        double tt = median(wall[1]);
        double ss = median(wall[2]);
        double cr = cpuOk ? median(cpu[0]) / (median(cpu[1]) + median(cpu[2])) : Double.NaN;
        Map<String, double[]> phases = new LinkedHashMap<>();
        if (timer != null) {
            timer.totals().forEach((k, v) -> phases.put(k, new double[] {v[0] * 1e3 / timed, v[1] * 1e3 / timed}));
        }
        return new Result(method, o, m, tt, ss, m / (tt + ss), cr, gpu ? device.str().getString() : "cpu", phases);
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }

    /** Runs optimizer steps of one model on fixed molecules. */
    private static final class Stepper {
        private final TransferTrainer trainer;
        private final Params params;
        private final Adam adam;
        private final PairData data;
        private final int[] ti;
        private final int[] si;
        private final boolean synchronize;

        Stepper(TransferModel m, PairData d, boolean paired, boolean synchronize) {
            this.synchronize = synchronize;
            this.trainer = new TransferTrainer(m, m.seed(), null);
            this.params = m.method().trainsBothTasks() ? m.params() : m.params(Task.TARGET);
            this.adam = new Adam(params, 1e-4);
            this.data = d;
            this.ti = range(d.targetGraphs().size());
            this.si = paired ? range(d.sourceGraphs().size()) : new int[0];
        }

        void step(long i) {
            trainer.step(params, adam, data, ti, si, i, 0, 0, 0.0);
            if (synchronize) {
                // reading a value of the updated weights waits for the step's kernels (the optimizer's included)
                try (org.bytedeco.javacpp.PointerScope s = new org.bytedeco.javacpp.PointerScope()) {
                    gear.nn.Tensors.toDoubles(params.asMap().values().iterator().next().sum());
                }
            }
        }

        private static int[] range(int n) {
            int[] r = new int[n];
            for (int i = 0; i < n; i++) {
                r[i] = i;
            }
            return r;
        }
    }
}
