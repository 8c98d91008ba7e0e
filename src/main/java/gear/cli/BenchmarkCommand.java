package gear.cli;

import picocli.CommandLine.Command;

/** {@code gear benchmark}: Run a grid of pairs, methods, split types, folds and seeds. */
@Command(name = "benchmark", mixinStandardHelpOptions = true, description = "Run a grid of pairs, methods, split types, folds and seeds.")
final class BenchmarkCommand extends NotImplemented {
    BenchmarkCommand() {
        super("5 (transfer learning)");
    }
}
