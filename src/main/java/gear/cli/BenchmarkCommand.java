package gear.cli;

import gear.data.BadInputException;
import gear.data.SplitType;
import gear.experiment.grid.Ablation;
import gear.experiment.grid.CellRunner;
import gear.experiment.grid.CellRunners;
import gear.experiment.grid.Grid;
import gear.experiment.grid.GridConfig;
import gear.experiment.grid.Isolation;
import gear.experiment.grid.PairSpec;
import gear.experiment.grid.PairsFile;
import gear.experiment.grid.Tuned;
import gear.experiment.tune.TuneReport;
import gear.transfer.Methods;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gear benchmark}: the grid of pairs × methods × split types × seeds × folds (design/GEAR.md §6);
 * a thin wrapper over {@link Grid}.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = {"Run a grid of pairs, methods, split types, folds and seeds; resumable (finished cells are kept in "
                + "OUT/cells/<cell>/result.json and skipped on a rerun). Writes results.csv, results.json, summary.md, "
                + "plots and config.json into OUT.",
            "Protocol: per pair, split type and seed the target's test part (--test-fraction) is held out; the rest "
                + "(optionally subsampled to the pair's target_subsample) is cut into --folds folds, one validation, the "
                + "others train; the source loses every molecule of the target test set. Rows with bad or duplicated "
                + "SMILES are skipped (counted in the log).",
            "Studies: --noise-fractions (label noise), --split-types value,scaffold (extrapolation), --ablate (GEAR without "
                + "each loss term); their tables go into summary.md, their plots next to it.",
            "Each method trains at its own defaults (the values gear tune chose on validation; docs/RESULTS.md 'Tuned "
                + "defaults') unless --set, --protocol or --tuned give others.",
            "Task sets (k sources, one target; docs/KTASKS.md): a pairs file may hold them; each of their cells trains "
                + "one k-task run (stl: the target alone), and summary.md compares k-task GEAR with its best single source "
                + "(the pair GEAR cells of this grid and of --pairs-from) and the k-task baselines."})
final class BenchmarkCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ExperimentOptions experiment; // --pairs, --pair-ids, --split-types, --seeds, --folds, --test-fraction, --set, ...

    @Option(names = "--methods", split = ",", paramLabel = "M", completionCandidates = TransferCommand.MethodNames.class,
            description = "Methods (default: every registered method: ${COMPLETION-CANDIDATES}); also the GEAR variants: the ablation "
                    + "variants gear-no-auto, gear-no-cons, gear-no-map, gear-no-metric, gear-no-curv (that loss weight 0) and "
                    + "gear-strong-curv (curvature weight " + gear.experiment.grid.Ablation.STRONG_CURV_WEIGHT + ", matching enforced).")
    List<String> methods;

    @Option(names = "--max-folds", description = "Run only the first N folds (default: all k).")
    Integer maxFolds;

    @Option(names = "--workers", defaultValue = "1", description = "Cells run at once (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--isolation", defaultValue = "process",
            description = "process (default: one child JVM per cell, own single-threaded libtorch and random generator) "
                    + "or thread (cells share this JVM: only for runners without global random state).")
    String isolation;

    @Option(names = "--epochs", description = "Training epochs (passed to the methods).")
    Integer epochs;


    @Option(names = "--protocol", paramLabel = "FILE", description = "Options preset of a protocol, JSON {\"options\": "
            + "{KEY: VALUE}} (e.g. pairs/converged.json, the converged protocol; docs/BENCHMARK.md); --epochs, "
            + "--batch-size and --set override its keys.")
    Path protocol;

    @Option(names = "--runner", paramLabel = "CLASS",
            description = "CellRunner implementation on the class path (default: the registered transfer-method runner).")
    String runner;

    @Option(names = "--rerun-changed", description = "Rerun finished cells whose configuration changed (default: refuse).")
    boolean rerunChanged;

    @Option(names = "--summary-only", description = "Run no cell: rewrite results, summary and plots from the cells already "
            + "finished (e.g. after stopping a grid early; unfinished cells are reported as missing). Task sets: without "
            + "--pairs-from, the pair grids recorded in the grid's config.json (pairs_from) are read, as by a run, which "
            + "keeps them recorded.")
    boolean summaryOnly;

    @Option(names = "--no-plots", description = "Do not write the PNG plots.")
    boolean noPlots;

    @Option(names = "--worker-jvm-args", split = " ", paramLabel = "ARGS", description = "Extra JVM arguments of child workers, e.g. \"-Xmx4g\".")
    List<String> workerJvmArgs;

    @Option(names = "--noise-fractions", split = ",", paramLabel = "F",
            description = "Label-noise study: fractions of each cell's target training labels to corrupt, one cell per "
                    + "fraction (e.g. 0,0.1,0.2,0.4; default: none, a clean grid). Validation, test and source stay clean.")
    List<Double> noiseFractions;

    @Option(names = "--noise-sigma", paramLabel = "K",
            description = "Shift of a corrupted label, ± K standard deviations of the cell's target training labels "
                    + "(default: 2).")
    Double noiseSigma;

    @Option(names = "--ablate",
            description = "Ablation study: add the GEAR variants gear-no-auto, gear-no-cons, gear-no-map, gear-no-metric and "
                    + "gear-no-curv (each sets exactly that loss weight to 0) and record the training RMSE per epoch.")
    boolean ablate;

    @Option(names = "--train-rmse",
            description = "Record each cell's target training RMSE after every epoch (metrics.csv; train-validation gap in "
                    + "the results; one extra prediction pass per epoch, no change to results). Implied by --ablate.")
    boolean trainRmse;

    @Option(names = "--tuned", paramLabel = "CHOSEN.json", split = ",",
            description = "Per-method option values chosen by 'gear tune' (its OUT/chosen.json): each cell trains with its "
                    + "method's values (ablation variants with gear's); recorded in each cell's config.json as \"tuned\". "
                    + "Repeatable, for staged tunes: a later file's methods replace an earlier file's (a method keeps the "
                    + "cells of the file it comes from). Every method run must be in a file, and a tuned key cannot also be "
                    + "given with --set.")
    List<Path> tuned;

    @CommandLine.Mixin
    PairsFromOption pairsFrom; // --pairs-from: the pair cells of the task sets' best single source

    @CommandLine.Mixin
    ScaleOptions scale; // --engine, --master, --list-cells, --run-cell (docs/SCALING.md)

    @Override
    public Integer call() throws Exception {
        // --device (gear.train.TrainOptions.DEVICE): checked before anything else (cuda without a usable GPU: exit 2);
        // the cells (in this JVM or in worker processes) train there
        String device = DeviceOption.explicit(spec.commandLine());
        if (device != null) {
            gear.nn.Torch.checkDevice(device); // without loading libtorch for the CPU (a Spark driver only schedules)
        }
        PrintWriter err = spec.commandLine().getErr();
        Path dd = experiment.dataDir();
        List<PairSpec> pairs = experiment.pairs();
        List<String> ms = new ArrayList<>(methods == null ? Methods.names() : methods);
        if (ablate) {
            Ablation.variants().stream().filter(v -> !ms.contains(v)).forEach(ms::add);
        }
        for (String m : ms) {
            if (!Methods.names().contains(m) && !Ablation.isVariant(m)) {
                throw new BadInputException("--methods: unknown method '" + m + "'; known: " + String.join(", ", Methods.names())
                        + " and the GEAR variants " + String.join(", ", Ablation.allVariants()));
            }
        }
        if (noiseSigma != null && noiseFractions == null) {
            throw new BadInputException("--noise-sigma needs --noise-fractions");
        }
        List<SplitType> types = experiment.splitTypes();
        PairsFile.check(pairs, dd);
        Map<String, String> options = new LinkedHashMap<>();
        if (protocol != null) {
            options.putAll(gear.experiment.grid.ProtocolFile.read(protocol));
        }
        if (epochs != null) {
            ExperimentOptions.put(options, "epochs", epochs.toString());
        }
        if (!DeviceOption.isCpu(device)) {
            // the CPU, the default, is left out: the same cells (fingerprints) as without
            ExperimentOptions.put(options, "device", device);
        }
        experiment.putInto(options); // --batch-size, then --set: one entry per option, overriding the protocol's key
        Optional<String> runnerClass = runner != null ? Optional.of(runner) : CellRunners.defaultRunnerClass();
        if (runnerClass.isEmpty()) {
            err.println("gear benchmark: " + CellRunners.UNAVAILABLE);
            err.flush();
            return Main.EXIT_BAD_INPUT;
        }
        if (tuned != null) {
            String purge = TuneReport.sourcePurge(options);
            List<TuneReport.Chosen> chosen = tuned.stream().map(TuneReport::readChosen).toList();
            for (TuneReport.Chosen c : chosen) {
                String w = TuneReport.purgeMismatch(c, purge);
                if (w != null) {
                    err.println("gear benchmark: " + w);
                }
            }
            options.putAll(TunedValues.options(chosen, ms, options));
        }
        CellRunner cellRunner = CellRunners.create(runnerClass.get());
        if (tuned == null) {
            cellRunner.checkOptions(options);
        } else {
            for (String m : ms) {
                Map<String, String> resolved = new LinkedHashMap<>(Tuned.resolve(options, m));
                resolved.remove(Tuned.MARKER);
                cellRunner.checkOptions(resolved);
            }
        }
        int folds = experiment.folds;
        GridConfig cfg = new GridConfig(pairs, ms, types, folds, maxFolds == null ? folds : maxFolds, experiment.seeds,
                experiment.testFraction, options, dd, experiment.cacheDir(), runnerClass.get(), workers, Isolation.parse(isolation),
                noiseFractions == null ? List.of(0.0) : noiseFractions,
                noiseSigma == null ? GridConfig.DEFAULT_NOISE_SIGMA : noiseSigma, trainRmse || ablate);
        Path out = experiment.out;
        Grid grid = new Grid(cfg, out, System.err).rerunChanged(rerunChanged).plots(!noPlots).summaryOnly(summaryOnly)
                .workerJvmArgs(workerJvmArgs == null ? List.of() : workerJvmArgs);
        Integer scaled = scale.apply(cfg, grid, spec.commandLine().getOut(), err);
        if (scaled != null) {
            return scaled;
        }
        grid.pairsFrom(pairsFrom.dirs()); // read by the summary only, so not by --list-cells and --run-cell
        if (pairs.stream().noneMatch(PairSpec::isTaskSet)) {
            if (!pairsFrom.dirs().isEmpty()) {
                err.println("gear benchmark: note: --pairs-from is ignored: the pairs file has no task set");
            }
        } else if (grid.pairGrids().describe() != null) { // given, or recorded in config.json (a run keeps them there)
            err.println("gear benchmark: " + grid.pairGrids().describe());
        }
        err.flush();
        Grid.Outcome o = grid.run();
        PrintWriter pw = spec.commandLine().getOut();
        pw.println(o.total() + " cells: " + o.skipped() + " finished before, " + o.ran() + " run now, " + o.failed().size()
                + " failed; results in " + out.resolve("results.csv") + ", summary in " + out.resolve("summary.md"));
        o.failed().forEach((id, msg) -> pw.println("failed: " + id + ": " + msg));
        gear.experiment.grid.Convergence.warnings(gear.experiment.grid.Convergence.compute(o.rows())).forEach(pw::println);
        gear.experiment.grid.TaskSets.Result sets = gear.experiment.grid.TaskSets.compute(o.rows(), grid.taskSetInput(),
                cfg.taskType());
        gear.experiment.grid.TaskSets.lines(sets).forEach(pw::println);
        pw.flush();
        if (sets.refusal() != null) {
            return Main.EXIT_BAD_INPUT;
        }
        return o.failed().isEmpty() ? 0 : Main.EXIT_FAILED;
    }
}
