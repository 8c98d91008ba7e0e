package gear.cli;

import picocli.CommandLine.Command;

/** {@code gear check}: Validate a CSV and report every bad row. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Validate a CSV and report every bad row.")
final class DatasetsCheckCommand extends NotImplemented {
    DatasetsCheckCommand() {
        super("2 (foundation)");
    }
}
