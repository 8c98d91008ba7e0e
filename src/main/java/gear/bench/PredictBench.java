package gear.bench;

import gear.data.InvalidPolicy;
import gear.data.StandardScaler;
import gear.nn.Dmpnn;
import gear.nn.DmpnnConfig;
import gear.nn.Torch;
import gear.run.PredictRun;
import gear.run.Predictor;
import gear.train.ModelFile;
import gear.train.Provenance;
import gear.train.TrainedModel;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Throughput and peak memory of streaming prediction ({@link PredictRun}): an input of N rows made by cycling
 * through the molecules of a public file, the default D-MPNN (chemprop v1 sizes: hidden 300, depth 3, FFN 2 × 300;
 * seeded random weights: the speed of a forward pass does not depend on the weight values), one libtorch thread.
 * Each size is measured in a JVM of its own so that its peak RSS (VmHWM) is its own.
 */
public final class PredictBench {
    private PredictBench() {}

    /**
     * One measurement.
     *
     * @param molecules rows predicted
     * @param bad rows without prediction (the source's unparsable molecules, repeated)
     * @param seconds wall-clock seconds of the prediction (model load excluded)
     * @param cpuSeconds CPU seconds of the process over the same span (all threads)
     * @param peakRssBytes peak resident set size of the process, or −1 where unknown
     */
    public record Result(long molecules, long bad, double seconds, double cpuSeconds, long peakRssBytes) {
        /** @return molecules per wall-clock second */
        public double moleculesPerSecond() {
            return molecules / seconds;
        }

        /** @return molecules per CPU second: what one uncontended core does */
        public double moleculesPerCpuSecond() {
            return molecules / cpuSeconds;
        }
    }

    /** Writes {@code n} data rows ({@code smiles} header) cycling through {@code smiles}. */
    public static void generateInput(List<String> smiles, long n, Path out) throws IOException {
        if (smiles.isEmpty()) {
            throw new IllegalArgumentException("no molecules to repeat");
        }
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            w.write("smiles\n");
            for (long i = 0; i < n; i++) {
                w.write(smiles.get((int) (i % smiles.size())));
                w.write('\n');
            }
        }
    }

    /**
     * Saves the default D-MPNN (one target, seeded random weights) to {@code file}.
     *
     * @param hidden its hidden size (chemprop's default: 300)
     */
    public static void defaultModel(Path file, int hidden) throws IOException {
        Torch.init(1);
        TrainedModel m = new TrainedModel(new Dmpnn(DmpnnConfig.defaults(1).withHiddenSize(hidden), 0), new StandardScaler(new double[] {0},
                new double[] {1}), List.of("y"), Provenance.now("", 0), null);
        ModelFile.save(file, m);
    }

    /**
     * Predicts {@code input} into {@code output} in this JVM and measures it.
     *
     * @param featurizeThreads featurization threads beside the prediction thread
     * @param chunkSize rows per chunk
     */
    public static Result measure(Path input, Path model, Path output, int featurizeThreads, int chunkSize) throws IOException {
        Torch.init(1);
        Predictor p = Predictor.load(model, null);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long c0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        PredictRun.Result r = PredictRun.run(p, input, null, new PredictRun.Options().featurizeThreads(featurizeThreads)
                .chunkSize(chunkSize).policy(InvalidPolicy.SKIP), output);
        double sec = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - c0) / 1e9;
        return new Result(r.rows(), r.bad(), sec, cpu, TrainBench.peakRss());
    }
}
