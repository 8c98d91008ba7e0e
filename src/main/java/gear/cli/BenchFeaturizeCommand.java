package gear.cli;

import picocli.CommandLine.Command;

/** {@code gear featurize}: Parsing + featurization throughput (molecules/second). */
@Command(name = "featurize", mixinStandardHelpOptions = true, description = "Parsing + featurization throughput (molecules/second).")
final class BenchFeaturizeCommand extends NotImplemented {
    BenchFeaturizeCommand() {
        super("2 (foundation)");
    }
}
