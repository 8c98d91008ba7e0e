package gear.cli;

import gear.demo.Demo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gear demo}: generates the project's own demo data set (Joback–Reid estimates with noise,
 * see {@link gear.demo.DemoData}) and runs the demo stages that exist ({@link Demo#stages()}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Generate the project's own demo data set (Joback-Reid group-contribution ESTIMATES of boiling "
                + "point and critical temperature, with seeded noise; not measurements) and run the demo stages "
                + "that exist so far.",
            "Training STL, GATE and GEAR on the data arrives with issues 3 and 5."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = {"-o", "--output-dir"}, defaultValue = "gear-demo", paramLabel = "DIR",
            description = "Output directory (created if absent; default: ${DEFAULT-VALUE}).")
    Path outputDir;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "Seed of the data set's row order, target subset and noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Demo.run(outputDir, seed, spec.commandLine().getOut());
        return 0;
    }
}
