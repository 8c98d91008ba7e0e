package gear.cli;

import picocli.CommandLine.Command;

/** {@code gear train}: Train a single-task D-MPNN (chemprop v1 semantics). */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a single-task D-MPNN (chemprop v1 semantics).")
final class TrainCommand extends NotImplemented {
    TrainCommand() {
        super("3 (D-MPNN single-task training)");
    }
}
