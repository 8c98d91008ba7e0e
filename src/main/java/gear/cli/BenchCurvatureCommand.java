package gear.cli;

import gear.bench.CurvatureBenchmark;
import gear.bench.CurvatureInterleaved;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gear bench curvature}: time and peak memory of the Ricci scalar and its weight gradient for
 * the nested-autograd baseline and the analytic routes; see {@link CurvatureBenchmark}; with
 * {@code --interleave N}, interleaved A/B timing of the routes in one JVM ({@link CurvatureInterleaved}).
 */
@Command(name = "curvature", mixinStandardHelpOptions = true,
        description = "Time and memory of curvature (R and its weight gradient): analytic routes vs nested autograd. "
                + "One JSON object per measurement on stdout; each measurement runs in a fresh child JVM.")
final class BenchCurvatureCommand implements Callable<Integer> {
    @Option(names = "--sizes", split = ",", defaultValue = "1,8,64,512", description = "data sizes (points per batch)")
    int[] sizes;

    @Option(names = "--dims", split = ",", defaultValue = "16/32,50/64", description = "d_z/d_M pairs")
    String[] dims;

    @Option(names = "--repeats", defaultValue = "3", description = "measured repeats per configuration (median reported)")
    int repeats;

    @Option(names = "--routes", split = ",", defaultValue = "autograd,intrinsic,gauss",
            description = "autograd, intrinsic, gauss-dense (Gauss formula on H, the reference), gauss (rank-one factors, the default of training)")
    List<String> routes;

    @Option(names = "--interleave", defaultValue = "0", paramLabel = "ROUNDS",
            description = "instead of one child per measurement: one child per (dims, size) running the routes in turn for ROUNDS rounds "
                    + "(order rotated), reporting per-route times and per-round ratios to the first route, and the matmul rate; no memory")
    int interleave;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--timeout", defaultValue = "300", description = "seconds per measurement before it is reported skipped")
    int timeout;

    @Option(names = "--max-rss-gb", defaultValue = "8", description = "memory cap (GiB of child RSS) before a measurement is reported skipped")
    double maxRss;

    @Option(names = "--seed", defaultValue = "0", description = "seed of weights and points")
    long seed;

    @Option(names = "--matmul-size", defaultValue = "2048", description = "n of the n×n float32 matmul whose GFLOP/s is measured for comparison")
    int matmulSize;

    @Override
    public Integer call() throws Exception {
        if (repeats < 1 || timeout < 1 || maxRss <= 0 || matmulSize < 1) {
            throw new IllegalArgumentException("--repeats, --timeout, --max-rss-gb and --matmul-size must be positive");
        }
        for (int s : sizes) {
            if (s < 1) {
                throw new IllegalArgumentException("--sizes must be positive, got " + Arrays.toString(sizes));
            }
        }
        List<int[]> d = new ArrayList<>();
        for (String p : dims) {
            String[] f = p.trim().split("/");
            try {
                int dz = Integer.parseInt(f[0]);
                int dm = Integer.parseInt(f[1]);
                if (f.length != 2 || dz < 1 || dm <= dz) {
                    throw new IllegalArgumentException();
                }
                d.add(new int[] {dz, dm});
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--dims entry '" + p + "': expected d_z/d_M with 0 < d_z < d_M");
            }
        }
        String device = DeviceOption.value(spec.commandLine()); // --device: where the tensors live
        if (!DeviceOption.isCpu(device)) {
            gear.nn.Torch.init(1);
            gear.nn.Torch.device(device); // refuses cuda without a usable GPU (exit 2)
        }
        CurvatureBenchmark.Config c = new CurvatureBenchmark.Config(sizes, d.toArray(new int[0][]), repeats, routes,
                timeout, maxRss, seed, matmulSize, device);
        if (interleave > 0) {
            CurvatureInterleaved.run(c, interleave, System.out, System.err);
        } else {
            CurvatureBenchmark.run(c, System.out, System.err);
        }
        return 0;
    }
}
