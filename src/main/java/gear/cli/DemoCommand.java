package gear.cli;

import picocli.CommandLine.Command;

/** {@code gear demo}: Generate the project's own demo data set and train STL, GATE and GEAR on it. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Generate the project's own demo data set and train STL, GATE and GEAR on it.")
final class DemoCommand extends NotImplemented {
    DemoCommand() {
        super("2 (foundation), extended by 3 and 5");
    }
}
