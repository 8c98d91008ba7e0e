package gear.experiment.tune;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.AtomicFiles;
import gear.data.BadInputException;
import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.data.SplitType;
import gear.experiment.grid.CellLock;
import gear.experiment.grid.Grid;
import gear.experiment.grid.PairSpec;
import gear.experiment.grid.Protocol;
import gear.transfer.TransferOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a tune into a directory, resumably: seeded random search with successive halving ({@link TuneConfig}),
 * the same schedule for every method, scored on validation folds only.
 *
 * <p>Layout: {@code config.json} (the {@link TuneConfig}), {@code trials/<trial-id>/config.json} (the trial's
 * values and every option, written before it runs) and {@code trials/<trial-id>/result.json} (written atomically
 * when it ends: the marker that it is finished), {@code trials.csv}, {@code summary.md} and, once every rung is
 * finished, {@code chosen.json} ({@link TuneReport}).
 *
 * <p>Score. At rung r the configurations of a method are ranked by the mean, over units u, of
 * RMSE_val(c, u) / median_c' RMSE_val(c', u), the median over that method's configurations at rung r on u: each
 * unit (pair, split type, seed) counts equally whatever its units of measurement. A diverged trial scores +∞.
 * Ties go to the lower configuration index. The chosen configuration is the best of the last rung.
 *
 * <p>No test number: a trial is given the unit's non-test pool only ({@link TrialRunner.Data#pool()}), its
 * source already purged of the target-test molecules; the test part is not evaluated and no output holds a
 * test metric.
 *
 * <p>Resume and several workers: a trial with a {@code result.json} of this tune's fingerprint is not run again;
 * a worker holds a trial's {@link CellLock} while it runs it, so several {@code gear tune} processes on one
 * directory (or a kill and restart) never run a trial twice; a rung's trials held by another live worker are
 * waited for before the next rung is chosen. A directory holding a tune of another configuration is refused.
 */
public final class Tuner {
    private final TuneConfig cfg;
    private final Path dir;
    private final PrintStream log;
    private final Grid grid;
    private final String fingerprint;
    private TrialRunner runner;
    private int maxTrials = Integer.MAX_VALUE;
    private long pollMillis = 2000;
    private final Map<String, TrialRunner.Data> units = new HashMap<>();

    /**
     * What a run did.
     *
     * @param complete whether every rung is finished (then {@code chosen} holds every method)
     * @param ran trials run by this call
     * @param done trials finished in all (this call and earlier ones)
     * @param chosen the chosen configuration per method (empty unless complete)
     * @param results every finished trial's result
     */
    public record Outcome(boolean complete, int ran, int done, Map<String, TuneReport.Choice> chosen,
            Map<Trial, TrialResult> results) {}

    /**
     * @param cfg the configuration
     * @param dir the tune directory (created if absent)
     * @param log where progress goes
     */
    public Tuner(TuneConfig cfg, Path dir, PrintStream log) {
        this.cfg = cfg;
        this.dir = dir.toAbsolutePath();
        this.log = log;
        this.grid = new Grid(cfg.gridConfig(), this.dir, log);
        this.fingerprint = cfg.fingerprint();
        this.runner = new TransferTrialRunner(this.dir.resolve(PRETRAIN_DIR));
    }

    /** The shared pretraining cache's directory in a tune directory (as {@code GRID_DIR/pretrain} in a grid). */
    public static final String PRETRAIN_DIR = "pretrain";

    /** @param r the trial runner (default {@link TransferTrialRunner} with the cache {@code TUNE_DIR/pretrain}) */
    public Tuner runner(TrialRunner r) {
        this.runner = r;
        return this;
    }

    /** @param n run at most n trials in this call, then stop (the rest on the next call) */
    public Tuner maxTrials(int n) {
        this.maxTrials = n;
        return this;
    }

    /** @param ms how often to look at trials that another worker runs */
    Tuner pollMillis(long ms) {
        this.pollMillis = ms;
        return this;
    }

    /** @return the tune's fingerprint */
    public String fingerprint() {
        return fingerprint;
    }

    /** @return a trial's directory */
    public Path trialDir(Trial t) {
        return dir.resolve("trials").resolve(t.id());
    }

    /**
     * Runs what is missing (at most {@link #maxTrials}) and writes the report.
     *
     * @throws BadInputException when the directory holds a tune of another configuration
     */
    public Outcome run() throws Exception {
        prepare();
        Map<Trial, TrialResult> results = new LinkedHashMap<>();
        Map<String, List<Integer>> alive = new LinkedHashMap<>();
        for (String m : cfg.methods()) {
            List<Integer> all = new ArrayList<>();
            for (int c = 0; c < cfg.trials(); c++) {
                all.add(c);
            }
            alive.put(m, all);
        }
        int ran = 0;
        boolean complete = true;
        for (int r = 0; r < cfg.rungs() && complete; r++) {
            List<Trial> rung = new ArrayList<>();
            for (String m : cfg.methods()) {
                for (int c : alive.get(m)) {
                    Map<String, String> values = cfg.values(m, c);
                    for (PairSpec p : cfg.pairs()) {
                        for (SplitType s : cfg.splitTypes()) {
                            for (long seed : cfg.seeds()) {
                                rung.add(new Trial(m, c, r, p.id(), s, seed, cfg.epochsAt(r), values));
                            }
                        }
                    }
                }
            }
            List<Trial> busy = new ArrayList<>();
            for (Trial t : rung) {
                TrialResult res = read(t);
                if (res == null && ran < maxTrials) {
                    res = runLocked(t);
                    if (res == null) {
                        busy.add(t);
                        continue;
                    }
                    ran++;
                }
                if (res == null) {
                    complete = false;
                } else {
                    results.put(t, res);
                }
            }
            for (Trial t : busy) {
                TrialResult res = awaitOther(t);
                if (res == null) {
                    complete = false;
                } else {
                    results.put(t, res);
                }
            }
            if (complete && r + 1 < cfg.rungs()) {
                for (String m : cfg.methods()) {
                    List<Integer> ranked = rank(results, m, r);
                    alive.put(m, List.copyOf(ranked.subList(0, Math.min(ranked.size(), cfg.configsAt(r + 1)))));
                }
            }
        }
        Map<String, TuneReport.Choice> chosen = new LinkedHashMap<>();
        if (complete) {
            int last = cfg.rungs() - 1;
            for (String m : cfg.methods()) {
                int best = rank(results, m, last).get(0);
                chosen.put(m, choice(results, m, last, best));
            }
        }
        TuneReport.write(dir, cfg, fingerprint, results, chosen, complete, this::scores);
        log.println("tune: " + results.size() + " trials finished (" + ran + " run now)" + (complete ? ", complete"
                : ", not complete: run the same command again to go on"));
        return new Outcome(complete, ran, results.size(), chosen, results);
    }

    private void prepare() throws IOException {
        Files.createDirectories(dir.resolve("trials"));
        AtomicFiles.removeStale(dir); // what a killed run was writing
        Path c = dir.resolve("config.json");
        if (Files.isRegularFile(c)) {
            String old;
            try {
                old = TuneConfig.fromJson(new ObjectMapper().readTree(c.toFile())).fingerprint();
            } catch (RuntimeException | IOException e) {
                throw new BadInputException(c + ": not a readable tune configuration (" + e.getMessage() + ")", e);
            }
            if (!old.equals(fingerprint)) {
                throw new BadInputException(dir + " holds a tune of another configuration (" + c + "); use a new directory");
            }
        }
        AtomicFiles.writeString(c, mapper().writeValueAsString(cfg.toJson()) + "\n");
    }

    private static ObjectMapper mapper() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** @return the finished result of a trial of this tune, or null */
    private TrialResult read(Trial t) throws IOException {
        Path f = trialDir(t).resolve("result.json");
        if (!Files.isRegularFile(f)) {
            return null;
        }
        var n = new ObjectMapper().readTree(f.toFile());
        if (!fingerprint.equals(n.path("fingerprint").asText())) {
            throw new BadInputException(f + ": a trial of another tune configuration; use a new directory");
        }
        return TrialResult.fromJson(n);
    }

    /** Runs a trial under its lock; null when another live worker holds it. */
    private TrialResult runLocked(Trial t) throws Exception {
        Path td = trialDir(t);
        Files.createDirectories(td);
        try (CellLock lock = CellLock.acquire(td, t.id())) {
            TrialResult done = read(t); // finished by another worker between the look and the lock
            if (done != null) {
                return done;
            }
            TrialRunner.Data d = data(t);
            ObjectNode c = mapper().createObjectNode();
            c.put("command", "tune");
            c.put("trial", t.id());
            c.put("fingerprint", fingerprint);
            c.put("unit", t.unit());
            c.put("epochs", t.epochs());
            c.set("tuned_values", new ObjectMapper().valueToTree(t.values()));
            c.put("n_train", d.train().length);
            c.put("n_val", d.val().length);
            c.put("n_source", d.source().size()); // after the test purge; source_purge validation trains on fewer
            c.set("options", d.options().toJson(new ObjectMapper()));
            AtomicFiles.writeString(td.resolve("config.json"), mapper().writeValueAsString(c) + "\n");
            log.printf(java.util.Locale.ROOT, "trial %s: %s%n", t.id(), t.values());
            TrialResult r;
            try {
                r = runner.run(t, d);
            } catch (Exception | Error e) {
                java.io.StringWriter sw = new java.io.StringWriter();
                e.printStackTrace(new java.io.PrintWriter(sw));
                AtomicFiles.writeString(td.resolve("error.txt"), sw.toString()); // the trial runs again on the next run
                throw e;
            }
            Files.deleteIfExists(td.resolve("error.txt"));
            AtomicFiles.writeString(td.resolve("result.json"), mapper().writeValueAsString(r.toJson(t, fingerprint)) + "\n");
            log.printf(java.util.Locale.ROOT, "trial %s: validation %s %.5g (%s)%n", t.id(), cfg.gridConfig().taskType().metricLabel(),
                    r.valRmse(), r.status());
            return r;
        } catch (CellLock.BusyException e) {
            return null;
        }
    }

    /** Waits for a trial another worker runs: its result, or the lock free again (then runs it here). */
    private TrialResult awaitOther(Trial t) throws Exception {
        log.println("trial " + t.id() + " is being run by another worker; waiting for it");
        while (true) {
            TrialResult r = read(t);
            if (r != null) {
                return r;
            }
            r = runLocked(t);
            if (r != null) {
                return r;
            }
            Thread.sleep(pollMillis);
        }
    }

    /** The unit's data: the pool and its folds, the purged source; the test part left out. */
    private TrialRunner.Data data(Trial t) {
        TrialRunner.Data base = units.computeIfAbsent(t.unit(), k -> {
            PairSpec p = grid.config().pair(t.pair());
            Protocol.Resolved pr = grid.protocol(p, t.splitType(), t.seed());
            Split fold = pr.folds().get(cfg.fold());
            int[] pool = pr.pool();
            for (int i : pr.test()) {
                if (Arrays.binarySearch(pool, i) >= 0) {
                    throw new IllegalStateException("unit " + k + ": test position " + i + " is in the pool");
                }
            }
            MoleculeDataset target = grid.table(p.target());
            return new TrialRunner.Data(grid.table(p.source()).subset(pr.sourceKeep()), p.source().column(),
                    target.subset(pool), p.target().column(), remap(pool, fold.train()), remap(pool, fold.val()), null);
        });
        Map<String, String> set = new LinkedHashMap<>(cfg.options());
        set.putAll(t.values());
        set.put("epochs", Integer.toString(t.epochs()));
        TransferOptions o = TransferOptions.defaults().with(set);
        return new TrialRunner.Data(base.source(), base.sourceColumn(), base.pool(), base.targetColumn(), base.train(),
                base.val(), o);
    }

    private static int[] remap(int[] pool, int[] positions) {
        int[] r = new int[positions.length];
        for (int k = 0; k < positions.length; k++) {
            int j = Arrays.binarySearch(pool, positions[k]);
            if (j < 0) {
                throw new IllegalStateException("position " + positions[k] + " of a fold is not in the pool");
            }
            r[k] = j;
        }
        return r;
    }

    /** Scores of a method's configurations at a rung (configuration → score; see the class comment). */
    Map<Integer, Double> scores(Map<Trial, TrialResult> results, String method, int rung) {
        Map<String, Map<Integer, Double>> byUnit = new LinkedHashMap<>();
        for (Map.Entry<Trial, TrialResult> e : results.entrySet()) {
            Trial t = e.getKey();
            if (t.method().equals(method) && t.rung() == rung) {
                byUnit.computeIfAbsent(t.unit(), u -> new LinkedHashMap<>()).put(t.config(), e.getValue().valRmse());
            }
        }
        Map<Integer, Double> sum = new LinkedHashMap<>();
        for (Map<Integer, Double> u : byUnit.values()) {
            double[] finite = u.values().stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
            double med = finite.length == 0 ? Double.NaN : new org.apache.commons.math3.stat.descriptive.rank.Median().evaluate(finite);
            u.forEach((c, v) -> {
                double rel = Double.isFinite(v) && med > 0 ? v / med : Double.POSITIVE_INFINITY;
                sum.merge(c, rel / byUnit.size(), Double::sum);
            });
        }
        return sum;
    }

    private List<Integer> rank(Map<Trial, TrialResult> results, String method, int rung) {
        Map<Integer, Double> s = scores(results, method, rung);
        List<Integer> cs = new ArrayList<>(s.keySet());
        cs.sort(Comparator.<Integer>comparingDouble(s::get).thenComparingInt(c -> c));
        return cs;
    }

    private TuneReport.Choice choice(Map<Trial, TrialResult> results, String m, int rung, int c) {
        Map<String, Double> val = new LinkedHashMap<>();
        Map<String, String> values = Map.of();
        for (Map.Entry<Trial, TrialResult> e : results.entrySet()) {
            Trial t = e.getKey();
            if (t.method().equals(m) && t.rung() == rung && t.config() == c) {
                val.put(t.unit(), e.getValue().valRmse());
                values = t.values();
            }
        }
        return new TuneReport.Choice(m, c, rung, cfg.epochsAt(rung), values, scores(results, m, rung).get(c), val);
    }
}
