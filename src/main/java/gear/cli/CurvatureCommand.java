package gear.cli;

import picocli.CommandLine.Command;

/** {@code gear curvature}: Per-molecule curvature diagnostics of a transfer model. */
@Command(name = "curvature", mixinStandardHelpOptions = true, description = "Per-molecule curvature diagnostics of a transfer model.")
final class CurvatureCommand extends NotImplemented {
    CurvatureCommand() {
        super("4 (geometry engine)");
    }
}
