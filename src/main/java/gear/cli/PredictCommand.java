package gear.cli;

import picocli.CommandLine.Command;

/** {@code gear predict}: Predict a CSV with a saved model. */
@Command(name = "predict", mixinStandardHelpOptions = true, description = "Predict a CSV with a saved model.")
final class PredictCommand extends NotImplemented {
    PredictCommand() {
        super("3 (D-MPNN single-task training)");
    }
}
