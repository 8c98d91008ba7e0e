package gear.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.nn.Torch;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.pytorch.Device;

/**
 * Interleaved A/B timing of curvature routes in one JVM ({@code gear bench curvature --interleave N}):
 * the routes run in turn, N rounds, the order rotated every round, on the same MLP and the same points
 * of each round; the n×n float32 matmul rate is measured before and after in the same process. For a
 * noisy (shared) machine the per-round ratio first-route time / route time is the quantity to read; its
 * median, min and max are reported with each route's forward + backward median, min and max.
 * Memory is not measured here (see {@link CurvatureBenchmark}), and the child runs with glibc's default
 * allocator settings (the memory method's settings return every freed block ≥ 64 KiB to the system, which
 * adds page faults to allocation-heavy routes).
 */
public final class CurvatureInterleaved {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CurvatureInterleaved() {}

    /** One child JVM per (dims, size); prints one JSON object each on {@code out}. */
    public static void run(CurvatureBenchmark.Config c, int rounds, PrintStream out, PrintStream log)
            throws IOException, InterruptedException {
        for (String r : c.routes()) {
            if (!CurvatureBenchmark.ROUTES.contains(r)) {
                throw new IllegalArgumentException("unknown route '" + r + "': expected one of " + CurvatureBenchmark.ROUTES);
            }
        }
        for (int[] d : c.dims()) {
            for (int size : c.sizes()) {
                log.printf("bench curvature --interleave: routes %s, size %d, d_z/d_M %d/%d ...%n", c.routes(), size, d[0], d[1]);
                ObjectNode m = CurvatureBenchmark.child(List.of("interleave", String.join(",", c.routes()),
                        Integer.toString(size), Integer.toString(d[0]), Integer.toString(d[1]), Integer.toString(rounds),
                        Long.toString(c.seed()), c.device(), Integer.toString(c.matmulSize())), c, log, false);
                m.put("bench", "curvature-interleaved");
                m.put("size", size);
                m.put("d_z", d[0]);
                m.put("d_M", d[1]);
                out.println(JSON.writeValueAsString(m));
                out.flush();
            }
        }
    }

    /** Child side: {@code interleave ROUTES SIZE DZ DM ROUNDS SEED DEVICE MATMUL_N}. */
    static ObjectNode measure(String[] args) {
        List<String> routes = Arrays.asList(args[1].split(","));
        int size = Integer.parseInt(args[2]);
        int dz = Integer.parseInt(args[3]);
        int dm = Integer.parseInt(args[4]);
        int rounds = Integer.parseInt(args[5]);
        long seed = Long.parseLong(args[6]);
        Device device = Torch.device(args[7]);
        int mmN = Integer.parseInt(args[8]);
        CurvatureBenchmark.Net net = CurvatureBenchmark.build(dz, dm, seed, device);
        for (String r : routes) { // warm-up at the measured size
            CurvatureBenchmark.once(r, net, size, seed, null);
        }
        double mmBefore = CurvatureBenchmark.matmulGflops(mmN, device);
        int k = routes.size();
        double[][] fwd = new double[k][rounds];
        double[][] tot = new double[k][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < k; i++) {
                int idx = (i + r) % k;
                double[] t = new double[2];
                CurvatureBenchmark.once(routes.get(idx), net, size, seed + r, t);
                fwd[idx][r] = t[0];
                tot[idx][r] = t[1];
            }
        }
        double mmAfter = CurvatureBenchmark.matmulGflops(mmN, device);
        double mm = (mmBefore + mmAfter) / 2;
        ObjectNode res = JSON.createObjectNode();
        res.put("status", "ok");
        res.put("device", args[7]);
        res.put("dtype", "float32");
        res.put("threads", 1);
        res.put("rounds", rounds);
        res.put("matmul_gflops_before", mmBefore);
        res.put("matmul_gflops_after", mmAfter);
        List<String> order = new ArrayList<>(routes);
        for (int i = 0; i < k; i++) {
            String r = order.get(i);
            ObjectNode o = res.putObject(r);
            o.put("forward_ms_median", CurvatureBenchmark.median(fwd[i]));
            o.put("total_ms_median", CurvatureBenchmark.median(tot[i]));
            o.put("total_ms_min", Arrays.stream(tot[i]).min().orElse(Double.NaN));
            o.put("total_ms_max", Arrays.stream(tot[i]).max().orElse(Double.NaN));
            if (r.startsWith("gauss")) {
                double dense = CurvatureFlops.denseGaussPerPoint(dz, dm) * size;
                double own = r.equals("gauss") ? CurvatureFlops.rankOneGaussPerPoint(dz, dm) * size : dense;
                double fs = CurvatureBenchmark.median(fwd[i]) / 1e3;
                double ts = CurvatureBenchmark.median(tot[i]) / 1e3;
                o.put("gflops_forward", own / fs / 1e9);
                o.put("fraction_of_matmul_rate_forward", own / fs / 1e9 / mm);
                // forward + backward counted as 3× the forward FLOPs
                o.put("fraction_of_matmul_rate_total", 3 * own / ts / 1e9 / mm);
                o.put("dense_equivalent_fraction_of_matmul_rate_total", 3 * dense / ts / 1e9 / mm);
            }
            if (i > 0) {
                double[] ratio = new double[rounds];
                for (int r2 = 0; r2 < rounds; r2++) {
                    ratio[r2] = tot[0][r2] / tot[i][r2];
                }
                o.put("ratio_" + order.get(0) + "_over_this_median", CurvatureBenchmark.median(ratio));
                o.put("ratio_" + order.get(0) + "_over_this_min", Arrays.stream(ratio).min().orElse(Double.NaN));
                o.put("ratio_" + order.get(0) + "_over_this_max", Arrays.stream(ratio).max().orElse(Double.NaN));
            }
        }
        return res;
    }
}
