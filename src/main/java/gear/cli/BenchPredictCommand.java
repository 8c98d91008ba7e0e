package gear.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.bench.PredictBench;
import gear.data.BadInputException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gear bench predict}: streaming prediction throughput (molecules/s, wall and per CPU second) and peak RSS
 * at several input sizes, each in a child JVM ({@link PredictBench}); one JSON object per size on stdout.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Streaming prediction throughput and peak RSS of the default D-MPNN at several input sizes; one JSON "
                + "object per size on stdout; each size in a child JVM.",
            "Inputs are made by repeating the molecules of a public file (default " + BenchPredictCommand.DEFAULT_FILE
                    + ", found in --data-dir) to each size."})
final class BenchPredictCommand implements Callable<Integer> {
    static final String DEFAULT_FILE = "nist_tde_boiling_point.csv";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--data-dir", paramLabel = "DIR", description = "where the public data files are (default: $GEAR_DATA, else ../shared/data)")
    Path dataDir;

    @Option(names = "--source", paramLabel = "FILE", description = "file of --data-dir whose SMILES column (the first) is repeated "
            + "(default: ${DEFAULT-VALUE})", defaultValue = DEFAULT_FILE)
    String source;

    @Option(names = "--sizes", split = ",", paramLabel = "N", defaultValue = "10000,100000,1000000",
            description = "input sizes in molecules (default: ${DEFAULT-VALUE})")
    List<Long> sizes;

    @Option(names = "--model", paramLabel = "MODEL", description = "model file (default: the default D-MPNN, random weights)")
    Path model;

    @Option(names = "--hidden-size", defaultValue = "300", paramLabel = "H",
            description = "hidden size of the generated model (default: ${DEFAULT-VALUE}, chemprop's; ignored with --model)")
    int hiddenSize;

    @Option(names = "--featurize-threads", defaultValue = "1", paramLabel = "N", description = "as for gear predict (default: ${DEFAULT-VALUE})")
    int featurizeThreads;

    @Option(names = "--chunk-size", defaultValue = "1024", paramLabel = "ROWS", description = "as for gear predict (default: ${DEFAULT-VALUE})")
    int chunkSize;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "where inputs and outputs are written (default: a temporary "
            + "directory, removed at the end)")
    Path workDir;

    @Option(names = "--child-jvm-args", split = " ", paramLabel = "ARGS", description = "JVM arguments of the child JVMs, e.g. \"-Xmx1g\"")
    List<String> childJvmArgs;

    @Option(names = "--child", hidden = true, description = "internal: measure one input in this JVM")
    boolean child;

    @Option(names = "--child-input", hidden = true)
    Path childInput;

    @Override
    public Integer call() throws Exception {
        if (child) {
            PredictBench.Result r = PredictBench.measure(childInput, model, childInput.resolveSibling(childInput.getFileName() + ".pred.csv"),
                    featurizeThreads, chunkSize);
            System.out.println(JSON.writeValueAsString(json(r)));
            return 0;
        }
        Path dd = dataDir != null ? dataDir : env();
        Path src = dd.resolve(source);
        if (!Files.isRegularFile(src)) {
            throw new BadInputException(src + ": benchmark data not found. gear bench predict repeats the molecules of a public "
                    + "file: give --data-dir DIR holding " + source + " (or --source FILE), or set GEAR_DATA");
        }
        List<String> smiles = BenchFeaturizeCommand.readSmiles(src);
        boolean tmp = workDir == null;
        Path work = tmp ? Files.createTempDirectory("gear-bench-predict") : Files.createDirectories(workDir);
        try {
            Path m = model;
            if (m == null) {
                m = work.resolve("default.gear");
                PredictBench.defaultModel(m, hiddenSize);
            }
            for (long n : sizes) {
                Path in = work.resolve("input-" + n + ".csv");
                PredictBench.generateInput(smiles, n, in);
                ObjectNode o = runChild(in, m);
                o.put("source", source);
                o.put("source_molecules", smiles.size());
                o.put("model", model != null ? model.toString() : "default D-MPNN, hidden size " + hiddenSize);
                o.put("child_jvm_args", childJvmArgs == null ? "" : String.join(" ", childJvmArgs));
                System.out.println(JSON.writeValueAsString(o));
                System.out.flush();
                Files.deleteIfExists(in);
                Files.deleteIfExists(in.resolveSibling(in.getFileName() + ".pred.csv"));
            }
        } finally {
            if (tmp) {
                try (Stream<Path> w = Files.walk(work)) {
                    for (Path p : w.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
        return 0;
    }

    private ObjectNode runChild(Path in, Path m) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Dgear.threads=1",
                "-Djava.awt.headless=true"));
        if (childJvmArgs != null) {
            cmd.addAll(childJvmArgs);
        }
        cmd.addAll(Arrays.asList("-cp", System.getProperty("java.class.path"), Main.class.getName(), "bench", "predict", "--child",
                "--child-input", in.toString(), "--model", m.toString(), "--featurize-threads", Integer.toString(featurizeThreads),
                "--chunk-size", Integer.toString(chunkSize)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        gear.nn.Malloc.apply(pb.environment());
        Process p = pb.start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                last = l;
            }
        }
        int code = p.waitFor();
        if (code != 0 || last == null) {
            throw new IllegalStateException("benchmark child for " + in + " failed (exit " + code + ")");
        }
        return (ObjectNode) JSON.readTree(last);
    }

    private static ObjectNode json(PredictBench.Result r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("bench", "predict");
        o.put("molecules", r.molecules());
        o.put("bad", r.bad());
        o.put("seconds", r.seconds());
        o.put("molecules_per_second", r.moleculesPerSecond());
        o.put("cpu_seconds", r.cpuSeconds());
        o.put("molecules_per_cpu_second", r.moleculesPerCpuSecond());
        o.put("peak_rss_mb", r.peakRssBytes() < 0 ? -1 : r.peakRssBytes() / 1048576.0);
        o.put("torch_threads", 1);
        o.put("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        return o;
    }

    private static Path env() {
        String e = System.getenv("GEAR_DATA");
        return e != null && !e.isBlank() ? Paths.get(e) : Paths.get("..", "shared", "data");
    }
}
