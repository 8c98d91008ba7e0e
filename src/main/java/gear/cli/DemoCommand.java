package gear.cli;

import gear.demo.Demo;
import gear.demo.DemoContext;
import gear.demo.DemoStage;
import gear.experiment.DemoTransferStage;
import gear.nn.Torch;
import gear.transfer.Methods;
import gear.transfer.TransferMethod;
import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gear demo}: the embedded default. Generates the project's own demo data set (Joback–Reid
 * estimates; see {@link gear.demo.DemoData}), then trains STL, GATE and GEAR on the Tb → Tc pair and
 * prints the test-RMSE table ({@link DemoTransferStage}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The embedded default: generate the project's own demo data set (Joback-Reid group-contribution "
                + "ESTIMATES of boiling point and critical temperature, with seeded noise; not measurements), then train "
                + "STL, GATE and GEAR on the Tb -> Tc pair, each at its own defaults (as gear transfer) with the "
                + "demo's epochs and hidden size, and print the test-RMSE table.",
            "Writes DIR/source_tb.csv, DIR/target_tc.csv, DIR/runs/METHOD/ (run directories), DIR/results.csv, "
                + "DIR/summary.md and DIR/rmse.png."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = {"-o", "--output-dir"}, defaultValue = "gear-demo", paramLabel = "DIR",
            description = "Output directory (created if absent; default: ${DEFAULT-VALUE}).")
    Path outputDir;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "Seed of the data set, the split and the training (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--methods", defaultValue = "stl,gate,gear", split = ",", paramLabel = "M",
            description = "Methods to train (default: ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--epochs", defaultValue = "30", paramLabel = "N", description = "Epochs per method (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--hidden-size", defaultValue = "300", paramLabel = "N",
            description = "D-MPNN hidden size (default: ${DEFAULT-VALUE}).")
    int hiddenSize;

    @Option(names = "--data-only", description = "Only generate the data set; train nothing.")
    boolean dataOnly;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = "data-parallel lanes of the training steps, as in train and transfer (default: ${DEFAULT-VALUE}).")
    int threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<DemoStage> stages = new ArrayList<>(Demo.stages());
        if (!dataOnly) {
            List<TransferMethod> ms = new ArrayList<>();
            for (String m : methods) {
                ms.add(Methods.get(m));
            }
            stages.add(new DemoTransferStage(ms, m -> { // each method at its own defaults, the demo's sizes
                TransferOptions d = TransferOptions.defaults(m);
                return d.with(TransferSchema.HIDDEN_SIZE, hiddenSize).with(TransferSchema.EPOCHS, epochs)
                        .with(TransferSchema.PRETRAIN_EPOCHS, Math.min(d.pretrainEpochs(), epochs))
                        .with(gear.train.TrainOptions.WARMUP_EPOCHS, Math.min(d.warmupEpochs(), epochs));
            }));
            Torch.initLanes(threads); // training steps on --threads data-parallel lanes, as train and transfer
        }
        Demo.run(new DemoContext(outputDir, seed, spec.commandLine().getOut()), stages);
        return 0;
    }
}
