package gear.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gear bench}: performance benchmarks; each prints one JSON object per measurement on stdout. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Performance benchmarks; one JSON object per measurement on stdout.",
        subcommands = {BenchFeaturizeCommand.class, BenchTrainCommand.class, BenchCurvatureCommand.class, BenchPredictCommand.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a benchmark is required: featurize, train, curvature or predict");
    }
}
