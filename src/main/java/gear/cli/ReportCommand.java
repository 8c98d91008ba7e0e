package gear.cli;

import picocli.CommandLine.Command;

/** {@code gear report}: Turn a run or grid directory into one self-contained HTML page. */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Turn a run or grid directory into one self-contained HTML page.")
final class ReportCommand extends NotImplemented {
    ReportCommand() {
        super("6 (studies and report)");
    }
}
