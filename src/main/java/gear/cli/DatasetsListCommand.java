package gear.cli;

import picocli.CommandLine.Command;

/** {@code gear list}: List the known public data sets. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the known public data sets.")
final class DatasetsListCommand extends NotImplemented {
    DatasetsListCommand() {
        super("2 (foundation)");
    }
}
