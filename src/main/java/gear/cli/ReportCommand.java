package gear.cli;

import gear.experiment.report.RunReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gear report RUN_DIR [-o REPORT.html]}: one self-contained HTML page for a run or grid
 * directory (see {@link RunReport}); prints the page's path on stdout.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Turn a run or grid directory into one self-contained HTML page (readable offline: images, "
                + "CSS and script inline, nothing fetched).",
            "Shows what exists: the command to reproduce (from config.json), model provenance, results.json/"
                + "results.csv, summary.md, test predictions, metrics per epoch, split sizes, every PNG plot "
                + "(also in sub-directories, capped) and the configuration.",
            "A GATE or GEAR transfer run also gets the picture of its two latent manifolds (common space M, one PCA "
                + "basis, coloured by Ricci scalar and target value), drawn from its model and target data.",
            "A grid with task sets also gets k-task GEAR against its best single source and the k-task baselines; pair "
                + "cells of other grids come from --pairs-from, else from the grid directories its config.json records "
                + "(pairs_from)."})
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "Run or grid directory written by gear.")
    Path runDir;

    @Option(names = {"-o", "--output"}, paramLabel = "REPORT.html",
            description = "Where to write the page (default: RUN_DIR/report.html).")
    Path output;

    @picocli.CommandLine.Mixin
    PairsFromOption pairsFrom; // --pairs-from: the pair cells of a task-set grid's best single source

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path out = output != null ? output : runDir.resolve("report.html");
        RunReport.Summary s = RunReport.write(runDir, out, pairsFrom.dirs());
        String grids = s.pairGrids().describe();
        if (grids != null) {
            spec.commandLine().getErr().println("gear report: " + grids);
        }
        spec.commandLine().getErr().println("gear report: " + s.sections().size() + " sections, " + s.images()
                + " images");
        spec.commandLine().getOut().println(s.file());
        return 0;
    }
}
