package gear.cli;

import picocli.CommandLine.Option;

/**
 * {@code --member I} of the commands that act on one model of an ensemble file ({@code embed}, {@code curvature}):
 * declared once here and mixed into each ({@code @Mixin MemberOption member;}).
 */
final class MemberOption {
    @Option(names = "--member", defaultValue = "0", paramLabel = "I",
            description = "ensemble model file (gear train|transfer --ensemble-size): use member I (default: "
                    + "${DEFAULT-VALUE}, the plain run of the seed); a plain model file is member 0")
    int index;

    /** @return the message naming the member used, or null for a plain model file */
    static String describe(gear.transfer.ModelFiles.Member m, java.nio.file.Path file) {
        return m.size() == 1 ? null : "member " + m.index() + " of the ensemble of " + m.size() + " in " + file
                + " (--member)";
    }
}
