package gear.cli;

import picocli.CommandLine.Command;

/** {@code gear curvature}: Time and memory of curvature: analytic routes vs nested autograd. */
@Command(name = "curvature", mixinStandardHelpOptions = true, description = "Time and memory of curvature: analytic routes vs nested autograd.")
final class BenchCurvatureCommand extends NotImplemented {
    BenchCurvatureCommand() {
        super("4 (geometry engine)");
    }
}
