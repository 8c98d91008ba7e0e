package gear.bench;

import gear.geometry.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.geometry.Curvature.Options;
import gear.geometry.Curvature.Route;
import gear.nn.Params;
import gear.nn.Tensors;
import gear.nn.Torch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Time and peak memory of the Ricci scalar and its weight gradient (forward + backward), for the
 * nested-autograd baseline, the analytic intrinsic route and the analytic Gauss route
 * ({@code gear bench curvature}; GEAR, Ko et al., arXiv 2506.13015, reports ~85× less memory than
 * autograd for the analytic route at data size 1).
 *
 * <p>Workload per measurement: a float32 SiLU MLP d_z → d_M → d_M (one hidden layer of width d_M),
 * B latent points z ~ N(0, I), loss = mean(R²) over the batch, one backward pass to the weights,
 * 1 libtorch/OpenBLAS thread. Routes: {@code autograd} = J, H, T by repeated
 * {@code autograd::grad(create_graph=true)} ({@link AutogradDerivatives}) then the intrinsic
 * formula; {@code intrinsic} = analytic J, H, T ({@link MlpDerivatives}) then the intrinsic formula;
 * {@code gauss-dense} = analytic J, H then the Gauss formula on H (the reference route);
 * {@code gauss} = the Gauss formula on the MLP's rank-one factors ({@link MlpGaussCurvature}, the
 * default of training). With a CUDA device the tensors live on the GPU; peak memory is then host RSS only.
 * {@link CurvatureInterleaved} alternates routes in one JVM for A/B ratios.
 *
 * <p><b>Memory method</b> (identical for all routes): each measurement runs in a fresh child JVM
 * (heap fixed and pre-touched: {@code -Xms1g -Xmx1g -XX:+AlwaysPreTouch}; glibc told to return
 * every block of 64 KiB or more to the system when freed: {@code MALLOC_MMAP_THRESHOLD_=65536},
 * {@code MALLOC_TRIM_THRESHOLD_=0}, {@code MALLOC_ARENA_MAX=1}). The child warms up on a tiny
 * problem three times (same route and depth, d_z = 2, d_M = 3, B = 1), then resets the kernel's peak-RSS counter
 * (writes 5 to {@code /proc/self/clear_refs}), reads VmRSS as the baseline, runs the measured
 * repeats and reads VmHWM; peak memory = VmHWM − baseline. The parent polls the child's VmRSS and
 * kills it above a memory cap or after a time limit, reporting the measurement as skipped.
 */
public final class CurvatureBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double PAGE = 4096;

    private CurvatureBenchmark() {}

    /** What to measure. */
    public record Config(int[] sizes, int[][] dims, int repeats, List<String> routes, int timeoutSeconds,
            double maxRssGiB, long seed, int matmulSize, String device) {}

    /** The routes, in the order they are measured by default. */
    public static final List<String> ROUTES = List.of("autograd", "intrinsic", "gauss-dense", "gauss");

    /**
     * Runs every measurement in a child JVM and prints one JSON object per measurement, a matmul
     * rate measurement and one summary object per (size, dims) on {@code out}.
     */
    public static void run(Config c, PrintStream out, PrintStream log) throws IOException, InterruptedException {
        for (String r : c.routes()) {
            if (!ROUTES.contains(r)) {
                throw new IllegalArgumentException("unknown route '" + r + "': expected one of " + ROUTES);
            }
        }
        ObjectNode mm = child(List.of("matmul", Integer.toString(c.matmulSize()), c.device()), c, log);
        mm.put("bench", "matmul");
        out.println(JSON.writeValueAsString(mm));
        double matmulGflops = mm.path("gflops").asDouble(Double.NaN);
        for (int[] d : c.dims()) {
            Map<String, Boolean> skipped = new HashMap<>();
            for (int size : c.sizes()) {
                Map<String, ObjectNode> row = new HashMap<>();
                for (String route : c.routes()) {
                    ObjectNode m;
                    if (skipped.getOrDefault(route, false)) {
                        m = JSON.createObjectNode();
                        m.put("status", "skipped (exceeded the limit at a smaller size)");
                    } else {
                        log.printf("bench curvature: route %s, size %d, d_z/d_M %d/%d ...%n", route, size, d[0], d[1]);
                        m = child(List.of("measure", route, Integer.toString(size), Integer.toString(d[0]),
                                Integer.toString(d[1]), Integer.toString(c.repeats()), Long.toString(c.seed()), c.device()), c, log);
                        if (!"ok".equals(m.path("status").asText())) {
                            skipped.put(route, true);
                        }
                    }
                    m.put("bench", "curvature");
                    m.put("route", route);
                    m.put("size", size);
                    m.put("d_z", d[0]);
                    m.put("d_M", d[1]);
                    if (m.has("gflops_forward") && matmulGflops > 0) {
                        m.put("fraction_of_matmul_rate", m.get("gflops_forward").asDouble() / matmulGflops);
                        m.put("dense_equivalent_fraction_of_matmul_rate",
                                m.get("dense_equivalent_gflops_forward").asDouble() / matmulGflops);
                    }
                    out.println(JSON.writeValueAsString(m));
                    out.flush();
                    row.put(route, m);
                }
                out.println(JSON.writeValueAsString(summary(row, size, d)));
            }
        }
    }

    private static ObjectNode summary(Map<String, ObjectNode> row, int size, int[] d) {
        ObjectNode s = JSON.createObjectNode();
        s.put("bench", "curvature-summary");
        s.put("size", size);
        s.put("d_z", d[0]);
        s.put("d_M", d[1]);
        ObjectNode a = row.get("autograd");
        for (String r : List.of("intrinsic", "gauss-dense", "gauss")) {
            ObjectNode m = row.get(r);
            if (a != null && m != null && "ok".equals(a.path("status").asText()) && "ok".equals(m.path("status").asText())) {
                double mb = m.get("peak_bytes").asDouble();
                s.put("memory_ratio_autograd_over_" + r, a.get("peak_bytes").asDouble() / Math.max(PAGE, mb));
                if (mb < PAGE) {
                    s.put("memory_note_" + r, "analytic peak below one 4 KiB page: ratio computed against one page, a lower bound");
                }
                s.put("speedup_" + r + "_over_autograd", a.get("total_ms_median").asDouble() / m.get("total_ms_median").asDouble());
            }
        }
        return s;
    }

    /** Starts a child JVM running {@link #main} with the arguments; returns its JSON or a skip status. */
    static ObjectNode child(List<String> args, Config c, PrintStream log) throws IOException, InterruptedException {
        return child(args, c, log, true);
    }

    /**
     * @param memorySettings the glibc settings of the memory method (every freed block ≥ 64 KiB goes back
     *     to the system, so allocation-heavy code also pays page faults); off for pure timing
     */
    static ObjectNode child(List<String> args, Config c, PrintStream log, boolean memorySettings)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(List.of("-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED", "-Dgear.threads=1",
                // JavaCPP's own native-memory limit (a multiple of -Xmx) would stop big runs before the cap
                "-Dorg.bytedeco.javacpp.maxBytes=0", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0", "-cp", System.getProperty("java.class.path"),
                CurvatureBenchmark.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        if (memorySettings) {
            env.put("MALLOC_MMAP_THRESHOLD_", "65536");
            env.put("MALLOC_TRIM_THRESHOLD_", "0");
            env.put("MALLOC_ARENA_MAX", "1");
        } else {
            gear.nn.Malloc.apply(env); // timing children run as gear's other JVMs
        }
        env.put("OMP_NUM_THREADS", "1");
        env.put("OPENBLAS_NUM_THREADS", "1");
        env.put("MKL_NUM_THREADS", "1");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        StringBuilder stdout = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (stdout) {
                        stdout.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // the child was killed
            }
        });
        reader.start();
        long start = System.nanoTime();
        long capBytes = (long) (c.maxRssGiB() * (1L << 30));
        long maxSeen = 0;
        String killed = null;
        while (p.isAlive()) {
            long rss = rssBytes(p.pid());
            maxSeen = Math.max(maxSeen, rss);
            if (rss > capBytes) {
                killed = String.format("skipped (exceeds memory cap %.1f GiB)", c.maxRssGiB());
            } else if (System.nanoTime() - start > c.timeoutSeconds() * 1_000_000_000L) {
                killed = "skipped (exceeds " + c.timeoutSeconds() + " s)";
            }
            if (killed != null) {
                p.destroyForcibly();
                p.waitFor();
                break;
            }
            Thread.sleep(20);
        }
        reader.join();
        ObjectNode res;
        if (killed != null) {
            res = JSON.createObjectNode();
            res.put("status", killed);
            res.put("elapsed_s_before_kill", (System.nanoTime() - start) / 1e9);
            res.put("child_rss_bytes_seen", maxSeen);
            log.println("bench curvature: " + killed);
            return res;
        }
        String text;
        synchronized (stdout) {
            text = stdout.toString().trim();
        }
        if (p.exitValue() != 0 || text.isEmpty()) {
            res = JSON.createObjectNode();
            res.put("status", "failed (child exit " + p.exitValue() + ")");
            return res;
        }
        String[] lines = text.split("\n");
        return (ObjectNode) JSON.readTree(lines[lines.length - 1]);
    }

    private static long rssBytes(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static long status(String key) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith(key + ":")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** n×n float32 matmul rate on the device, best of 3 (GFLOP/s). */
    static double matmulGflops(int n, Device device) {
        try (PointerScope outer = new PointerScope()) {
            Torch.seed(1);
            Tensor a = torch.randn(new long[] {n, n}).to(device, ScalarType.Float);
            Tensor b = torch.randn(new long[] {n, n}).to(device, ScalarType.Float);
            torch.matmul(a, b).sum().item_double();
            double best = Double.MAX_VALUE;
            for (int r = 0; r < 3; r++) {
                try (PointerScope s = new PointerScope()) {
                    long t0 = System.nanoTime();
                    torch.matmul(a, b).sum().item_double();
                    best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                }
            }
            return 2.0 * n * n * n / best / 1e9;
        }
    }

    /**
     * Child entry point: {@code matmul N DEVICE}, {@code measure ROUTE SIZE DZ DM REPEATS SEED DEVICE} or
     * {@code interleave ROUTES SIZE DZ DM ROUNDS SEED DEVICE MATMUL_N} ({@link CurvatureInterleaved}).
     */
    public static void main(String[] args) throws Exception {
        Torch.init(1);
        ObjectNode res = JSON.createObjectNode();
        if (args[0].equals("interleave")) {
            System.out.println(JSON.writeValueAsString(CurvatureInterleaved.measure(args)));
            return;
        }
        if (args[0].equals("matmul")) {
            int n = Integer.parseInt(args[1]);
            res.put("n", n);
            res.put("dtype", "float32");
            res.put("threads", 1);
            res.put("device", args[2]);
            res.put("gflops", matmulGflops(n, Torch.device(args[2])));
            res.put("status", "ok");
            System.out.println(JSON.writeValueAsString(res));
            return;
        }
        String route = args[1];
        int size = Integer.parseInt(args[2]);
        int dz = Integer.parseInt(args[3]);
        int dm = Integer.parseInt(args[4]);
        int repeats = Integer.parseInt(args[5]);
        long seed = Long.parseLong(args[6]);
        Device device = Torch.device(args[7]);
        // warm-up on a tiny problem of the same kind
        Net tiny = build(2, 3, seed, device);
        for (int w = 0; w < 3; w++) {
            once(route, tiny, 1, seed, null);
        }
        System.gc();
        Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        long baseline = status("VmRSS");
        Net net = build(dz, dm, seed, device);
        double[] fwd = new double[repeats];
        double[] tot = new double[repeats];
        int done = 0;
        long budgetStart = System.nanoTime();
        for (int r = 0; r < repeats; r++) {
            double[] t = new double[2];
            once(route, net, size, seed + r, t);
            fwd[r] = t[0];
            tot[r] = t[1];
            done++;
            if ((System.nanoTime() - budgetStart) / 1e9 > 60) { // slow configurations: fewer repeats
                break;
            }
        }
        long peak = status("VmHWM");
        fwd = Arrays.copyOf(fwd, done);
        tot = Arrays.copyOf(tot, done);
        res.put("status", "ok");
        res.put("dtype", "float32");
        res.put("threads", 1);
        res.put("device", args[7]);
        res.put("widths", dz + "-" + dm + "-" + dm);
        res.put("repeats", done);
        res.put("forward_ms_median", median(fwd));
        res.put("total_ms_median", median(tot));
        res.put("total_ms_min", Arrays.stream(tot).min().orElse(Double.NaN));
        res.put("baseline_rss_bytes", baseline);
        res.put("peak_bytes", peak - baseline);
        if (route.startsWith("gauss")) {
            double dense = CurvatureFlops.denseGaussPerPoint(dz, dm) * size;
            double flops = route.equals("gauss") ? CurvatureFlops.rankOneGaussPerPoint(dz, dm) * size : dense;
            res.put("flops_forward", flops);
            res.put("gflops_forward", flops / (median(fwd) / 1e3) / 1e9);
            // the rate the dense route's FLOP count implies at this time (the yardstick)
            res.put("dense_equivalent_gflops_forward", dense / (median(fwd) / 1e3) / 1e9);
        }
        System.out.println(JSON.writeValueAsString(res));
    }

    record Net(Params params, SiluMlp mlp) {}

    /** The benchmark's float32 MLP d_z → d_M → d_M, seeded on the CPU, then copied to the device. */
    static Net build(int dz, int dm, long seed, Device device) {
        Torch.seed(seed);
        Params p = new Params();
        SiluMlp cpu = new SiluMlp(p, "phi", new int[] {dz, dm, dm}, ScalarType.Float);
        if (device.is_cpu()) {
            return new Net(p, cpu);
        }
        Params q = new Params();
        return new Net(q, cpu.copyTo(q, "phi", device));
    }

    /** One forward + backward; t (if not null) receives forward ms and total ms. */
    static void once(String route, Net net, int size, long seed, double[] t) {
        try (PointerScope s = new PointerScope()) {
            net.params().zeroGrad();
            Torch.seed(seed + 1000);
            Tensor z = torch.randn(new long[] {size, net.mlp().inDim()}).to(net.mlp().weight(0).device(), ScalarType.Float);
            long t0 = System.nanoTime();
            Options opt = Options.defaults(ScalarType.Float);
            CurvatureResult r = switch (route) {
                case "autograd" -> Curvature.ricciScalar(AutogradDerivatives.of(net.mlp()), z, Route.INTRINSIC, opt);
                case "intrinsic" -> Curvature.ricciScalar(new MlpDerivatives(net.mlp()), z, Route.INTRINSIC, opt);
                case "gauss-dense" -> Curvature.ricciScalar(new MlpDerivatives(net.mlp()).derivatives(z, 2), Route.GAUSS, opt);
                case "gauss" -> MlpGaussCurvature.ricciScalar(net.mlp(), z, opt);
                default -> throw new IllegalArgumentException("unknown route " + route);
            };
            Tensor loss = r.scalar().square().mean();
            loss.item_double(); // forces the forward computation
            long t1 = System.nanoTime();
            loss.backward();
            Tensors.toDoubles(net.mlp().weight(0).grad().sum());
            long t2 = System.nanoTime();
            if (t != null) {
                t[0] = (t1 - t0) / 1e6;
                t[1] = (t2 - t0) / 1e6;
            }
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
