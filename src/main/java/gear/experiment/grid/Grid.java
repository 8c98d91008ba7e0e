package gear.experiment.grid;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import gear.data.AtomicFiles;
import gear.data.BadInputException;
import gear.data.CsvLoader;
import gear.data.InvalidPolicy;
import gear.data.LabelNoise;
import gear.data.MoleculeDataset;
import gear.data.Split;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs a benchmark grid into an output directory, resumably.
 *
 * <p>Layout of the output directory: {@code config.json} (the resolved {@link GridConfig}),
 * {@code cells/<cell-id>/result.json} (written atomically when the cell finishes: the marker that it
 * is done), {@code cells/<cell-id>/error.txt} (why it failed, if it did; a failed cell is retried on
 * the next run), {@code cells/<cell-id>/worker.log} (child output), {@code results.csv},
 * {@code results.json} and {@code summary.md} (rewritten after every finished cell, covering the cells
 * of this run's grid), and at the end the plots of {@link Summary#write}.
 *
 * <p>Resuming: a cell whose {@code result.json} exists with the fingerprint of the current
 * configuration is not run again. A finished cell with another fingerprint (other options, folds,
 * pair definition...) stops the run with a {@link BadInputException} unless {@link #rerunChanged} is
 * set, so results of two configurations are never mixed silently.
 */
public final class Grid {
    private final GridConfig cfg;
    private final Path dir;
    private final PrintStream log;
    private final Map<String, MoleculeDataset> tables = new ConcurrentHashMap<>();
    private final Map<String, Protocol.Resolved> protocols = new ConcurrentHashMap<>();
    private Supplier<CellRunner> runnerFactory;
    private boolean rerunChanged;
    private boolean plots = true;
    private boolean summaryOnly;
    private List<String> workerJvmArgs = List.of();
    private final Set<Process> children = ConcurrentHashMap.newKeySet();
    private CellLauncher launcher;
    private volatile CellRunner resolver;
    private List<Path> pairsFrom = List.of();

    /**
     * @param cfg the configuration
     * @param dir the output directory (created if absent)
     * @param log where progress is printed
     */
    public Grid(GridConfig cfg, Path dir, PrintStream log) {
        this.cfg = cfg;
        this.dir = dir.toAbsolutePath();
        this.log = log;
    }

    /**
     * Uses runners from this factory (one per worker thread) instead of instantiating
     * {@link GridConfig#runnerClass()}; only with {@link Isolation#THREAD} (for tests and embedding).
     */
    public Grid runnerFactory(Supplier<CellRunner> f) {
        this.runnerFactory = f;
        this.resolver = null;
        return this;
    }

    /** @param on rerun finished cells whose configuration fingerprint changed, instead of refusing */
    public Grid rerunChanged(boolean on) {
        this.rerunChanged = on;
        return this;
    }

    /**
     * @param on only (re)write results.csv/json, summary.md and the plots from the cells already finished, running
     *     nothing and leaving config.json as it is (for a grid that was stopped before its end)
     */
    public Grid summaryOnly(boolean on) {
        this.summaryOnly = on;
        return this;
    }

    /** @param on write the plots at the end (default true) */
    public Grid plots(boolean on) {
        this.plots = on;
        return this;
    }

    /** @param args extra JVM arguments of child workers (for example {@code -Xmx4g}) */
    public Grid workerJvmArgs(List<String> args) {
        this.workerJvmArgs = List.copyOf(args);
        return this;
    }

    /**
     * @param l runs the unfinished cells instead of this grid's worker pool (e.g. on a Spark cluster); null: the pool
     */
    public Grid launcher(CellLauncher l) {
        this.launcher = l;
        return this;
    }

    /** The key of config.json that records {@link #pairsFrom} (absolute paths; absent when none were given). */
    public static final String PAIRS_FROM = "pairs_from";

    /**
     * @param dirs other grid directories whose finished pair cells supply the pair GEAR cells of the task sets' comparison
     *     with their best single source ({@link TaskSets}; {@code gear benchmark --pairs-from})
     */
    public Grid pairsFrom(List<Path> dirs) {
        this.pairsFrom = List.copyOf(dirs);
        return this;
    }

    /** @return what the task-set comparison of this grid's summary reads ({@link TaskSets}) */
    public TaskSets.Input taskSetInput() {
        return new TaskSets.Input(cfg.pairs(), dir, pairsFrom);
    }

    /** @return the output directory (absolute) */
    public Path dir() {
        return dir;
    }

    /** @return the configuration */
    public GridConfig config() {
        return cfg;
    }

    /** @return the directory of a cell */
    public Path cellDir(CellKey key) {
        return dir.resolve("cells").resolve(key.id());
    }

    /**
     * What a run did.
     *
     * @param total cells in the grid
     * @param skipped cells already finished before this run
     * @param ran cells finished by this run
     * @param failed failed cells (id → message), retried on the next run
     * @param rows the results of all finished cells, in grid order
     */
    public record Outcome(int total, int skipped, int ran, Map<String, String> failed, List<ResultRow> rows) {}

    /**
     * Loads a data set with one value column ({@code --invalid skip}: bad rows are left out and counted
     * in the log; {@code --duplicates first}: a repeated molecule's later rows are left out, as the
     * published grids were run), once per grid.
     */
    public MoleculeDataset table(DataRef ref) {
        Path file = ref.resolve(cfg.dataDir());
        return tables.computeIfAbsent(file.toAbsolutePath() + "|" + ref.column(), k -> {
            CsvLoader.Result r = CsvLoader.of(file).targetColumns(List.of(ref.column())).policy(InvalidPolicy.SKIP)
                    .duplicates(gear.data.DuplicatePolicy.FIRST).cacheDir(cfg.cacheDir()).load();
            log.println("loaded " + r.report().summary() + " (column " + ref.column() + "; bad rows skipped)");
            return r.dataset();
        });
    }

    /** @return the protocol of a pair, split type and seed (computed once per grid) */
    public Protocol.Resolved protocol(PairSpec p, gear.data.SplitType type, long seed) {
        return protocols.computeIfAbsent(p.id() + "|" + type + "|" + seed, k -> Protocol.resolve(table(p.target()),
                table(p.source()), type, seed, cfg.folds(), cfg.testFraction(), p.targetSubsample()));
    }

    /** Mixed into the seed of the label noise so that it is not the stream of the split or the subsample. */
    public static final long NOISE_SALT = 0x401_5E5EEDL;

    /**
     * The cell with its resolved data and split. A noisy cell ({@link CellKey#noise()} &gt; 0) gets a
     * target whose labels at its training positions are corrupted by {@link LabelNoise#corrupt} with
     * fraction {@code noise}, shift {@link GridConfig#noiseSigma()} standard deviations of those labels
     * and seed {@link #noiseSeed}; validation, test and source labels are the clean ones. An ablation
     * variant's options have its weight set to 0 ({@link Ablation#options}). Tuned per-method values
     * ({@link Tuned}) become the cell's options for its method. A task set's further sources come whole
     * ({@link Cell#moreSources}).
     */
    public Cell cell(CellKey key) {
        PairSpec p = cfg.pair(key.pair());
        Protocol.Resolved pr = protocol(p, key.splitType(), key.seed());
        Split fold = pr.folds().get(key.fold());
        MoleculeDataset source = table(p.source());
        MoleculeDataset target = table(p.target());
        Cell.Noise noise = null;
        if (key.noise() > 0) {
            long seed = noiseSeed(key);
            LabelNoise.Corrupted c = LabelNoise.corrupt(target, fold.train(), 0, key.noise(), cfg.noiseSigma(), seed);
            target = c.data();
            noise = new Cell.Noise(key.noise(), cfg.noiseSigma(), c.result().count(), c.result().shift(), seed);
        }
        return new Cell(key, p, source.subset(pr.sourceKeep()), p.source().column(), target, p.target().column(),
                fold.train(), fold.val(), fold.test(), cfg.cellOptions(key),
                noise, cfg.trainRmse(), p.moreSources().stream().map(this::table).toList());
    }

    /**
     * The seed of a cell's label noise: the cell seed mixed with {@link #NOISE_SALT} and the fold, and
     * nothing else, so every method of a (pair, split, seed, fold, fraction) sees the same corrupted
     * labels, and the corrupted rows of a smaller fraction are a subset of those of a larger one.
     */
    public static long noiseSeed(CellKey key) {
        return key.seed() ^ NOISE_SALT ^ (key.fold() * 0x9E3779B97F4A7C15L);
    }

    /**
     * Runs one cell in this JVM and records its result (or its error). When the runner leaves
     * {@value Extrapolation#PREDICTIONS} in the cell directory, the in-range/out-of-range test RMSE
     * ({@link Extrapolation}) is added to the row. The cell's {@link CellLock} is held while it runs.
     *
     * @return the row written to {@code result.json}
     * @throws CellLock.BusyException when another live worker holds the cell (nothing is written)
     * @throws Exception what the runner threw (after writing {@code error.txt})
     */
    public ResultRow runHere(CellKey key, CellRunner runner) throws Exception {
        Path cd = cellDir(key);
        Files.createDirectories(cd);
        try (CellLock lock = CellLock.acquire(cd, key.id())) {
            return runLocked(key, runner, cd);
        }
    }

    private ResultRow runLocked(CellKey key, CellRunner runner, Path cd) throws Exception {
        try {
            Cell c = cell(key);
            log.println("cell " + key.id() + ": n_train " + c.train().length + ", n_val " + c.val().length + ", n_test "
                    + c.test().length + ", source " + c.source().size() + " (" + (table(c.pair().source()).size() - c.source().size())
                    + " target-test molecules purged)" + (c.noise() == null ? "" : String.format(java.util.Locale.ROOT,
                            "; %d training labels shifted by ±%.4g", c.noise().corrupted(), c.noise().shift())));
            Files.deleteIfExists(cd.resolve(Extrapolation.PREDICTIONS)); // only this run's predictions count
            CellResult r = runner.run(c, cd);
            if (r == null) {
                throw new IllegalStateException("runner returned no result");
            }
            Extrapolation.Predictions preds = Extrapolation.read(cd);
            Extrapolation.Stats ex = Extrapolation.Stats.NONE;
            if (preds != null) {
                MoleculeDataset clean = table(c.pair().target());
                double[] trainValues = new double[c.train().length];
                for (int i = 0; i < trainValues.length; i++) {
                    trainValues[i] = clean.target(c.train()[i], 0);
                }
                ex = Extrapolation.stats(trainValues, preds);
            }
            ResultRow row = ResultRow.of(c, r, fingerprint(key), ex, budget(key));
            ResultsFiles.writeCell(cd, row);
            Files.deleteIfExists(cd.resolve("error.txt"));
            return row;
        } catch (Exception | Error e) {
            StringWriter sw = new StringWriter();
            e.printStackTrace(new PrintWriter(sw));
            AtomicFiles.writeString(cd.resolve("error.txt"), sw.toString());
            throw e;
        }
    }

    /**
     * @return the cell's fingerprint ({@link GridConfig#fingerprint(CellKey, CellRunner)}), its options resolved by
     *     this grid's runner ({@link #runnerFactory} when set, else that of {@link GridConfig#runnerClass()})
     */
    public String fingerprint(CellKey key) {
        return cfg.fingerprint(key, resolver());
    }

    private CellRunner resolver() {
        CellRunner r = resolver;
        if (r == null) {
            r = runnerFactory != null ? runnerFactory.get() : CellRunners.resolver(cfg.runnerClass());
            resolver = r;
        }
        return r;
    }

    /**
     * @return the cell's budgets for the convergence check ({@link Convergence#budget}): its resolved {@code epochs}
     *     and {@code pretrain_epochs}, and the selected pretraining epoch its run recorded in its directory
     */
    public Convergence.Budget budget(CellKey key) throws IOException {
        return Convergence.budget(resolver().resolvedOptions(cfg.pair(key.pair()), key.method(), cfg.cellOptions(key)),
                cellDir(key));
    }

    /** Runs the missing cells of the grid on {@link GridConfig#workers()} workers and writes the results files. */
    public Outcome run() throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("cells"));
        if (!summaryOnly) {
            com.fasterxml.jackson.databind.node.ObjectNode json = cfg.toJson();
            if (!pairsFrom.isEmpty()) { // not a cell setting (no fingerprint has it): what the summary read, to reproduce it
                com.fasterxml.jackson.databind.node.ArrayNode a = json.putArray(PAIRS_FROM);
                pairsFrom.forEach(d -> a.add(d.toAbsolutePath().normalize().toString()));
            }
            AtomicFiles.writeString(dir.resolve("config.json"),
                    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json) + "\n");
        }
        List<CellKey> all = cfg.cells();
        Map<String, ResultRow> done = new ConcurrentHashMap<>();
        List<CellKey> todo = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (CellKey k : all) {
            ResultRow r = ResultsFiles.readCell(cellDir(k));
            if (r != null && fingerprint(k).equals(r.fingerprint())) {
                // a cell finished before the rows recorded their budgets gets them from its options and run files
                done.put(k.id(), r.budget().epochs() < 0 ? r.withBudget(budget(k)) : r);
            } else {
                if (r != null) {
                    changed.add(k.id());
                }
                todo.add(k);
            }
        }
        if (!changed.isEmpty() && !rerunChanged) {
            throw new BadInputException(dir + ": " + changed.size() + " finished cells (e.g. " + changed.get(0)
                    + ") were run with another configuration (options, folds, test fraction, pair definition or runner); "
                    + "use a new output directory, or --rerun-changed to run them again");
        }
        int skipped = done.size();
        if (cfg.pairs().stream().anyMatch(PairSpec::isTaskSet)) {
            // pair cells (of this grid or --pairs-from) of another target split or other options than the finished k-task
            // GEAR cells are refused before anything runs (where no k-task GEAR cell has finished yet, by the summary)
            List<ResultRow> finished = all.stream().map(k -> done.get(k.id())).filter(java.util.Objects::nonNull).toList();
            String refusal = TaskSets.compute(finished, taskSetInput(), new gear.experiment.stats.Bootstrap(1, 1),
                    cfg.taskType()).refusal();
            if (refusal != null) {
                throw new BadInputException(refusal);
            }
        }
        if (summaryOnly) {
            log.println(all.size() + " cells: " + skipped + " finished, " + todo.size() + " not run (summary only)");
            return new Outcome(all.size(), skipped, 0, Map.of(), writeTables(all, done, true));
        }
        log.println(all.size() + " cells: " + skipped + " already finished, " + todo.size() + " to run on " + cfg.workers()
                + " " + cfg.isolation().name().toLowerCase(java.util.Locale.ROOT) + " worker(s)");
        writeTables(all, done, false);
        Map<String, String> failed = new ConcurrentHashMap<>();
        ThreadLocal<CellRunner> runners = ThreadLocal.withInitial(
                () -> runnerFactory != null ? runnerFactory.get() : CellRunners.create(cfg.runnerClass()));
        if (cfg.isolation() == Isolation.PROCESS && !todo.isEmpty()) {
            // Load the natives here first: JavaCPP extracts them into its user cache on first use, and child JVMs
            // starting together on a fresh jar would race on that extraction (one maps a library another is still
            // writing: SIGBUS in the dynamic loader, seen on the first grid after a rebuild).
            gear.nn.Torch.ensure();
        }
        if (launcher != null && !todo.isEmpty()) {
            int[] count = {0};
            CellLauncher.Listener listener = new CellLauncher.Listener() {
                @Override
                public void finished(CellKey k, ResultRow r) {
                    done.put(k.id(), r);
                    synchronized (count) {
                        count[0]++;
                        log.printf(java.util.Locale.ROOT, "[%d/%d] %s: test %s %.4g%n", count[0], todo.size(), k.id(),
                                cfg.taskType().metricLabel(), r.result().testRmse());
                        writeTables(all, done, false);
                    }
                }

                @Override
                public void failed(CellKey k, String msg) {
                    failed.put(k.id(), msg);
                    log.println("cell " + k.id() + " FAILED: " + msg + " (see " + cellDir(k).resolve("error.txt") + ")");
                }
            };
            try {
                launcher.runAll(this, todo, listener);
            } catch (IOException | InterruptedException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e.getMessage(), e);
            }
            List<ResultRow> rows = writeTables(all, done, true);
            return new Outcome(all.size(), skipped, done.size() - skipped, new LinkedHashMap<>(failed), rows);
        }
        ExecutorService pool = Executors.newFixedThreadPool(cfg.workers());
        Thread hook = new Thread(() -> children.forEach(Process::destroyForcibly));
        Runtime.getRuntime().addShutdownHook(hook);
        int[] finished = {0};
        try {
            for (CellKey k : todo) {
                pool.submit(() -> {
                    try {
                        ResultRow r = cfg.isolation() == Isolation.PROCESS ? runChild(k) : runHere(k, runners.get());
                        done.put(k.id(), r);
                        synchronized (finished) {
                            finished[0]++;
                            log.printf(java.util.Locale.ROOT, "[%d/%d] %s: test %s %.4g%n", finished[0], todo.size(), k.id(),
                                    cfg.taskType().metricLabel(), r.result().testRmse());
                            writeTables(all, done, false);
                        }
                    } catch (Throwable e) {
                        String msg = e.getMessage() != null ? e.getMessage() : e.toString();
                        failed.put(k.id(), msg);
                        log.println("cell " + k.id() + " FAILED: " + msg + " (see " + cellDir(k).resolve("error.txt") + ")");
                    }
                    return null;
                });
            }
            pool.shutdown();
            while (!pool.awaitTermination(1, TimeUnit.HOURS)) {
                log.println("still running...");
            }
        } finally {
            pool.shutdownNow();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
        List<ResultRow> rows = writeTables(all, done, true);
        return new Outcome(all.size(), skipped, done.size() - skipped, new LinkedHashMap<>(failed), rows);
    }

    private List<ResultRow> writeTables(List<CellKey> all, Map<String, ResultRow> done, boolean withPlots) {
        List<ResultRow> rows = new ArrayList<>();
        for (CellKey k : all) {
            ResultRow r = done.get(k.id());
            if (r != null) {
                rows.add(r);
            }
        }
        try {
            synchronized (this) {
                ResultsFiles.write(dir, rows);
                Summary.write(cfg.taskType(), taskSetInput(), dir, rows, all.size(), withPlots && plots);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return rows;
    }

    /**
     * Runs one cell in a child JVM ({@link GridWorker}) and waits for it. The child's class path is this JVM's plus the
     * jar or directory this class came from (a Spark executor loads the gear jar through its own class loader); it
     * gets one libtorch thread and gear's glibc allocator settings ({@link gear.nn.Malloc}), appends its output to {@code worker.log}, and watches this process through the pipe
     * of its standard input ({@link GridWorker#watchParent}), so it ends when this process ends, however that happens.
     *
     * @return the row the child wrote
     * @throws IOException when the child failed (its first error line and the log in the message)
     */
    public ResultRow runChild(CellKey key) throws IOException, InterruptedException {
        Path cd = cellDir(key);
        Files.createDirectories(cd);
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Dgear.threads=1");
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-D" + GridWorker.WATCH_PARENT + "=" + ProcessHandle.current().pid());
        String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
        if (cache != null) {
            cmd.add("-Dorg.bytedeco.javacpp.cachedir=" + cache); // the natives this JVM unpacked (e.g. a Spark executor's)
        }
        cmd.addAll(workerJvmArgs);
        cmd.addAll(List.of("-cp", childClassPath(), GridWorker.class.getName(), dir.toString(), key.id()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("OPENBLAS_NUM_THREADS", "1");
        pb.environment().put("MKL_NUM_THREADS", "1");
        gear.nn.Malloc.apply(pb.environment()); // glibc reads them at the child's start; a user's own values are kept
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(cd.resolve("worker.log").toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.PIPE); // the child's watchdog: end of this pipe = this process ended
        Process p = pb.start();
        children.add(p);
        int code;
        try {
            code = p.waitFor();
        } finally {
            children.remove(p);
            p.getOutputStream().close();
        }
        if (code == GridWorker.EXIT_BUSY) {
            throw new CellLock.BusyException("cell " + key.id() + " is being run by another live worker; not started twice "
                    + "(see " + cd.resolve(CellLock.FILE) + ")");
        }
        ResultRow r = ResultsFiles.readCell(cd);
        if (code == 0 && r != null && fingerprint(key).equals(r.fingerprint())) {
            return r;
        }
        Path err = cd.resolve("error.txt");
        String first = Files.isRegularFile(err) ? Files.readAllLines(err).stream().findFirst().orElse("") : "";
        throw new IOException("worker exited with code " + code + (first.isEmpty() ? "" : ": " + first) + " (log: "
                + cd.resolve("worker.log") + ")");
    }

    /** @return this JVM's class path, preceded by the location of the gear classes when it is not on it */
    static String childClassPath() {
        String cp = System.getProperty("java.class.path", "");
        try {
            java.security.CodeSource src = GridWorker.class.getProtectionDomain().getCodeSource();
            if (src != null && src.getLocation() != null) {
                String own = Path.of(src.getLocation().toURI()).toString();
                if (!java.util.Arrays.asList(cp.split(java.io.File.pathSeparator)).contains(own)) {
                    return cp.isEmpty() ? own : own + java.io.File.pathSeparator + cp;
                }
            }
        } catch (java.net.URISyntaxException | IllegalArgumentException | SecurityException e) {
            // keep the class path as it is
        }
        return cp;
    }
}
