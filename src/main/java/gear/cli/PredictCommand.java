package gear.cli;

import gear.data.BadInputException;
import gear.data.BadRow;
import gear.data.InvalidPolicy;
import gear.nn.Torch;
import gear.run.PredictRun;
import gear.train.ModelFile;
import gear.train.TrainedModel;
import gear.transfer.Task;
import gear.transfer.TransferModel;
import gear.transfer.TransferModelFile;
import java.util.List;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gear predict}: predictions of a model file for a CSV; a thin wrapper over {@link PredictRun}.
 * Bad rows: {@code --invalid fail} (default) stops with exit code 2 listing them; {@code skip} lists
 * them on stderr and writes them with empty predictions.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predict with a model file written by gear train (or one task of a transfer model).",
            "Output: one row per input row, 'smiles' then one column per target; rows that cannot be featurized "
                    + "fail the run (--invalid fail) or get empty predictions and are listed on stderr (--invalid skip)."})
final class PredictCommand implements Callable<Integer> {
    @Option(names = {"-i", "--data-path"}, required = true, paramLabel = "CSV", description = "molecules to predict")
    Path input;

    @Option(names = {"--model", "--model-path"}, required = true, paramLabel = "MODEL", description = "model file")
    Path model;

    @Option(names = {"-o", "--preds-path"}, required = true, paramLabel = "PRED_CSV", description = "output CSV")
    Path output;

    @Option(names = {"-s", "--smiles-column"}, paramLabel = "COL", description = "SMILES column (default: the first column)")
    String smilesColumn;

    @Option(names = "--invalid", defaultValue = "fail", paramLabel = "fail|skip",
            description = "rows with an unparsable SMILES: fail (default) or skip (empty predictions, listed on stderr)")
    String invalid;

    @Option(names = "--task", paramLabel = "source|target", description = "task of a transfer model: source or target (default: target; transfer models only)")
    String task;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = "libtorch threads (default: 1)")
    int threads;

    @Option(names = {"-q", "--quiet"}, description = "no messages on stderr")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        InvalidPolicy policy = InvalidPolicy.parse(invalid);
        Torch.init(threads);
        PredictRun.Result r;
        if (TransferModelFile.isTransferModel(model)) {
            TransferModel m = TransferModelFile.load(model);
            Task t = Task.parse(task == null ? "target" : task);
            r = PredictRun.run(List.of(m.taskName(t)), graphs -> column(m.predict(t, graphs)), input, smilesColumn,
                    policy, output);
        } else {
            r = PredictRun.run(load(model, task), input, smilesColumn, policy, output);
        }
        if (!r.badRows().isEmpty()) {
            System.err.println("gear predict: " + r.badRows().size() + " rows without prediction (empty cells in " + output + "):");
            for (BadRow b : r.badRows()) {
                System.err.println("  " + b);
            }
        }
        if (!quiet) {
            System.err.println("gear predict: " + r.predicted() + " of " + r.rows() + " rows predicted -> " + output);
        }
        return 0;
    }

    /**
     * Loads a model file of any type this tool writes. Single D-MPNN models ({@code dmpnn}) are read
     * here; transfer models (one encoder per task) will be dispatched on their model type with
     * {@code task} choosing the head.
     */
    static TrainedModel load(Path file, String task) {
        String type = ModelFile.modelType(file);
        if (type.equals("dmpnn")) {
            if (task != null) {
                throw new IllegalArgumentException("--task " + task + ": " + file
                        + " is a single-task D-MPNN model; --task applies to transfer models only");
            }
            return ModelFile.load(file);
        }
        throw new BadInputException(file + ": unknown model type '" + type + "' (expected dmpnn or "
                + TransferModelFile.MODEL_TYPE + ")");
    }

    private static double[][] column(double[] v) {
        double[][] out = new double[v.length][1];
        for (int i = 0; i < v.length; i++) {
            out[i][0] = v[i];
        }
        return out;
    }
}
