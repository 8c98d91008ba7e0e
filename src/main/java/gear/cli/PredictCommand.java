package gear.cli;

import gear.data.BadRow;
import gear.data.InvalidPolicy;
import gear.nn.Torch;
import gear.run.PredictProgress;
import gear.run.PredictRun;
import gear.run.Predictor;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gear predict}: predictions of a model file for a CSV, streamed ({@link PredictRun}) or, with
 * {@code --engine spark}, distributed over a Spark cluster ({@code gear.spark.SparkPredict}: one part file per
 * input partition in the output directory). Bad rows: {@code --invalid skip} (default) writes them with empty
 * predictions and their reason; {@code fail} stops with exit code 2 naming the row.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predict with a model file written by gear train (or one task of a transfer model).",
            "An ensemble (--ensemble-size) or mve model adds a <target>_std column after each target.",
            "Output: one row per input row, 'smiles', one column per target, and 'reason' (why a row has no prediction: "
                    + "empty SMILES, unparsable SMILES...; empty for predicted rows). The input is streamed in chunks and "
                    + "the output written to a temporary file moved into place at the end: memory does not grow with the input.",
            "--engine spark --master URL: distributed; -o is then a directory receiving one part-NNNNN.csv per partition."})
final class PredictCommand implements Callable<Integer> {
    @Option(names = {"-i", "--data-path"}, required = true, paramLabel = "CSV", description = "molecules to predict")
    Path input;

    @Option(names = {"--model", "--model-path"}, required = true, paramLabel = "MODEL", description = "model file")
    Path model;

    @Option(names = {"-o", "--preds-path"}, required = true, paramLabel = "PRED_CSV",
            description = "output CSV (a directory of part files with --engine spark); must not be the input")
    Path output;

    @Option(names = {"-s", "--smiles-column"}, paramLabel = "COL", description = "SMILES column (default: the first column)")
    String smilesColumn;

    @Option(names = "--invalid", defaultValue = "skip", paramLabel = "skip|fail",
            description = "bad rows: skip (default: empty predictions, reason column, listed on stderr) or fail (stop, exit 2)")
    String invalid;

    @Option(names = "--task", paramLabel = "source|target|NAME", description = "task of a transfer model: source or target (default: target), or the task NAME (column) of a k-task model (default: its evaluated task); transfer models only")
    String task;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = "libtorch threads (default: 1)")
    int threads;

    @Option(names = "--featurize-threads", defaultValue = "1", paramLabel = "N",
            description = "threads parsing and featurizing SMILES beside the prediction thread (default: ${DEFAULT-VALUE})")
    int featurizeThreads;

    @Option(names = "--chunk-size", defaultValue = "1024", paramLabel = "ROWS",
            description = "rows read, featurized and written together (default: ${DEFAULT-VALUE})")
    int chunkSize;

    @Option(names = "--engine", defaultValue = "local", paramLabel = "local|spark",
            description = "local (default: this process) or spark (distributed; needs --master and Spark on the class path)")
    String engine;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master URL, e.g. spark://host:7077 or local[4] (--engine spark)")
    String master;

    @Option(names = "--partitions", paramLabel = "N", description = "input partitions = part files (--engine spark; default: Spark's)")
    Integer partitions;

    @Option(names = {"-q", "--quiet"}, description = "no messages on stderr")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        InvalidPolicy policy = InvalidPolicy.parse(invalid);
        PredictRun.refuseOutputIsInput(input, output);
        if (Engine.parse(engine) == Engine.SPARK) {
            if (master == null) {
                throw new IllegalArgumentException("--engine spark needs --master URL (e.g. spark://host:7077 or local[4])");
            }
            gear.spark.SparkPredict.Outcome r = gear.spark.SparkPredict.run(new gear.spark.SparkPredict.Job(input, model, task,
                    smilesColumn, policy, output, master, partitions == null ? 0 : partitions));
            if (!quiet) {
                System.err.println("gear predict: " + r.predicted() + " of " + r.rows() + " rows predicted in " + r.parts()
                        + " part files -> " + output + (r.bad() > 0 ? " (" + r.bad() + " rows without prediction, reason in "
                        + "the part files)" : ""));
            }
            return 0;
        }
        if (master != null || partitions != null) {
            throw new IllegalArgumentException("--master and --partitions need --engine spark");
        }
        Torch.init(threads);
        Predictor p = Predictor.load(model, task);
        PredictRun.Options o = new PredictRun.Options().chunkSize(chunkSize).featurizeThreads(featurizeThreads).policy(policy)
                .progress(quiet ? PredictProgress.none() : PredictProgress.of(input, System.err, System.console() != null));
        PredictRun.Result r = PredictRun.run(p, input, smilesColumn, o, output);
        if (r.bad() > 0 && !quiet) {
            System.err.println("gear predict: " + r.bad() + " rows without prediction (empty cells and a reason in " + output
                    + ")" + (r.bad() > r.firstBadRows().size() ? "; the first " + r.firstBadRows().size() + ":" : ":"));
            for (BadRow b : r.firstBadRows()) {
                System.err.println("  " + b);
            }
        }
        if (!quiet) {
            System.err.println("gear predict: " + r.predicted() + " of " + r.rows() + " rows predicted -> " + output);
        }
        return 0;
    }
}
