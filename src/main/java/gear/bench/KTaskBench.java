package gear.bench;

import gear.chem.MolGraph;
import gear.data.StandardScaler;
import gear.nn.Adam;
import gear.nn.Params;
import gear.nn.Torch;
import gear.train.Provenance;
import gear.transfer.Methods;
import gear.transfer.PairData;
import gear.transfer.Task;
import gear.transfer.TransferModel;
import gear.transfer.TransferOptions;
import gear.transfer.TransferTrainer;
import gear.transfer.ktask.KTaskData;
import gear.transfer.ktask.KTaskModel;
import gear.transfer.ktask.KTaskTrainer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Cost of one k-task GEAR step ({@link KTaskTrainer}) against k independent STL steps (issue 17; library side of
 * {@code gear bench train --method gear --tasks 2,3,4}).
 *
 * <p>Task τ gets its own {@code batchSize} molecules. Per repeat, back to back on the same molecules so that
 * load from other processes hits them alike: one k-task GEAR step on the batch of k · batchSize molecules (every
 * molecule through every one of the k networks), then k STL steps, one per task on its batchSize molecules. The
 * ratio is median(GEAR step) / Σ_τ median(STL step τ), from wall-clock and from the calling thread's CPU time (with
 * {@code --threads} N &gt; 1 both steps run their D-MPNN passes on N data-parallel lanes, whose other threads' CPU time
 * that ratio leaves out: compare the wall-clock ratio there).
 * Labels are synthetic (they do not change the cost).
 */
public final class KTaskBench {
    private KTaskBench() {}

    /**
     * @param k tasks
     * @param gearStep wall seconds of one k-task GEAR step (median)
     * @param stlSteps wall seconds of the k STL steps (sum of medians)
     * @param ratio gearStep / stlSteps
     * @param cpuRatio the same from thread CPU time (NaN where unsupported)
     */
    public record Result(int k, TransferOptions options, double gearStep, double stlSteps, double ratio, double cpuRatio) {
        /** @return one JSON object (a line of {@code gear bench} output) */
        public String toJson() {
            return String.format(Locale.ROOT, "{\"bench\":\"ktask_step\",\"method\":\"gear\",\"tasks\":%d,\"latent_size\":%d,"
                    + "\"common_size\":%d,\"curv_subset\":%d,\"curv_route\":\"%s\",\"perturbations\":%d,\"batch_size\":%d,"
                    + "\"hidden_size\":%d,\"gear_step_s\":%.5f,\"stl_steps_s\":%.5f,\"ratio\":%.3f,\"cpu_ratio\":%.3f,"
                    + "\"threads\":%d}", k, options.latentSize(), options.commonSize(), options.curvSubset(),
                    options.curvRoute().name().toLowerCase(Locale.ROOT), options.perturbations(), options.batchSize(),
                    options.hiddenSize(), gearStep, stlSteps, ratio, cpuRatio, Torch.threads());
        }
    }

    /**
     * Runs the measurement for k tasks.
     *
     * @param molecules at least k · batchSize molecules (task τ gets the τ-th block of batchSize)
     */
    public static Result run(List<MolGraph> molecules, int k, TransferOptions o, int untimed, int timed, long seed) {
        int bs = o.batchSize();
        if (k < 2) {
            throw new IllegalArgumentException("--tasks must be at least 2, got " + k);
        }
        if (molecules.size() < k * bs) {
            throw new IllegalArgumentException("need at least " + k + " · --batch-size = " + k * bs + " molecules, got "
                    + molecules.size());
        }
        Torch.ensure();
        StandardScaler unit = new StandardScaler(new double[] {0}, new double[] {1});
        List<String> names = new ArrayList<>();
        List<List<MolGraph>> graphs = new ArrayList<>();
        List<float[][]> labels = new ArrayList<>();
        List<StandardScaler> scalers = new ArrayList<>();
        int[] rows = new int[bs];
        for (int i = 0; i < bs; i++) {
            rows[i] = i;
        }
        int[][] all = new int[k][];
        for (int t = 0; t < k; t++) {
            names.add("task" + t);
            graphs.add(molecules.subList(t * bs, (t + 1) * bs));
            float[][] y = new float[k][bs];
            for (int s = 0; s < k; s++) {
                for (int i = 0; i < bs; i++) {
                    y[s][i] = s == t || i % 2 == 0 ? (float) Math.sin(i + s) : Float.NaN;
                }
            }
            labels.add(y);
            scalers.add(unit);
            all[t] = rows;
        }
        KTaskData data = new KTaskData(names, k - 1, graphs, labels, List.of(), new double[0]);
        KTaskModel gm = new KTaskModel(o, seed, names, k - 1, scalers);
        KTaskTrainer gt = new KTaskTrainer(gm, seed, null);
        Adam ga = new Adam(gm.params(), 1e-4);
        List<Runnable> steppers = new ArrayList<>();
        long[] step = {0};
        steppers.add(() -> gt.step(ga, data, all, step[0], 0));
        for (int t = 0; t < k; t++) {
            float[] y = labels.get(t)[t];
            PairData only = new PairData(List.of(), new float[0], new float[0], graphs.get(t), y, y, List.of(), new double[0]);
            TransferModel stl = new TransferModel(Methods.get("stl"), o, seed + 1 + t, null, unit, "s", "t",
                    Provenance.now("", seed));
            TransferTrainer tr = new TransferTrainer(stl, seed, null);
            Params p = stl.params(Task.TARGET);
            Adam a = new Adam(p, 1e-4);
            steppers.add(() -> tr.step(p, a, only, rows, new int[0], step[0], 0, 0, 0.0));
        }
        for (int r = 0; r < untimed; r++, step[0]++) {
            steppers.forEach(Runnable::run);
        }
        int m = steppers.size();
        double[][] wall = new double[m][timed];
        double[][] cpu = new double[m][timed];
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean cpuOk = mx.isCurrentThreadCpuTimeSupported();
        for (int r = 0; r < timed; r++, step[0]++) {
            for (int j = 0; j < m; j++) {
                long c0 = cpuOk ? mx.getCurrentThreadCpuTime() : 0;
                long t0 = System.nanoTime();
                steppers.get(j).run();
                wall[j][r] = (System.nanoTime() - t0) / 1e9;
                cpu[j][r] = cpuOk ? (mx.getCurrentThreadCpuTime() - c0) / 1e9 : Double.NaN;
            }
        }
        double g = median(wall[0]);
        double s = 0;
        double gc = median(cpu[0]);
        double sc = 0;
        for (int j = 1; j < m; j++) {
            s += median(wall[j]);
            sc += median(cpu[j]);
        }
        return new Result(k, o, g, s, g / s, cpuOk ? gc / sc : Double.NaN);
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
    }
}
