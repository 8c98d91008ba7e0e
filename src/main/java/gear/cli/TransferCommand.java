package gear.cli;

import picocli.CommandLine.Command;

/** {@code gear transfer}: Train one source -> target pair with one method. */
@Command(name = "transfer", mixinStandardHelpOptions = true, description = "Train one source -> target pair with one method.")
final class TransferCommand extends NotImplemented {
    TransferCommand() {
        super("5 (transfer learning)");
    }
}
