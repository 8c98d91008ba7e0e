package gear.cli;

import picocli.CommandLine.Command;

/** {@code gear train}: Training throughput and peak memory. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Training throughput and peak memory.")
final class BenchTrainCommand extends NotImplemented {
    BenchTrainCommand() {
        super("3 (D-MPNN single-task training)");
    }
}
