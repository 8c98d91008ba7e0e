package gear.bench;

import gear.train.*;

import gear.data.StandardScaler;
import gear.chem.Chem;
import gear.chem.InvalidSmilesException;
import gear.chem.MolGraph;
import gear.data.BadInputException;
import gear.nn.DmpnnConfig;
import gear.nn.PhaseTimer;
import gear.nn.Torch;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training-throughput benchmark (library side of {@code gear bench train}): featurizes the
 * molecules, trains on all of them (no validation) and reports molecules per second over the
 * steady-state epochs (the first {@code warmupEpochs} epochs are run but not timed; featurization
 * is timed separately and excluded).
 */
public final class TrainBench {
    private TrainBench() {}

    /**
     * Benchmark settings.
     *
     * @param config model hyperparameters (chemprop defaults: {@code DmpnnConfig.defaults(1)})
     * @param batchSize molecules per batch
     * @param untimedEpochs epochs run first and not timed (JIT, allocator warm-up)
     * @param timedEpochs epochs timed
     * @param threads data-parallel lanes of the training step ({@link Torch#initLanes}; one libtorch thread each)
     * @param seed seed
     * @param profile whether to time the phases of each step over the timed epochs ({@link Result#phases()})
     * @param device where the network trains ({@link TrainOptions#DEVICE}: cpu, cuda or cuda:N; {@link Trainer#device})
     */
    public record Options(DmpnnConfig config, int batchSize, int untimedEpochs, int timedEpochs, int threads, long seed,
            boolean profile, String device) {
        /** Options on the CPU. */
        public Options(DmpnnConfig config, int batchSize, int untimedEpochs, int timedEpochs, int threads, long seed,
                boolean profile) {
            this(config, batchSize, untimedEpochs, timedEpochs, threads, seed, profile, TrainOptions.DEVICE.defaultValue());
        }

        /** Options without profiling. */
        public Options(DmpnnConfig config, int batchSize, int untimedEpochs, int timedEpochs, int threads, long seed) {
            this(config, batchSize, untimedEpochs, timedEpochs, threads, seed, false);
        }

        /** @return chemprop defaults (hidden 300, depth 3, batch 50), 1 untimed + 3 timed epochs, 1 thread */
        public static Options defaults() {
            return new Options(DmpnnConfig.defaults(1), 50, 1, 3, 1, 0);
        }
    }

    /**
     * Measured numbers.
     *
     * @param molecules molecules trained on per epoch
     * @param moleculesPerSecond training throughput over the timed epochs
     * @param epochSeconds seconds of each timed epoch
     * @param featurizeSeconds time to featurize all SMILES (excluded from the throughput)
     * @param peakRssBytes peak resident set size of the process (VmHWM), or −1 where unknown
     * @param cpuMoleculesPerSecond throughput per CPU second of the training thread over the timed
     *     epochs (with one lane all tensor work runs on it; less sensitive than wall time
     *     to other processes sharing the machine; with more lanes it leaves out the other lanes' work),
     *     or NaN where thread CPU time is unsupported
     * @param phases with {@link Options#profile()}: per phase of a training step, in step order, the mean
     *     {wall ms, training-thread CPU ms} per step over the timed epochs; empty otherwise
     */
    public record Result(int molecules, double moleculesPerSecond, double[] epochSeconds, double featurizeSeconds,
            long peakRssBytes, double cpuMoleculesPerSecond, Map<String, double[]> phases) {}

    /**
     * Runs the benchmark.
     *
     * @param smiles molecules
     * @param y one target per molecule
     * @throws BadInputException if a SMILES cannot be featurized (naming its index)
     */
    public static Result run(List<String> smiles, double[] y, Options o) {
        if (smiles.size() != y.length) {
            throw new IllegalArgumentException(smiles.size() + " SMILES but " + y.length + " targets");
        }
        Torch.initLanes(o.threads());
        long t0 = System.nanoTime();
        List<MolGraph> graphs = new ArrayList<>(smiles.size());
        for (int i = 0; i < smiles.size(); i++) {
            try {
                graphs.add(Chem.featurize(smiles.get(i)));
            } catch (InvalidSmilesException e) {
                throw new BadInputException("molecule " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        double featurize = (System.nanoTime() - t0) / 1e9;
        double[][] yy = new double[y.length][1];
        for (int i = 0; i < y.length; i++) {
            yy[i][0] = y[i];
        }
        GraphSet train = new GraphSet(graphs, yy);
        int epochs = o.untimedEpochs() + o.timedEpochs();
        TrainOptions opts = TrainOptions.defaults().with(TrainOptions.EPOCHS, epochs)
                .with(TrainOptions.BATCH_SIZE, o.batchSize()).with(TrainOptions.SEED, o.seed())
                .with(TrainOptions.WARMUP_EPOCHS, (double) Math.min(2, epochs));
        double[] seconds = new double[o.timedEpochs()];
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        boolean cpuTime = mx.isCurrentThreadCpuTimeSupported();
        long[] cpu = new long[2];
        PhaseTimer timer = o.profile() ? new PhaseTimer() : null;
        Trainer trainer = new Trainer(o.config().withNumTasks(1), opts).device(Torch.device(o.device())).profile(timer);
        trainer.listener(new TrainListener() {
            @Override
            public void onEpochEnd(EpochStats s) {
                if (timer != null && s.epoch() == o.untimedEpochs() - 1) {
                    timer.reset();
                }
                if (s.epoch() >= o.untimedEpochs()) {
                    seconds[s.epoch() - o.untimedEpochs()] = s.seconds();
                }
                if (cpuTime && s.epoch() == o.untimedEpochs() - 1) {
                    cpu[0] = mx.getCurrentThreadCpuTime();
                }
                if (cpuTime && s.epoch() == epochs - 1) {
                    cpu[1] = mx.getCurrentThreadCpuTime();
                }
            }
        }).fit(train, new GraphSet(List.of(), new double[0][]), StandardScaler.fit(yy));
        double total = 0;
        for (double s : seconds) {
            total += s;
        }
        double cpuRate = cpuTime && o.untimedEpochs() > 0
                ? graphs.size() * (double) o.timedEpochs() / ((cpu[1] - cpu[0]) / 1e9) : Double.NaN;
        Map<String, double[]> phases = new LinkedHashMap<>();
        if (timer != null) {
            int steps = o.timedEpochs() * ((graphs.size() + o.batchSize() - 1) / o.batchSize());
            timer.totals().forEach((k, v) -> phases.put(k, new double[] {v[0] * 1e3 / steps, v[1] * 1e3 / steps}));
        }
        return new Result(graphs.size(), graphs.size() * (double) o.timedEpochs() / total, seconds, featurize, peakRss(),
                cpuRate, phases);
    }

    /** @return VmHWM from /proc/self/status in bytes, or −1 where unavailable */
    public static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] p = line.trim().split("\\s+");
                    return Long.parseLong(p[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
