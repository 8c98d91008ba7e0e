package gear.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gear datasets}: the registry of public data sets. */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = "Known public data sets: list, get (download or import, checksum verified), check (validate a CSV), overlap "
                + "(a target's molecules in a source, near-duplicates included).",
        subcommands = {DatasetsListCommand.class, DatasetsGetCommand.class, DatasetsCheckCommand.class, DatasetsOverlapCommand.class})
final class DatasetsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: list, get, check or overlap");
    }
}
