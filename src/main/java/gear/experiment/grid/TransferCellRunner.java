package gear.experiment.grid;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.config.Schema;
import gear.data.Split;
import gear.train.EpochStats;
import gear.transfer.Methods;
import gear.transfer.TransferOptions;
import gear.transfer.TransferOutcome;
import gear.transfer.TransferRun;
import gear.transfer.TransferSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The grid's real runner: one cell = one {@link TransferRun#run(TransferSpec)} of the cell's method on
 * the cell's (already purged) source and target split. Registered as the default {@link CellRunner}
 * through {@code META-INF/services}.
 *
 * <p>Cell options are the keys of {@link TransferOptions#toJson} in snake_case or kebab-case
 * ({@code epochs}, {@code batch_size}, {@code w_curv}, {@code latent-size}, ...), applied over
 * the method's defaults ({@link TransferOptions#defaults(gear.transfer.TransferMethod)}); {@code device} (cpu, cuda, cuda:N; {@code gear benchmark --device}) is where
 * the cell trains, not a model option, and any other key is an error naming it. An ablation variant ({@link Ablation}) trains GEAR with the options the grid
 * gave the cell (its weight already 0). With {@link Cell#trainRmse()} the target training RMSE is
 * recorded per epoch ({@code train_rmse} in {@code metrics.csv}) and, at the selected and the last
 * epoch, in the result. The source pretraining comes from the grid's cache {@code GRID_DIR/pretrain/<fingerprint>/}
 * ({@link #pretrainCache}), computed once and shared by the cells that need the same one.
 *
 * <p>A cell of a task set ({@link PairSpec#isTaskSet}) runs the method across k tasks
 * ({@link gear.transfer.ktask.KTaskRun}: every source and the target, the target evaluated on the cell's split):
 * {@code gear}, {@code gate}, {@code mtl}, {@code finetune} and their ablation variants; {@code stl} trains on the
 * target alone as for a pair; any other method fails the cell naming the ones available. With
 * {@link Cell#trainRmse()} the target's training RMSE is recorded as for a pair.
 */
public final class TransferCellRunner implements CellRunner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> IGNORED = Set.of("device", Tuned.MARKER);

    /** Used by {@link java.util.ServiceLoader}. */
    public TransferCellRunner() {}

    @Override
    public CellResult run(Cell cell, Path cellDir) {
        return run(cell, cellDir, null);
    }

    /**
     * Runs a cell; a cell whose run an earlier worker left unfinished (its {@code run.incomplete} marker: a grid
     * killed or stopped at the end of a session) is resumed from its checkpoints, which ends as the uninterrupted run
     * would (the transfer's resume, {@code TransferRunDirTest}, {@code KTaskRunDirTest}); config.json then records
     * {@code cost.resumed} (its {@code cost} counts the last process only). A resume the run refuses (a checkpoint of
     * other settings, as a changed cell's run again with {@code --rerun-changed}) runs the cell afresh, as before.
     *
     * @param listener the run's epoch listener (tests interrupt a run with it), or null
     */
    CellResult run(Cell cell, Path cellDir, gear.train.TrainListener listener) {
        TransferOptions options = resolve(cell.pair(), cell.method(), cell.options());
        String base = Ablation.baseMethod(cell.method());
        if (cell.pair().isTaskSet() && !base.equals("stl")) {
            return runTaskSet(cell, cellDir, base, options, listener);
        }
        TransferSpec spec = new TransferSpec(Methods.get(Ablation.baseMethod(cell.method())), cell.source(),
                cell.sourceColumn(), cell.target(), cell.targetColumn(), new Split(cell.train(), cell.val(), cell.test()),
                options, cell.seed(), cellDir, cell.trainRmse()).withDevice(device(cell.options()));
        TransferOutcome o = resumable(cellDir, resume -> TransferRun.run(spec, listener, extraConfig(cell), resume,
                pretrainCache(cellDir)));
        Map<String, Double> meanAbsR = new LinkedHashMap<>();
        if (Double.isFinite(o.meanAbsRicciSource())) {
            meanAbsR.put("source", o.meanAbsRicciSource());
        }
        if (Double.isFinite(o.meanAbsRicciTarget())) {
            meanAbsR.put("target", o.meanAbsRicciTarget());
        }
        return result(o.testRmse(), o.testMae(), o.testR2(), o.valRmse(), o.bestEpoch(), o.trainSeconds(), meanAbsR,
                o.history(), spec.taskType().trainColumn());
    }

    /** Runs {@code run} resuming when the cell's directory holds an unfinished run, afresh if that resume is refused. */
    private static <T> T resumable(Path cellDir, java.util.function.Function<Boolean, T> run) {
        if (!java.nio.file.Files.exists(cellDir.resolve(gear.train.RunGuard.INCOMPLETE))) {
            return run.apply(false);
        }
        try {
            return run.apply(true);
        } catch (gear.data.BadInputException refused) { // said in the worker's log (the cell's worker.log)
            System.err.println("note: " + cellDir.getFileName() + ": the unfinished run's resume was refused ("
                    + refused.getMessage().lines().findFirst().orElse("") + "); the cell starts again");
            return run.apply(false);
        }
    }

    /**
     * A cell's result, pair or task set: with the training metric ({@code trainColumn}, logged with
     * {@link Cell#trainRmse()}) at the selected and the last epoch of the {@code train} phase and the last epoch's
     * validation score (NaN where not logged).
     */
    private static CellResult result(double testRmse, double testMae, double testR2, double valScore, int bestEpoch,
            double seconds, Map<String, Double> meanAbsR, List<EpochStats> history, String trainColumn) {
        List<EpochStats> train = history.stream().filter(e -> e.phase().equals("train")).toList();
        double trainBest = Double.NaN;
        double trainLast = Double.NaN;
        double valLast = Double.NaN;
        if (!train.isEmpty()) {
            EpochStats last = train.get(train.size() - 1);
            trainLast = last.terms().getOrDefault(trainColumn, Double.NaN);
            valLast = last.valScore();
            for (EpochStats e : train) {
                if (e.epoch() == bestEpoch) {
                    trainBest = e.terms().getOrDefault(trainColumn, Double.NaN);
                }
            }
        }
        return new CellResult(testRmse, testMae, testR2, valScore, bestEpoch, seconds, meanAbsR, trainBest, trainLast,
                valLast);
    }

    /** A task-set cell: the k-task method on the sources and the target (the target primary and evaluated). */
    private static CellResult runTaskSet(Cell cell, Path cellDir, String base, TransferOptions options,
            gear.train.TrainListener listener) {
        String device = device(cell.options());
        gear.transfer.ktask.KMethod m = kMethod(cell.pair(), base);
        List<gear.data.MoleculeDataset> sets = new java.util.ArrayList<>();
        sets.add(cell.source());
        sets.addAll(cell.moreSources());
        sets.add(cell.target());
        List<DataRef> refs = new java.util.ArrayList<>(cell.pair().sources());
        refs.add(cell.pair().target());
        // the task names of gear transfer --task: the columns, FILE_STEM.COLUMN where data sets share one (of the file
        // that config.json records, so that its repeat names the tasks alike)
        List<String> names = gear.transfer.ktask.TaskNames.of(sets.stream().map(gear.transfer.ktask.TaskNames::file)
                .toList(), refs.stream().map(DataRef::column).toList());
        gear.transfer.ktask.KTaskRun.Outcome o = resumable(cellDir, resume -> gear.transfer.ktask.KTaskRun.run(
                new gear.transfer.ktask.KTaskRun.Spec(m, sets, names, List.of(sets.size() - 1),
                        List.of(new Split(cell.train(), cell.val(), cell.test())), options, cell.seed(), cellDir,
                        extraConfig(cell), resume, device), listener, pretrainCache(cellDir), cell.trainRmse()));
        // mean |R| at the target's test molecules: the first source's and the target's in mean_abs_r_source and
        // mean_abs_r_target (as n_source is the first source's), every source's in mean_abs_r_sources
        Map<String, Double> meanAbsR = new LinkedHashMap<>();
        double[] r = o.meanAbsRicci();
        if (Double.isFinite(r[0])) {
            meanAbsR.put("source", r[0]);
        }
        if (Double.isFinite(r[r.length - 1])) {
            meanAbsR.put("target", r[r.length - 1]);
        }
        for (int s = 0; s < r.length - 1; s++) {
            if (Double.isFinite(r[s])) {
                meanAbsR.put(CellResult.SOURCE_PREFIX + s, r[s]);
            }
        }
        return result(o.testRmse(), o.testMae(), o.testR2(), o.valScore(), o.bestEpoch(), o.trainSeconds(), meanAbsR,
                o.history(), gear.train.Regression.INSTANCE.trainColumn()); // the k-task methods train regression heads
    }

    /**
     * @return the grid's pretraining cache, {@code GRID_DIR/pretrain} beside {@code GRID_DIR/cells}
     *     ({@link gear.transfer.PretrainCache}: shared by the cells of finetune, kd and gspkd, and the warm start
     *     of the paired methods, of one purged source, seed and pretraining options: with {@code source_purge
     *     validation} the folds of one split purge different validation molecules and have one entry each), or null
     *     for a cell directory
     *     outside a grid
     */
    static gear.transfer.PretrainCache pretrainCache(Path cellDir) {
        if (cellDir == null || cellDir.getParent() == null || cellDir.getParent().getFileName() == null
                || !cellDir.getParent().getFileName().toString().equals("cells")) {
            return null;
        }
        return new gear.transfer.PretrainCache(cellDir.getParent().resolveSibling(PRETRAIN_DIR));
    }

    /** The pretraining cache's directory in a grid directory. */
    public static final String PRETRAIN_DIR = "pretrain";

    /**
     * The grid's coordinates of the cell for the run directory's config.json (cell id, ablation, label noise) and how
     * the grid read the data ({@code invalid}, {@code duplicates}: {@link CellData#INVALID}), so that
     * {@code gear transfer --config CELL/config.json} and the recorded {@code argv} read the rows the cell read.
     */
    static ObjectNode extraConfig(Cell cell) {
        ObjectNode n = JSON.createObjectNode();
        n.put("grid_cell", cell.id());
        n.put("invalid", CellData.INVALID.cliName());
        n.put("duplicates", CellData.DUPLICATES.cliName());
        Ablation.setting(cell.method()).ifPresent(w -> n.put("ablation", cell.method() + ": " + w));
        if (Tuned.marker(cell.options()) != null) {
            n.set("tuned", Tuned.marker(cell.options())); // gear benchmark --tuned: the values gear tune chose
        }
        if (cell.noise() != null) {
            ObjectNode z = n.putObject("label_noise");
            z.put("fraction", cell.noise().fraction());
            z.put("sigma", cell.noise().sigma());
            z.put("corrupted", cell.noise().corrupted());
            z.put("shift", cell.noise().shift());
            z.put("seed", cell.noise().seed());
        }
        return n;
    }

    /** @return the k-task method of a task-set cell's base method; refused naming the ones available */
    private static gear.transfer.ktask.KMethod kMethod(PairSpec pair, String base) {
        try {
            return gear.transfer.ktask.KMethod.get(base);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pair " + pair.id() + " is a task set: " + e.getMessage() + "; or stl");
        }
    }

    /**
     * The options a cell trains with: its options over its method's defaults ({@link #options}); for a task set's k-task
     * method, with {@link gear.transfer.ktask.KMethod#withDefaults} (for one that pretrains, its pretraining
     * to convergence) where the cell sets none of those options.
     *
     * (A task set's method without a k-task form resolves as a pair's: its cell fails when it runs, {@link #kMethod}.)
     *
     * @throws IllegalArgumentException for an unknown key or an invalid value
     */
    static TransferOptions resolve(PairSpec pair, String method, Map<String, String> cellOptions) {
        String base = Ablation.baseMethod(method);
        TransferOptions options = options(base, cellOptions);
        if (pair.isTaskSet() && gear.transfer.ktask.KMethod.names().contains(base)) {
            Set<String> given = new java.util.HashSet<>();
            cellOptions.keySet().forEach(k -> given.add(Schema.normalize(k)));
            options = gear.transfer.ktask.KMethod.withDefaults(gear.transfer.ktask.KMethod.get(base), options, given);
        }
        return options;
    }

    /**
     * Every option of {@link TransferOptions} as the cell trains with it ({@link #resolve}), as text, and the
     * entries that are not transfer options but belong to the cell's configuration: the tuned values' marker
     * ({@link Tuned#MARKER}) and a device other than the CPU. Options added after cells were finished without them
     * are left out at the value those cells ran with ({@link gear.transfer.TransferSchema#LEGACY},
     * {@link TransferOptions#fingerprintJson}), so that their fingerprints stay valid.
     */
    @Override
    public Map<String, String> resolvedOptions(PairSpec pair, String method, Map<String, String> cellOptions) {
        Map<String, String> r = new java.util.TreeMap<>();
        resolve(pair, method, cellOptions).fingerprintJson(JSON).fields()
                .forEachRemaining(e -> r.put(e.getKey(), e.getValue().asText()));
        cellOptions.forEach((k, v) -> {
            String key = Schema.normalize(k);
            if (IGNORED.contains(key) && !(key.equals("device") && v.trim().equalsIgnoreCase("cpu"))) {
                r.put(key, v);
            }
        });
        return r;
    }

    /**
     * For a pair: as the run decides ({@link gear.transfer.TransferMethod#readsPretraining}). For a task set: the k-task
     * methods that start each source network from that source's pretraining ({@link
     * gear.transfer.ktask.KMethod#readsSourcePretrainings}); the k-task fine-tuning's pooled pretraining is its own (no
     * other cell reads it), and STL reads no source.
     */
    @Override
    public boolean sharesPretraining(PairSpec pair, String method, Map<String, String> cellOptions) {
        String base = Ablation.baseMethod(method);
        if (!Methods.names().contains(base)) {
            return false;
        }
        if (pair.isTaskSet()) {
            return gear.transfer.ktask.KMethod.names().contains(base) && gear.transfer.ktask.KMethod.get(base)
                    .readsSourcePretrainings(resolve(pair, method, cellOptions));
        }
        return Methods.get(base).readsPretraining(resolve(pair, method, cellOptions));
    }

    /**
     * Resolves a cell's string options over the method's defaults ({@link TransferOptions#defaults(
     * gear.transfer.TransferMethod)}; the declared defaults for a name that is no two-task method).
     *
     * @param method the cell's method without an ablation suffix
     * @throws IllegalArgumentException for an unknown key or an invalid value
     */
    static TransferOptions options(String method, Map<String, String> cellOptions) {
        Map<String, String> set = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : cellOptions.entrySet()) {
            String key = Schema.normalize(e.getKey());
            if (IGNORED.contains(key)) {
                continue;
            }
            set.put(key, e.getValue());
        }
        return (Methods.names().contains(method) ? TransferOptions.defaults(Methods.get(method))
                : TransferOptions.defaults()).with(set);
    }

    /**
     * @return the cell's device ({@code gear benchmark --device}; a run key, not a model option): the CPU unless
     *     the options name another
     * @throws IllegalArgumentException for an unknown device, or cuda without a usable GPU (exit 2)
     */
    static String device(Map<String, String> cellOptions) {
        String d = gear.train.TrainOptions.DEVICE.defaultValue();
        for (Map.Entry<String, String> e : cellOptions.entrySet()) {
            if (Schema.normalize(e.getKey()).equals(gear.train.TrainOptions.DEVICE.key())) {
                d = e.getValue();
            }
        }
        gear.nn.Torch.checkDevice(d); // libtorch is loaded where the cell trains, not where the grid only schedules
        return d;
    }

    /**
     * Checks the keys of the grid's options before any cell runs.
     *
     * @throws gear.config.UnknownOptionException naming the first unknown key and the closest valid one
     */
    @Override
    public void checkOptions(Map<String, String> cellOptions) {
        Map<String, String> set = new LinkedHashMap<>();
        cellOptions.forEach((k, v) -> {
            if (!IGNORED.contains(Schema.normalize(k))) {
                set.put(k, v);
            }
        });
        TransferOptions.defaults().with(set);
        device(cellOptions);
    }
}
