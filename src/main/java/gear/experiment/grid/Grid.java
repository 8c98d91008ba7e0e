package gear.experiment.grid;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import gear.data.AtomicFiles;
import gear.data.BadInputException;
import gear.data.LabelNoise;
import gear.data.MoleculeDataset;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>The parts: {@link CellData} (tables, protocols and each cell's data), {@link CellScan} (what is
 * finished), {@link WorkerPool} and {@link WorkerProcesses} (where cells run), {@link Progress} (each
 * cell's end) and {@link SummaryRefresh} (the results files, summary and task-set check).
 */
public final class Grid {
    private final GridConfig cfg;
    private final Path dir;
    private final PrintStream log;
    private final CellData data;
    private final WorkerProcesses children;
    private final SummaryRefresh tables;
    private Supplier<CellRunner> runnerFactory;
    private boolean rerunChanged;
    private boolean plots = true;
    private boolean summaryOnly;
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
        this.data = new CellData(cfg, log);
        this.children = new WorkerProcesses(this.dir);
        this.tables = new SummaryRefresh(cfg, this.dir);
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
        children.jvmArgs(args);
        return this;
    }

    /**
     * @param l runs the unfinished cells instead of this grid's worker pool (e.g. on a Spark cluster); null: the pool
     */
    public Grid launcher(CellLauncher l) {
        this.launcher = l;
        return this;
    }

    /**
     * The key of config.json that records {@link #pairsFrom} (absolute paths; absent when none were given to this run or
     * recorded by an earlier one).
     */
    public static final String PAIRS_FROM = "pairs_from";

    /**
     * @param dirs other grid directories whose finished pair cells supply the pair GEAR cells of the task sets' comparison
     *     with their best single source ({@link TaskSets}; {@code gear benchmark --pairs-from}); they replace those that
     *     config.json records, and without any a run keeps those recorded ({@value #PAIRS_FROM})
     */
    public Grid pairsFrom(List<Path> dirs) {
        this.pairsFrom = List.copyOf(dirs);
        return this;
    }

    /**
     * @return the other grids whose pair cells the task-set comparison of this grid's summary reads ({@link PairGrids}):
     *     those given to {@link #pairsFrom}; without any, those its config.json records ({@value #PAIRS_FROM}; a run keeps
     *     them in the config.json it rewrites)
     * @throws BadInputException when the config.json of a summary-only grid is not JSON
     */
    public PairGrids pairGrids() {
        return PairGrids.of(pairsFrom.isEmpty() ? PairGrids.readConfig(dir, summaryOnly) : null, pairsFrom);
    }

    /**
     * @return what the task-set comparison of this grid's summary reads ({@link TaskSets}); null, no comparison, when a pair
     *     grid that config.json records no longer exists ({@link PairGrids#gone})
     */
    public TaskSets.Input taskSetInput() {
        PairGrids g = pairGrids();
        return g.gone().isEmpty() ? new TaskSets.Input(cfg.pairs(), dir, g.dirs()) : null;
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
        return data.table(ref);
    }

    /** @return the protocol of a pair, split type and seed (computed once per grid) */
    public Protocol.Resolved protocol(PairSpec p, gear.data.SplitType type, long seed) {
        return data.protocol(p, type, seed);
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
        return data.cell(key);
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
            ResultRow row = ResultRow.of(c, r, fingerprint(key), ex, budget(key), ResultRow.sourceTrained(cd, c.source().size()));
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
     * @return whether the cell computes or reads a source pretraining that other cells of its unit share
     *     ({@link CellRunner#sharesPretraining}); used only to order the cells ({@link CellQueue}), so an option the
     *     runner cannot resolve counts as none
     */
    boolean sharesPretraining(CellKey key) {
        try {
            return resolver().sharesPretraining(cfg.pair(key.pair()), key.method(), cfg.cellOptions(key));
        } catch (RuntimeException e) {
            return false;
        }
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
        AtomicFiles.removeStale(dir); // what a killed run was writing (never a live writer's: other runs may share dir)
        if (!summaryOnly) {
            com.fasterxml.jackson.databind.node.ObjectNode json = cfg.toJson();
            List<Path> pairGrids = PairGrids.toRecord(dir, pairsFrom, log);
            if (!pairGrids.isEmpty()) { // not a cell setting (no fingerprint has it): what the summary read, to reproduce it
                com.fasterxml.jackson.databind.node.ArrayNode a = json.putArray(PAIRS_FROM);
                pairGrids.forEach(d -> a.add(d.toAbsolutePath().normalize().toString()));
            }
            AtomicFiles.writeString(dir.resolve("config.json"),
                    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json) + "\n");
        }
        List<CellKey> all = cfg.cells();
        CellScan scan = CellScan.of(this, all);
        Map<String, ResultRow> done = scan.done();
        List<CellKey> todo = scan.todo();
        List<String> changed = scan.changed();
        if (!changed.isEmpty() && !rerunChanged) {
            throw new BadInputException(dir + ": " + changed.size() + " finished cells (e.g. " + changed.get(0)
                    + ") were run with another configuration (options, folds, test fraction, pair definition or runner); "
                    + "use a new output directory, or --rerun-changed to run them again");
        }
        int skipped = done.size();
        tables.checkTaskSets(all, done, taskSetInput());
        if (summaryOnly) {
            log.println(all.size() + " cells: " + skipped + " finished, " + todo.size() + " not run (summary only)");
            return new Outcome(all.size(), skipped, 0, Map.of(), writeTables(all, done, true));
        }
        log.println(all.size() + " cells: " + skipped + " already finished, " + todo.size() + " to run on " + cfg.workers()
                + " " + cfg.isolation().name().toLowerCase(java.util.Locale.ROOT) + " worker(s)");
        writeTables(all, done, false);
        Map<String, String> failed = new ConcurrentHashMap<>();
        if (cfg.isolation() == Isolation.PROCESS && !todo.isEmpty() && launcher == null) {
            // Load the natives here first: JavaCPP extracts them into its user cache on first use, and child JVMs
            // starting together on a fresh jar would race on that extraction (one maps a library another is still
            // writing: SIGBUS in the dynamic loader, seen on the first grid after a rebuild). With a launcher this JVM
            // only schedules (a Spark driver): the machines that run the cells unpack their own natives
            // (gear.spark.ExecutorState), and libtorch is not loaded here.
            gear.nn.Torch.ensure();
        }
        CellLauncher.Listener progress = new Progress(this, log, todo, done, failed, () -> writeTables(all, done, false));
        if (launcher != null && !todo.isEmpty()) {
            try {
                launcher.runAll(this, todo, progress);
            } catch (IOException | InterruptedException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e.getMessage(), e);
            }
        } else {
            WorkerPool.run(this, children, log, todo, progress,
                    () -> runnerFactory != null ? runnerFactory.get() : CellRunners.create(cfg.runnerClass()));
        }
        List<ResultRow> rows = writeTables(all, done, true);
        return new Outcome(all.size(), skipped, done.size() - skipped, new LinkedHashMap<>(failed), rows);
    }

    private List<ResultRow> writeTables(List<CellKey> all, Map<String, ResultRow> done, boolean withPlots) {
        return tables.write(all, done, taskSetInput(), withPlots && plots);
    }

    /**
     * The configuration a child worker reads: this grid's {@link GridConfig#toJson()} in
     * {@code OUT/workers/config-<hash>.json}, named by the SHA-256 of its text and written once (atomically), so
     * that drivers of different configurations on one output directory (two pair subsets, a grid and its later
     * stage) never hand their workers each other's configuration, as {@code OUT/config.json}, rewritten by each
     * driver, would.
     */
    Path workerConfig() throws IOException {
        String text = cfg.toJson().toString();
        Path f = dir.resolve("workers").resolve("config-" + gear.data.Hashing.sha256(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .substring(0, 16) + ".json");
        if (!Files.isRegularFile(f)) {
            Files.createDirectories(f.getParent());
            AtomicFiles.writeString(f, text + "\n");
        }
        return f;
    }

    /**
     * Runs one cell in a child JVM ({@link GridWorker}, started by {@link WorkerProcesses}) and waits for it.
     *
     * @return the row the child wrote
     * @throws IOException when the child failed (its first error line and the log in the message)
     */
    public ResultRow runChild(CellKey key) throws IOException, InterruptedException {
        Path cd = cellDir(key);
        Files.createDirectories(cd);
        int code = children.run(key, cd, workerConfig());

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
}
