package gear.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code gear} command line. Commands are thin wrappers over library calls.
 *
 * <p>Exit codes: 0 success, 1 run failed, 2 bad usage or bad input (any I/O failure included);
 * failures are reported in one line by {@link ErrorReport}.
 */
@Command(name = "gear", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Transfer learning between molecular property prediction tasks by geometric embedding "
                + "alignment via curvature matching (GEAR), GATE and baselines, on a chemprop-style D-MPNN.",
        subcommands = {
            DemoCommand.class, TrainCommand.class, PredictCommand.class, EmbedCommand.class, TransferCommand.class,
            BenchmarkCommand.class, CurvatureCommand.class, BenchCommand.class, DatasetsCommand.class,
            ReportCommand.class, TuneCommand.class, CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    /** Exit code for bad usage or bad input. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code for a run that failed. */
    public static final int EXIT_FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    /** Runs the CLI and exits the JVM with its exit code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI in-process (for tests) and returns the exit code. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** @return the configured picocli command line (exception handling, exit codes) */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setOverwrittenOptionsAllowed(true); // the last of a repeated option wins (e.g. a printed command plus -o DIR)
        TransferCommand.addSchemaOptions(cl.getSubcommands().get("transfer").getCommandSpec());
        SchemaOptions.add(cl.getSubcommands().get("train").getCommandSpec(), TrainCommand.SCHEMA, java.util.Map.of());
        DeviceOption.add(cl.getSubcommands().get("benchmark").getCommandSpec());
        DeviceOption.add(cl.getSubcommands().get("curvature").getCommandSpec());
        DeviceOption.add(cl.getSubcommands().get("bench").getSubcommands().get("train").getCommandSpec());
        DeviceOption.add(cl.getSubcommands().get("bench").getSubcommands().get("curvature").getCommandSpec());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> ErrorReport.handle(ex, cmd, parsed));
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("gear: " + ex.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr())) {
                c.getErr().println("Try 'gear " + (c.getCommandName().equals("gear") ? "" : c.getCommandName() + " ")
                        + "--help' for more information.");
            }
            return EXIT_BAD_INPUT;
        });
        return cl;
    }

    /** Version from the build (Maven project version) and the libtorch / CDK versions. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws Exception {
            return new String[] {"gear " + version(), "libtorch 2.7.1 (JavaCPP 1.5.12), CDK 2.12, Java "
                    + System.getProperty("java.version")};
        }
    }

    /** @return the project version baked in at build time */
    public static String version() {
        return gear.train.Provenance.buildVersion();
    }
}
