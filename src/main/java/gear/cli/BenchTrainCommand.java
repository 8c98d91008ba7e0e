package gear.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.chem.Chem;
import gear.chem.MolGraph;
import gear.data.BadInputException;
import gear.data.CsvLoader;
import gear.data.DataDirs;
import gear.data.FeatureCache;
import gear.data.InvalidPolicy;
import gear.data.MoleculeDataset;
import gear.nn.DmpnnConfig;
import gear.nn.Torch;
import gear.bench.TrainBench;
import gear.train.TrainFlops;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gear bench train}: training throughput (molecules/second over steady-state epochs,
 * featurization excluded) and peak RSS of the default D-MPNN, per data set and thread count, each
 * measurement in a fresh child JVM (so that peak RSS is its own); plus, once, the float32 GEMM rate
 * of the machine and the resulting FLOP floor ({@link TrainFlops}). One JSON object per measurement
 * on stdout.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Training throughput (molecules/s, steady state, featurization excluded) and peak RSS of the "
                + "default D-MPNN; one JSON object per measurement on stdout; each measurement in a child JVM.",
            "Default inputs: esol_delaney_logS.csv (ESOL-sized) and the first --molecules rows of "
                    + "nist_tde_boiling_point.csv, found in --data-dir."})
final class BenchTrainCommand implements Callable<Integer> {
    static final List<String> DEFAULT_FILES = List.of("esol_delaney_logS.csv", "nist_tde_boiling_point.csv");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--data-dir", paramLabel = "DIR", description = "where the default inputs are (default: $GEAR_DATA, else ../shared/data)")
    Path dataDir;

    @Option(names = {"-i", "--input"}, arity = "1..*", paramLabel = "CSV",
            description = "CSV files (SMILES first column, first numeric column as target); default: " + "ESOL and NIST Tb")
    List<Path> inputs;

    @Option(names = "--molecules", defaultValue = "10000", paramLabel = "N", description = "use at most the first N molecules of each file (default: ${DEFAULT-VALUE})")
    int molecules;

    @Option(names = "--epochs", defaultValue = "3", paramLabel = "N", description = "timed epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--warmup-epochs", defaultValue = "1", paramLabel = "N", description = "untimed epochs first (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--threads", split = ",", defaultValue = "1,2", paramLabel = "N,N",
            description = "thread counts: data-parallel lanes of the training step, as --threads of train and transfer "
                    + "(default: ${DEFAULT-VALUE})")
    int[] threads;

    @Option(names = "--repeats", defaultValue = "1", paramLabel = "N", description = "child runs per configuration (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--batch-size", defaultValue = "50", paramLabel = "N", description = "batch size (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--hidden-size", defaultValue = "300", paramLabel = "N", description = "hidden size (default: ${DEFAULT-VALUE})")
    int hiddenSize;

    @Option(names = "--method", defaultValue = "dmpnn", paramLabel = "M",
            description = {"what to train: dmpnn (single-task D-MPNN throughput; default), or a transfer method (stl, mtl, "
                    + "finetune, kd, gspkd, gate, gear): the cost of one step of that method on a 50 + 50 molecule pair "
                    + "against two independent STL steps (source and target), measured in one run.",
                "For a transfer method, -i takes SOURCE.csv TARGET.csv; default: the demo pair, generated. --device cuda "
                        + "trains the D-MPNN (dmpnn) or runs the three models' steps (a transfer method) on the GPU."})
    String method;

    @Option(names = "--steps", defaultValue = "15", paramLabel = "N",
            description = "timed steps per model for a transfer method, after 3 untimed (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--tasks", split = ",", paramLabel = "K,K",
            description = "with --method gear: the k-task GEAR step against k independent STL steps for each k "
                    + "(e.g. 2,3,4; task k gets its own --batch-size molecules of the first file)")
    int[] tasks;

    @Option(names = "--gemm-seconds", defaultValue = "3", paramLabel = "S", description = "seconds of the GEMM-rate measurement; 0 = skip")
    double gemmSeconds;

    @Option(names = "--profile", description = "also report the mean wall and CPU milliseconds per step of each phase of "
            + "a training step (batch wait, batch tensors, forward and backward blocks, Adam, ...) as \"phases_ms\"; "
            + "with a transfer method, of the method's step (D-MPNN forward and backward, each loss term, autograd "
            + "backward, Adam, ...)")
    boolean profile;

    @Option(names = "--child", hidden = true, description = "internal: run one measurement in this JVM")
    boolean child;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The device of the measurement ({@code --device}; cpu by default). */
    private String device;

    @Override
    public Integer call() throws Exception {
        if (epochs < 1 || warmup < 0 || repeats < 1 || molecules < 1 || batchSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("--epochs, --repeats, --molecules, --batch-size, --hidden-size must be positive");
        }
        for (int t : threads) {
            if (t < 1) {
                throw new IllegalArgumentException("--threads must be positive, got " + Arrays.toString(threads));
            }
        }
        // --device (gear.train.TrainOptions.DEVICE): where the D-MPNN or a transfer method's steps run (cuda without a
        // GPU: exit 2)
        device = DeviceOption.value(spec.commandLine());
        org.bytedeco.pytorch.Device dev = Torch.device(device);
        if (!DeviceOption.isCpu(device) && tasks != null) {
            throw new IllegalArgumentException("--device " + device + ": gear bench train times the k-task step on the CPU "
                    + "only; leave out --tasks to time a method's step on the device");
        }
        if (!method.equals("dmpnn")) {
            return transferStep(gear.transfer.Methods.get(method), dev);
        }
        List<Path> files = new ArrayList<>();
        if (inputs != null) {
            files.addAll(inputs);
        } else {
            Path dir = dataDir != null ? dataDir : System.getenv(DataDirs.ENV) != null ? DataDirs.resolve(null)
                    : Path.of("..", "shared", "data");
            DEFAULT_FILES.forEach(f -> files.add(dir.resolve(f)));
        }
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new BadInputException(f + ": input file not found (give -i FILE or --data-dir DIR)");
            }
        }
        if (child) {
            System.out.println(measure(files.get(0), threads[0]).toString());
            return 0;
        }
        if (gemmSeconds > 0) {
            for (int t : threads) {
                System.out.println(gemm(t).toString());
            }
        }
        for (Path f : files) {
            for (int t : threads) {
                for (int r = 0; r < repeats; r++) {
                    System.out.println(runChild(f, t));
                    System.out.flush();
                }
            }
        }
        return 0;
    }

    /** Float32 GEMM rate (2700×300 · 300×300, the W_h product of a 50-molecule batch) at t threads. */
    /** Cost of one step of a transfer method against two independent STL steps (gear.bench.TransferBench). */
    private int transferStep(gear.transfer.TransferMethod m, org.bytedeco.pytorch.Device dev) throws Exception {
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be positive, got " + steps);
        }
        List<Path> pair = new ArrayList<>();
        if (inputs != null) {
            if (inputs.size() != 2) {
                throw new IllegalArgumentException("--method " + method + " takes -i SOURCE.csv TARGET.csv");
            }
            pair.addAll(inputs);
        } else {
            Path tmp = Files.createTempDirectory("gear-bench-pair");
            gear.demo.DemoData.Result d = gear.demo.DemoData.generate(tmp, 0);
            pair.add(d.source().path());
            pair.add(d.target().path());
        }
        List<List<gear.chem.MolGraph>> graphs = new ArrayList<>();
        for (Path f : pair) {
            gear.data.MoleculeDataset ds = gear.data.CsvLoader.of(f).policy(gear.data.InvalidPolicy.SKIP).duplicates(gear.data.DuplicatePolicy.FIRST).load().dataset();
            List<gear.chem.MolGraph> g = new ArrayList<>();
            int kMax = tasks == null ? 4 : Math.max(4, Arrays.stream(tasks).max().orElse(4));
            for (int i = 0; i < Math.min(ds.size(), kMax * batchSize); i++) {
                g.add(ds.graph(i));
            }
            graphs.add(g);
        }
        gear.transfer.TransferOptions d = gear.transfer.TransferOptions.defaults();
        gear.transfer.TransferOptions o = d.with(gear.transfer.TransferSchema.HIDDEN_SIZE, hiddenSize)
                .with(gear.train.TrainOptions.BATCH_SIZE, batchSize);
        if (tasks != null) {
            return kTaskStep(graphs.get(0), o);
        }
        for (int t : threads) {
            Torch.initLanes(t);
            gear.bench.TransferBench.Result r = gear.bench.TransferBench.run(graphs.get(0), graphs.get(1), m, o, 3,
                    steps, 0, dev, profile);
            ObjectNode n = (ObjectNode) JSON.readTree(r.toJson());
            if (profile) {
                putPhases(n, r.phases());
            }
            n.put("load_average", loadAverage());
            n.put("malloc", gear.nn.Malloc.describe(System.getenv()));
            n.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            System.out.println(n);
            System.out.flush();
        }
        return 0;
    }

    /** Adds {@code "phases_ms": {phase: {"wall": ms, "cpu": ms}, ...}} (means per step) to {@code o}. */
    private static void putPhases(ObjectNode o, Map<String, double[]> phases) {
        ObjectNode ph = o.putObject("phases_ms");
        phases.forEach((k, v) -> {
            ObjectNode p = ph.putObject(k);
            p.put("wall", v[0]);
            p.put("cpu", v[1]);
        });
    }

    /** Cost of one k-task GEAR step against k independent STL steps, for each k of --tasks (gear.bench.KTaskBench). */
    private int kTaskStep(List<gear.chem.MolGraph> molecules, gear.transfer.TransferOptions o) throws Exception {
        if (!method.equals("gear")) {
            throw new IllegalArgumentException("--tasks needs --method gear, got --method " + method);
        }
        for (int t : threads) {
            Torch.initLanes(t); // both steps on t data-parallel lanes, as --threads of transfer (two or k tasks)
            for (int k : tasks) {
                gear.bench.KTaskBench.Result r = gear.bench.KTaskBench.run(molecules, k, o, 3, steps, 0);
                ObjectNode n = (ObjectNode) JSON.readTree(r.toJson());
                n.put("load_average", loadAverage());
                n.put("malloc", gear.nn.Malloc.describe(System.getenv()));
                n.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
                System.out.println(n);
                System.out.flush();
            }
        }
        return 0;
    }

    private ObjectNode gemm(int t) {
        Torch.init(t);
        double rate = TrainFlops.gemmFlopsPerSecond(2700, 300, 300, gemmSeconds);
        ObjectNode n = JSON.createObjectNode();
        n.put("measurement", "gemm_f32");
        n.put("shape", "2700x300*300x300");
        n.put("threads", t);
        n.put("gflops", rate / 1e9);
        n.put("load_average", loadAverage());
        n.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return n;
    }

    private String runChild(Path file, int t) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "bench", "train", "--child",
                "-i", file.toString(), "--threads", Integer.toString(t), "--molecules", Integer.toString(molecules),
                "--epochs", Integer.toString(epochs), "--warmup-epochs", Integer.toString(warmup),
                "--batch-size", Integer.toString(batchSize), "--hidden-size", Integer.toString(hiddenSize),
                "--method", method, "--gemm-seconds", Double.toString(gemmSeconds), "--device", device));
        if (profile) {
            cmd.add("--profile");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("OPENBLAS_NUM_THREADS", Integer.toString(t));
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(t));
        gear.nn.Malloc.apply(pb.environment());
        Process p = pb.start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                last = line;
            }
        }
        if (!p.waitFor(2, TimeUnit.HOURS) || p.exitValue() != 0 || last == null) {
            throw new IllegalStateException("benchmark child for " + file + " with " + t + " threads failed (exit "
                    + (p.isAlive() ? "timeout" : p.exitValue()) + ")");
        }
        return last;
    }

    /** One measurement in this JVM. */
    private ObjectNode measure(Path file, int t) {
        Torch.initLanes(t);
        String load0 = loadAverage();
        MoleculeDataset ds = CsvLoader.of(file).policy(InvalidPolicy.SKIP).duplicates(gear.data.DuplicatePolicy.FIRST).cacheDir(FeatureCache.defaultDir()).load().dataset();
        if (ds.numTargets() == 0) {
            throw new BadInputException(file + ": no numeric target column");
        }
        int n = Math.min(molecules, ds.size());
        List<String> smiles = new ArrayList<>(ds.smiles().subList(0, n));
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double v = ds.target(i, 0);
            y[i] = Double.isNaN(v) ? 0 : v;
        }
        DmpnnConfig cfg = DmpnnConfig.defaults(1).withHiddenSize(hiddenSize);
        TrainBench.Result r = TrainBench.run(smiles, y, new TrainBench.Options(cfg, batchSize, warmup, epochs, t, 0, profile,
                device));
        List<MolGraph> graphs = new ArrayList<>();
        for (String s : smiles) {
            try {
                graphs.add(Chem.featurize(s));
            } catch (Exception e) {
                throw new BadInputException(file + ": " + e.getMessage());
            }
        }
        double flops = TrainFlops.trainFlopsPerMolecule(cfg, graphs);
        double stepFlops = TrainFlops.stepGemmFlopsPerMolecule(cfg, graphs);
        Torch.init(t); // the GEMM rate with t intra-op threads
        double gemm = gemmSeconds > 0 ? TrainFlops.gemmFlopsPerSecond(2700, hiddenSize, hiddenSize, gemmSeconds) : Double.NaN;
        ObjectNode o = JSON.createObjectNode();
        o.put("measurement", "train_throughput");
        o.put("method", method);
        o.put("data", file.getFileName().toString());
        o.put("molecules", r.molecules());
        o.put("threads", t);
        o.put("device", device);
        o.put("batch_size", batchSize);
        o.put("hidden_size", hiddenSize);
        o.put("timed_epochs", epochs);
        o.put("mol_per_s", r.moleculesPerSecond());
        o.put("cpu_mol_per_s", r.cpuMoleculesPerSecond());
        ArrayNode es = o.putArray("epoch_seconds");
        for (double s : r.epochSeconds()) {
            es.add(s);
        }
        if (profile) {
            putPhases(o, r.phases());
        }
        o.put("featurize_seconds", r.featurizeSeconds());
        o.put("peak_rss_mb", r.peakRssBytes() / 1048576.0);
        o.put("train_gflop_per_mol", flops / 1e9);
        o.put("step_gemm_gflop_per_mol", stepFlops / 1e9);
        if (gemmSeconds > 0) {
            o.put("gemm_gflops", gemm / 1e9);
            o.put("floor_mol_per_s", gemm / flops);
            o.put("fraction_of_floor", r.moleculesPerSecond() / (gemm / flops));
            o.put("step_floor_mol_per_s", gemm / stepFlops);
        }
        o.put("load_average_start", load0);
        o.put("load_average_end", loadAverage());
        o.put("malloc", gear.nn.Malloc.describe(System.getenv())); // the glibc settings this measurement ran under
        o.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return o;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
