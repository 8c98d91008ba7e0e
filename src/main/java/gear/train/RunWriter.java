package gear.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.AtomicFiles;
import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.data.SplitsFile;
import gear.eval.ParityPlots;
import gear.eval.Plots;
import gear.geometry.LatentDiagnostics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one writer of a run directory, used by {@code gear train} ({@code gear.run.TrainRun}) and
 * {@code gear transfer} ({@code gear.transfer.TransferRun}). Every file is written atomically (temporary file,
 * then rename):
 *
 * <ul>
 *   <li>{@value #CONFIG}: one schema for both commands: {@code command}, {@code argv} (the command's
 *       arguments; empty when the run was started from the library and no command line can be rebuilt),
 *       {@code gear_version}, then the command's resolved settings ({@link #writeConfig});</li>
 *   <li>{@value #SPLITS}: the split ({@link SplitsFile});</li>
 *   <li>{@value #MODEL}: the model file, written by the caller's model-file writer ({@link #writeModel});</li>
 *   <li>{@value #METRICS}: one row per epoch, in the single-task form ({@link #epochMetricsCsv}) or with the
 *       phase and every named loss term ({@link #termMetricsCsv});</li>
 *   <li>{@value #TEST_PREDICTIONS}, {@value #TEST_METRICS}: test-set predictions and metrics;</li>
 *   <li>{@value #LEARNING_CURVE}, {@value #PARITY}, {@value #HIST}: plots;</li>
 *   <li>{@value RunGuard#INCOMPLETE} while the run has not finished ({@link #markIncomplete}).</li>
 * </ul>
 */
public final class RunWriter {
    /** Resolved configuration. */
    public static final String CONFIG = "config.json";
    /** Split indices and SMILES. */
    public static final String SPLITS = "splits.json";
    /** Model file. */
    public static final String MODEL = "model.gear";
    /** Per-epoch metrics. */
    public static final String METRICS = "metrics.csv";
    /** Test-set predictions. */
    public static final String TEST_PREDICTIONS = "test_predictions.csv";
    /** Test-set metrics (JSON). */
    public static final String TEST_METRICS = "test_metrics.json";
    /** Learning curve plot. */
    public static final String LEARNING_CURVE = "learning_curve.png";
    /** Parity plot of the test set. */
    public static final String PARITY = "parity.png";
    /** Histogram of the curvature of latent manifolds. */
    public static final String HIST = "curvature_hist.png";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final TaskType taskType;

    /** Writes a model file to a path (the model-file writer of the run's kind). */
    @FunctionalInterface
    public interface ModelSaver {
        /** Writes the model to {@code file}. */
        void save(Path file) throws IOException;
    }

    /** A run directory at {@code dir} (created when missing). */
    public RunWriter(Path dir) throws IOException {
        this(dir, Regression.INSTANCE);
    }

    /** A run directory at {@code dir} (created when missing) whose metric names come from {@code taskType}. */
    public RunWriter(Path dir, TaskType taskType) throws IOException {
        this.dir = dir;
        this.taskType = taskType;
        Files.createDirectories(dir);
    }

    /**
     * Checks, before anything is trained, that the run directory can be written ({@link OutputDir#prepare}).
     *
     * @throws gear.data.BadInputException naming the directory and the problem
     */
    public static void prepare(Path dir) {
        OutputDir.prepare(dir);
    }

    /** @return the directory */
    public Path dir() {
        return dir;
    }

    /** @return the path of a file in the directory */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /**
     * The {@value #CONFIG} object of the one schema: {@code command}, {@code argv} (an empty array when null),
     * {@code gear_version}, then the fields of {@code settings} (other than those three) in their order.
     */
    public static ObjectNode config(String command, JsonNode argv, ObjectNode settings) {
        ObjectNode n = JSON.createObjectNode();
        n.put("command", command);
        n.set("argv", argv == null ? JSON.createArrayNode() : argv.deepCopy());
        n.put("gear_version", Provenance.buildVersion());
        settings.fields().forEachRemaining(e -> {
            if (!Set.of("command", "argv", "gear_version").contains(e.getKey())) {
                n.set(e.getKey(), e.getValue());
            }
        });
        return n;
    }

    /** Writes {@value #CONFIG} (an object made by {@link #config}). */
    public void writeConfig(ObjectNode config) throws IOException {
        writeJson(CONFIG, config);
    }

    /** Writes a JSON object, pretty-printed. */
    public void writeJson(String name, ObjectNode n) throws IOException {
        AtomicFiles.writeString(file(name), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n");
    }

    /** Writes a text file. */
    public void writeText(String name, String text) throws IOException {
        AtomicFiles.writeString(file(name), text);
    }

    /** Writes {@value #SPLITS}. */
    public void writeSplits(Split split, MoleculeDataset ds) throws IOException {
        SplitsFile.write(file(SPLITS), split, ds);
    }

    /** Writes {@value #MODEL} with the model-file writer of the run's kind. */
    public void writeModel(ModelSaver saver) throws IOException {
        saver.save(file(MODEL));
    }

    /** Marks the run as not finished ({@link RunGuard#markIncomplete}). */
    public void markIncomplete(String command) throws IOException {
        RunGuard.markIncomplete(dir, command);
    }

    /** Marks the run as finished ({@link RunGuard#markComplete}). */
    public void markComplete() throws IOException {
        RunGuard.markComplete(dir);
    }

    /** Writes {@value #METRICS} in the single-task form ({@link #epochMetricsCsv}). */
    public void writeEpochMetrics(List<EpochStats> history) throws IOException {
        writeText(METRICS, epochMetricsCsv(taskType, history));
    }

    /** Writes {@value #METRICS} with every loss term ({@link #termMetricsCsv}). */
    public void writeTermMetrics(Collection<String> declared, List<EpochStats> history) throws IOException {
        writeText(METRICS, termMetricsCsv(taskType, declared, history));
    }

    /** @return single-task metrics: {@code epoch,train_loss,val_rmse,lr,seconds}, one row per epoch (from 1) */
    public static String epochMetricsCsv(List<EpochStats> history) {
        return epochMetricsCsv(Regression.INSTANCE, history);
    }

    /** @return single-task metrics, the validation column named by the task type ({@link TaskType#valColumn}) */
    public static String epochMetricsCsv(TaskType taskType, List<EpochStats> history) {
        StringBuilder sb = new StringBuilder("epoch,train_loss," + taskType.valColumn() + ",lr,seconds\n");
        for (EpochStats s : history) {
            sb.append(String.format(Locale.ROOT, "%d,%s,%s,%s,%.3f%n", s.epoch() + 1, num(s.trainLoss()), num(s.valScore()),
                    num(s.lr()), s.seconds()));
        }
        return sb.toString();
    }

    /**
     * @param declared the loss terms and diagnostics in their declared order (terms logged but not declared
     *     follow them, so that no term is left out)
     * @return metrics with the named terms: {@code phase,epoch,<terms>,val_rmse,lr,seconds,kept}
     */
    public static String termMetricsCsv(Collection<String> declared, List<EpochStats> history) {
        return termMetricsCsv(Regression.INSTANCE, declared, history);
    }

    /** @return metrics with the named terms, the validation column named by the task type ({@link TaskType#valColumn}) */
    public static String termMetricsCsv(TaskType taskType, Collection<String> declared, List<EpochStats> history) {
        Set<String> seen = new LinkedHashSet<>();
        for (EpochStats e : history) {
            seen.addAll(e.terms().keySet());
        }
        Set<String> cols = new LinkedHashSet<>(declared);
        cols.retainAll(seen);
        cols.addAll(seen);
        StringBuilder sb = new StringBuilder("phase,epoch");
        for (String c : cols) {
            sb.append(',').append(c);
        }
        sb.append(',').append(taskType.valColumn()).append(",lr,seconds,kept\n");
        for (EpochStats e : history) {
            sb.append(e.phase()).append(',').append(e.epoch() + 1);
            for (String c : cols) {
                Double v = e.terms().get(c);
                sb.append(',').append(v == null ? "" : num(v));
            }
            sb.append(',').append(num(e.valScore())).append(',').append(num(e.lr()))
                    .append(',').append(String.format(Locale.ROOT, "%.3f", e.seconds())).append(',')
                    .append(e.improved() ? 1 : 0).append('\n');
        }
        return sb.toString();
    }

    /**
     * Writes {@value #TEST_PREDICTIONS} of several targets: {@code smiles}, then per target
     * {@code <t>_true,<t>_predicted}.
     *
     * @param truth true values (NaN = missing, written empty)
     */
    public void writeTestPredictions(List<String> smiles, List<String> targets, double[][] truth, double[][] pred)
            throws IOException {
        StringBuilder sb = new StringBuilder("smiles");
        for (String t : targets) {
            sb.append(',').append(quote(t + "_true")).append(',').append(quote(t + "_predicted"));
        }
        sb.append('\n');
        for (int i = 0; i < smiles.size(); i++) {
            sb.append(quote(smiles.get(i)));
            for (int t = 0; t < targets.size(); t++) {
                sb.append(',').append(num(truth[i][t])).append(',').append(num(pred[i][t]));
            }
            sb.append('\n');
        }
        writeText(TEST_PREDICTIONS, sb.toString());
    }

    /**
     * Writes {@value #TEST_PREDICTIONS} of one target with the data rows: {@code row,smiles,true,predicted}.
     */
    public void writeTestPredictions(int[] rows, List<String> smiles, double[] truth, double[] pred) throws IOException {
        StringBuilder p = new StringBuilder("row,smiles,true,predicted\n");
        for (int k = 0; k < rows.length; k++) {
            p.append(rows[k]).append(',').append(quote(smiles.get(k))).append(',').append(num(truth[k])).append(',')
                    .append(num(pred[k])).append('\n');
        }
        writeText(TEST_PREDICTIONS, p.toString());
    }

    /** Writes {@value #LEARNING_CURVE} of a single-task run (train loss, scaled, and validation RMSE per epoch). */
    public void plotLearningCurve(List<EpochStats> history) throws IOException {
        int n = history.size();
        double[] x = new double[n];
        double[] loss = new double[n];
        double[] val = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = history.get(i).epoch() + 1;
            loss[i] = history.get(i).trainLoss();
            val[i] = history.get(i).valScore();
        }
        List<Plots.Series> s = new ArrayList<>();
        s.add(new Plots.Series("train loss (" + taskType.lossLabel() + ", standardized)", x, loss));
        if (n > 0 && !Double.isNaN(val[0])) {
            s.add(new Plots.Series("validation " + taskType.metricLabel() + " (original units)", x, val));
        }
        plotLines(LEARNING_CURVE, "Learning curve", "epoch", "loss (standardized) / " + taskType.metricLabel()
                + " (target units)", s, false);
    }

    /** @return the task type that names the metrics of this run */
    public TaskType taskType() {
        return taskType;
    }

    /** Writes a line plot into the directory. */
    public void plotLines(String name, String title, String xLabel, String yLabel, List<Plots.Series> series,
            boolean logY) throws IOException {
        Plots.lines(file(name), title, xLabel, yLabel, series, logY);
    }

    /** Writes {@value #PARITY} for the test set, one series per target ({@code truth[i][t]}). */
    public void plotParity(List<String> targets, double[][] truth, double[][] pred) throws IOException {
        Map<String, double[][]> groups = new LinkedHashMap<>();
        for (int t = 0; t < targets.size(); t++) {
            double[][] tp = new double[2][truth.length];
            for (int i = 0; i < truth.length; i++) {
                tp[0][i] = truth[i][t];
                tp[1][i] = pred[i][t];
            }
            groups.put(targets.get(t), tp);
        }
        plotParity("Test set", targets.size() == 1 ? "(" + targets.get(0) + ")" : "", groups);
    }

    /** Writes {@value #PARITY} with the given groups ({@link ParityPlots#parity}). */
    public void plotParity(String title, String unit, Map<String, double[][]> groups) throws IOException {
        ParityPlots.parity(file(PARITY), title, unit, groups);
    }

    /** Writes {@value #HIST}: the Ricci scalar R per task ({@link #histogram}). */
    public void plotHistogram(LatentDiagnostics source, LatentDiagnostics target, String title) throws IOException {
        histogram(file(HIST), source, target, title);
    }

    /** Writes a histogram of R per task (singular points left out). */
    public static void histogram(Path png, LatentDiagnostics source, LatentDiagnostics target, String title)
            throws IOException {
        Map<String, double[]> g = new LinkedHashMap<>();
        g.put("source", finite(source));
        g.put("target", finite(target));
        Plots.histogram(png, title, "Ricci scalar R (1 / latent length²)", "molecules (count)", g, 30);
    }

    private static double[] finite(LatentDiagnostics d) {
        List<Double> v = new ArrayList<>();
        for (int i = 0; i < d.ricci().length; i++) {
            if (!d.singular()[i]) {
                v.add(d.ricci()[i]);
            }
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** @return a number as CSV text: empty for NaN, else the shortest round-trip form */
    public static String num(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    /** @return one CSV cell, quoted (RFC 4180) when it holds a comma, quote, CR or LF */
    public static String quote(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
