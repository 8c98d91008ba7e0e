package gear.cli;

import gear.data.BadInputException;
import gear.experiment.grid.PairsFile;
import gear.experiment.tune.SearchSpace;
import gear.experiment.tune.TuneConfig;
import gear.experiment.tune.TuneReport;
import gear.experiment.tune.Tuner;
import gear.transfer.Methods;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gear tune}: the same number of trials for every method, on validation folds only; a thin wrapper over
 * {@link Tuner}.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = {"Tune every method equally: seeded random search with successive halving over a declared search space "
                + "(--space, or the default: max_lr and dropout for every method, plus each method's own weights), the same "
                + "trials and epochs for every method, scored on the validation fold of the grid's protocol (the test part is "
                + "never evaluated). Resumable: finished trials are kept in OUT/trials/<trial>/result.json; several processes "
                + "may work on one OUT. Writes OUT/chosen.json (for 'gear benchmark --tuned'), summary.md and trials.csv. "
                + "A second stage: --tuned an earlier chosen.json fixes its values and tunes only the space's keys."})
final class TuneCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ExperimentOptions experiment; // --pairs, --pair-ids, --split-types, --seeds, --folds, --test-fraction, --set, ...

    @Option(names = "--methods", split = ",", paramLabel = "M", completionCandidates = TransferCommand.MethodNames.class,
            description = "Methods (default: every registered method: ${COMPLETION-CANDIDATES}).")
    List<String> methods;

    @Option(names = "--fold", defaultValue = "0", description = "The validation fold of the trials (default: ${DEFAULT-VALUE}).")
    int fold;

    @Option(names = "--trials", description = "Configurations per method at the first rung (default: 9; a grid search space: "
            + "its size).")
    Integer trials;

    @Option(names = "--tuned", paramLabel = "CHOSEN.json", description = "Start each method from the values an earlier tune "
            + "chose (its chosen.json): those not in the search space stay fixed, those in it are tuned again; this tune's "
            + "chosen.json holds both, for 'gear benchmark --tuned'. A value given with --set too is refused.")
    Path tuned;

    @Option(names = "--min-epochs", defaultValue = "10", description = "Epochs at the first rung (default: ${DEFAULT-VALUE}).")
    int minEpochs;

    @Option(names = "--eta", defaultValue = "3", description = "Halving factor: 1/eta of the configurations go on, with eta times the epochs (default: ${DEFAULT-VALUE}).")
    int eta;

    @Option(names = "--rungs", description = "Rungs of successive halving (default: floor(log_eta trials), at least 1).")
    Integer rungs;

    @Option(names = "--space", paramLabel = "SPACE.json", description = "Search space file: {\"shared\": {KEY: RANGE}, \"methods\": "
            + "{METHOD: {KEY: RANGE}}}, RANGE one of {\"log_uniform\": [lo, hi]}, {\"uniform\": [lo, hi]}, {\"int_uniform\": [lo, hi]}, "
            + "{\"choice\": [...]}; with \"search\": \"grid\" every choice combination is one configuration (default: the "
            + "built-in space, random search; docs/BENCHMARK.md \"Tuning\").")
    Path space;

    @Option(names = "--tune-seed", defaultValue = "0", description = "Seed of the configurations' draws (default: ${DEFAULT-VALUE}).")
    long tuneSeed;

    @Option(names = "--max-trials", description = "Run at most N trials now and stop (the rest on the next run of the same command).")
    Integer maxTrials;

    /**
     * @return the tune's configuration from the command line (pairs, methods, units, space and schedule; data files
     *     not yet checked)
     * @throws BadInputException for an unknown pair or method, or a bad search space file
     */
    TuneConfig config() {
        List<String> ms = methods == null ? Methods.names() : methods;
        for (String m : ms) {
            if (!Methods.names().contains(m)) {
                throw new BadInputException("--methods: unknown method '" + m + "'; known: " + String.join(", ", Methods.names()));
            }
        }
        SearchSpace sp;
        try {
            sp = space == null ? SearchSpace.defaults(ms) : SearchSpace.read(space, ms);
        } catch (IllegalArgumentException e) {
            throw new BadInputException((space == null ? "" : space + ": ") + e.getMessage(), e);
        }
        int n = trials != null ? trials : sp.grid() ? (int) Math.min(Integer.MAX_VALUE, sp.gridSize(ms.get(0))) : 9;
        TuneReport.Chosen base = tuned == null ? null : TuneReport.readChosen(tuned);
        return new TuneConfig(experiment.pairs(), ms, experiment.splitTypes(), experiment.seeds, experiment.folds, fold,
                experiment.testFraction, experiment.putInto(new LinkedHashMap<>()), sp, n, minEpochs, eta,
                rungs == null ? TuneConfig.defaultRungs(n, eta) : rungs, tuneSeed, experiment.dataDir(),
                experiment.cacheDir(), base);
    }

    @Override
    public Integer call() throws Exception {
        TuneConfig cfg = config();
        PairsFile.check(cfg.pairs(), cfg.dataDir());
        Path out = experiment.out;
        if (cfg.base() != null) {
            String w = TuneReport.purgeMismatch(cfg.base(), TuneReport.sourcePurge(cfg.options()));
            if (w != null) {
                spec.commandLine().getErr().println("gear tune: " + w);
                spec.commandLine().getErr().flush();
            }
        }
        Tuner t = new Tuner(cfg, out, System.err);
        if (maxTrials != null) {
            if (maxTrials < 0) {
                throw new BadInputException("--max-trials must be at least 0, got " + maxTrials);
            }
            t.maxTrials(maxTrials);
        }
        Tuner.Outcome o = t.run();
        PrintWriter pw = spec.commandLine().getOut();
        if (!o.complete()) {
            pw.println("not complete: " + o.done() + " of the trials finished (" + o.ran() + " now); run the same command again "
                    + "to go on");
        } else {
            pw.println("tune complete: " + cfg.trialsPerMethod() + " trials per method (" + o.ran() + " run now); chosen on "
                    + "validation:");
            for (TuneReport.Choice c : o.chosen().values()) {
                List<String> v = new ArrayList<>();
                c.values().forEach((k, x) -> v.add(k + "=" + x));
                pw.printf(java.util.Locale.ROOT, "  %s: %s (score %.4f)%n", c.method(), String.join(" ", v), c.score());
            }
            pw.println("chosen values in " + out.resolve(TuneReport.CHOSEN) + " (gear benchmark --tuned), summary in "
                    + out.resolve("summary.md"));
        }
        pw.flush();
        return 0;
    }
}
