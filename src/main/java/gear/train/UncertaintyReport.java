package gear.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.eval.Calibration;
import gear.eval.Plots;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run with uncertainty (an ensemble or a mean-variance head) adds to its run directory: the calibration of
 * the predicted standard deviation per target ({@link Calibration}) on the validation set, where the z-scaling
 * factor is fitted, and on the test set with the recalibrated standard deviation (for information: nothing is
 * chosen on it), as {@value #CSV} and under {@code uncertainty} in {@code test_metrics.json}; the plots
 * {@value #CALIBRATION_PNG} (observed against expected fraction of errors inside central Gaussian intervals,
 * before and after z-scaling) and {@value #ERROR_PNG} (|error| against predicted standard deviation); and
 * {@code <target>_std} columns in {@code test_predictions.csv}. {@code gear report} shows all of them. Train runs
 * ({@code gear train}) and transfer ensembles ({@code gear transfer --ensemble-size}, one target) share it.
 */
public final class UncertaintyReport {
    /** Calibration table. */
    public static final String CSV = "calibration.csv";
    /** Calibration plot. */
    public static final String CALIBRATION_PNG = "calibration.png";
    /** Error against uncertainty. */
    public static final String ERROR_PNG = "error_vs_uncertainty.png";
    private static final ObjectMapper JSON = new ObjectMapper();

    private UncertaintyReport() {}

    /** The calibration of one target. @param target its name @param report the measures */
    public record Row(String target, Calibration.Report report) {}

    /**
     * @param fit whether the z-scaling factor is fitted here (the validation set); else (the test set, whose
     *     {@code std} is already recalibrated) the z-scaling columns are left empty
     * @return the calibration of each target (columns of {@code pred}, {@code truth}, {@code std})
     */
    public static List<Row> rows(List<String> targets, double[][] pred, double[][] truth, double[][] std, boolean fit) {
        List<Row> rows = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) {
            Calibration.Report c = Calibration.report(col(pred, t), col(truth, t), col(std, t));
            if (!fit) {
                c = new Calibration.Report(c.n(), c.miscalibrationArea(), c.spearman(), Double.NaN, c.nll(), Double.NaN,
                        Double.NaN);
            }
            rows.add(new Row(targets.get(t), c));
        }
        return rows;
    }

    /** @return the fitted z-scaling factor per target (1 where none could be fitted) */
    public static double[] zScales(List<Row> rows) {
        double[] s = new double[rows.size()];
        for (int t = 0; t < s.length; t++) {
            double z = rows.get(t).report().zScale();
            s[t] = Double.isFinite(z) && z > 0 ? z : 1;
        }
        return s;
    }

    /** Writes the two plots of the validation set ({@code std} raw, {@code zScale} per target). */
    public static void plot(RunWriter dir, List<String> targets, double[][] pred, double[][] truth, double[][] std,
            double[] zScale) throws IOException {
        double[] p = Calibration.expectedFractions();
        List<Plots.Series> series = new ArrayList<>();
        series.add(new Plots.Series("ideal", p, p));
        Map<String, double[][]> scatter = new LinkedHashMap<>();
        for (int t = 0; t < targets.size(); t++) {
            String name = targets.size() == 1 ? "" : targets.get(t) + ", ";
            double[] s = col(std, t);
            series.add(new Plots.Series(name + "raw", p, Calibration.observedFractions(col(pred, t), col(truth, t), s)));
            double[] scaled = Calibration.scale(s, zScale[t]);
            series.add(new Plots.Series(name + "z-scaled (s = " + String.format(java.util.Locale.ROOT, "%.3g", zScale[t]) + ")",
                    p, Calibration.observedFractions(col(pred, t), col(truth, t), scaled)));
            double[] err = new double[s.length];
            for (int i = 0; i < err.length; i++) {
                err[i] = Math.abs(pred[i][t] - truth[i][t]);
            }
            scatter.put(targets.get(t), new double[][] {scaled, err});
        }
        Plots.lines(dir.file(CALIBRATION_PNG), "Calibration (validation set)", "expected fraction inside the interval",
                "observed fraction inside the interval", series, false);
        Plots.scatter(dir.file(ERROR_PNG), "Error against uncertainty (validation set)",
                "predicted std, z-scaled (target units)", "|error| (target units)", scatter);
    }

    /** @return {@value #CSV}: one row per set and target */
    public static String csv(List<Row> val, List<Row> test) {
        StringBuilder sb = new StringBuilder(
                "set,target,n,miscalibration_area,spearman,z_scale,nll,recalibrated_miscalibration_area,recalibrated_nll\n");
        append(sb, "validation", val);
        append(sb, "test", test);
        return sb.toString();
    }

    private static void append(StringBuilder sb, String set, List<Row> rows) {
        for (Row r : rows) {
            Calibration.Report c = r.report();
            sb.append(set).append(',').append(RunWriter.quote(r.target())).append(',').append(c.n()).append(',')
                    .append(RunWriter.num(c.miscalibrationArea())).append(',').append(RunWriter.num(c.spearman())).append(',')
                    .append(RunWriter.num(c.zScale())).append(',').append(RunWriter.num(c.nll())).append(',')
                    .append(RunWriter.num(c.recalibratedArea())).append(',').append(RunWriter.num(c.recalibratedNll()))
                    .append('\n');
        }
    }

    /**
     * @return the {@code uncertainty} object of {@code test_metrics.json}: ensemble size, task type, and per set
     *     and target the measures (the test set's with the validation-fitted z-scaling applied)
     */
    public static ObjectNode json(UncertaintyOptions u, List<Row> val, List<Row> test) {
        ObjectNode n = JSON.createObjectNode();
        n.put("ensemble_size", u.ensembleSize());
        n.put("task_type", u.taskType().name());
        n.put("std", u.ensembleSize() > 1 && u.taskType().outputsPerTarget() == 2
                ? "total: mean of the members' variances + variance of their means"
                : u.ensembleSize() > 1 ? "variance of the members' means" : "predicted (aleatoric)");
        n.set("validation", rowsJson(val));
        n.set("test", rowsJson(test));
        return n;
    }

    private static ArrayNode rowsJson(List<Row> rows) {
        ArrayNode a = JSON.createArrayNode();
        for (Row r : rows) {
            Calibration.Report c = r.report();
            ObjectNode o = a.addObject();
            o.put("target", r.target());
            o.put("n", c.n());
            put(o, "miscalibration_area", c.miscalibrationArea());
            put(o, "spearman", c.spearman());
            put(o, "z_scale", c.zScale());
            put(o, "nll", c.nll());
            put(o, "recalibrated_miscalibration_area", c.recalibratedArea());
            put(o, "recalibrated_nll", c.recalibratedNll());
        }
        return a;
    }

    private static void put(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) {
            o.put(k, v);
        } else {
            o.putNull(k);
        }
    }

    /** Writes {@code test_predictions.csv} with {@code <t>_true,<t>_predicted,<t>_std} per target. */
    public static void writeTestPredictions(RunWriter dir, List<String> smiles, List<String> targets, double[][] truth,
            double[][] pred, double[][] std) throws IOException {
        StringBuilder sb = new StringBuilder("smiles");
        for (String t : targets) {
            sb.append(',').append(RunWriter.quote(t + "_true")).append(',').append(RunWriter.quote(t + "_predicted"))
                    .append(',').append(RunWriter.quote(t + "_std"));
        }
        sb.append('\n');
        for (int i = 0; i < smiles.size(); i++) {
            sb.append(RunWriter.quote(smiles.get(i)));
            for (int t = 0; t < targets.size(); t++) {
                sb.append(',').append(RunWriter.num(truth[i][t])).append(',').append(RunWriter.num(pred[i][t])).append(',')
                        .append(RunWriter.num(std[i][t]));
            }
            sb.append('\n');
        }
        dir.writeText(RunWriter.TEST_PREDICTIONS, sb.toString());
    }

    /** @return {@code v} as the one column of a matrix (one row per molecule), for a single target */
    public static double[][] column(double[] v) {
        double[][] m = new double[v.length][1];
        for (int i = 0; i < v.length; i++) {
            m[i][0] = v[i];
        }
        return m;
    }

    private static double[] col(double[][] a, int t) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i][t];
        }
        return c;
    }
}
