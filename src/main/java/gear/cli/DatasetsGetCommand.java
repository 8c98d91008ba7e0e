package gear.cli;

import picocli.CommandLine.Command;

/** {@code gear get}: Download a data set into the cache (checksum verified), or import it from a local mirror. */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Download a data set into the cache (checksum verified), or import it from a local mirror.")
final class DatasetsGetCommand extends NotImplemented {
    DatasetsGetCommand() {
        super("2 (foundation)");
    }
}
