package gear.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.AtomicFiles;
import gear.eval.Plots;
import gear.train.EpochStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files of a training run directory (CONVENTIONS.md), each written atomically (temporary file,
 * then rename):
 *
 * <ul>
 *   <li>{@value #CONFIG}: the resolved {@link TrainConfig} (re-run with {@code gear train --config});</li>
 *   <li>{@value #SPLITS}: the split as data-row indices and SMILES ({@link gear.data.SplitsFile});</li>
 *   <li>{@value #MODEL}: the model file ({@link gear.train.ModelFile});</li>
 *   <li>{@value #METRICS}: one row per epoch: {@code epoch,train_loss,val_rmse,lr,seconds} (epoch from 1);</li>
 *   <li>{@value #TEST_PREDICTIONS}: {@code smiles}, then per target {@code <t>_true,<t>_predicted};</li>
 *   <li>{@value #TEST_METRICS}: test RMSE/MAE/R² per target and their means, split sizes, best epoch;</li>
 *   <li>{@value #LEARNING_CURVE}, {@value #PARITY}: plots;</li>
 *   <li>{@code checkpoint.safetensors}: the resumable training state ({@link gear.train.Checkpoint});</li>
 *   <li>{@value gear.train.RunGuard#INCOMPLETE} while the run has not finished (left by a failed or killed run),
 *       and {@value gear.train.RunGuard#LOCK} while a run holds the directory ({@link gear.train.RunGuard}).</li>
 * </ul>
 */
public final class RunDirectory {
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

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;

    /** A run directory at {@code dir} (created when missing). */
    public RunDirectory(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    /** @return the directory */
    public Path dir() {
        return dir;
    }

    /** @return the path of a file in the directory */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /** Writes a JSON object, pretty-printed. */
    public void writeJson(String name, ObjectNode n) throws IOException {
        AtomicFiles.writeString(file(name), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n");
    }

    /** Writes {@value #METRICS} from the epoch history. */
    public void writeMetrics(List<EpochStats> history) throws IOException {
        StringBuilder sb = new StringBuilder("epoch,train_loss,val_rmse,lr,seconds\n");
        for (EpochStats s : history) {
            sb.append(String.format(Locale.ROOT, "%d,%s,%s,%s,%.3f%n", s.epoch() + 1, num(s.trainLoss()), num(s.valScore()),
                    num(s.lr()), s.seconds()));
        }
        AtomicFiles.writeString(file(METRICS), sb.toString());
    }

    /**
     * Writes {@value #TEST_PREDICTIONS}.
     *
     * @param smiles SMILES as in the input file
     * @param targets target names
     * @param truth true values (NaN = missing, written empty)
     * @param pred predictions
     */
    public void writeTestPredictions(List<String> smiles, List<String> targets, double[][] truth, double[][] pred)
            throws IOException {
        StringBuilder sb = new StringBuilder("smiles");
        for (String t : targets) {
            sb.append(',').append(Csv.quote(t + "_true")).append(',').append(Csv.quote(t + "_predicted"));
        }
        sb.append('\n');
        for (int i = 0; i < smiles.size(); i++) {
            sb.append(Csv.quote(smiles.get(i)));
            for (int t = 0; t < targets.size(); t++) {
                sb.append(',').append(num(truth[i][t])).append(',').append(num(pred[i][t]));
            }
            sb.append('\n');
        }
        AtomicFiles.writeString(file(TEST_PREDICTIONS), sb.toString());
    }

    /** Writes {@value #LEARNING_CURVE} (train loss, scaled, and validation RMSE per epoch). */
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
        s.add(new Plots.Series("train loss (MSE, standardized)", x, loss));
        if (n > 0 && !Double.isNaN(val[0])) {
            s.add(new Plots.Series("validation RMSE (original units)", x, val));
        }
        Plots.lines(file(LEARNING_CURVE), "Learning curve", "epoch", "loss (standardized) / RMSE (target units)", s, false);
    }

    /** Writes {@value #PARITY} for the test set, one series per target. */
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
        Plots.parity(file(PARITY), "Test set", targets.size() == 1 ? "(" + targets.get(0) + ")" : "", groups);
    }

    /** @return a number as CSV text: empty for NaN, else the shortest round-trip form */
    static String num(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }
}
