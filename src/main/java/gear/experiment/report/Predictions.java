package gear.experiment.report;

import gear.train.Regression;
import gear.train.TaskType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The test-predictions section: a capped preview of {@code test_predictions.csv} and, when a pair
 * of truth and prediction columns is recognised, the task type's test metrics (regression: RMSE, MAE and R²)
 * recomputed from the file (rows
 * where either value is blank or not a number are skipped). Recognised pairs: {@code X} with
 * {@code X_pred}, {@code X_prediction}, {@code X_predicted}, {@code pred_X} or {@code predicted_X};
 * or a truth column named {@code true}, {@code y_true}, {@code truth}, {@code target} or {@code y}
 * with a prediction column named {@code pred}, {@code prediction}, {@code predicted} or {@code y_pred}.
 */
final class Predictions {
    private static final List<String> TRUTH = List.of("true", "y_true", "truth", "target", "y");
    private static final List<String> PRED = List.of("pred", "prediction", "predicted", "y_pred");

    private Predictions() {}

    static String render(Path file) {
        return render(file, Regression.INSTANCE);
    }

    /** {@link #render(Path)} with the test metrics and labels of the given task type. */
    static String render(Path file, TaskType task) {
        Tables.Table t;
        try {
            t = Tables.readCsv(file);
        } catch (IOException e) {
            return Html.note("Could not read " + file.getFileName() + ": " + e.getMessage());
        }
        StringBuilder b = new StringBuilder();
        List<int[]> pairs = pairs(t.header());
        if (!pairs.isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            for (int[] p : pairs) {
                List<Double> tr = new ArrayList<>();
                List<Double> pr = new ArrayList<>();
                for (int r = 0; r < t.rows().size(); r++) {
                    Double a = num(t.cell(r, p[0]));
                    Double c = num(t.cell(r, p[1]));
                    if (a != null && c != null) {
                        tr.add(a);
                        pr.add(c);
                    }
                }
                double[] truth = tr.stream().mapToDouble(Double::doubleValue).toArray();
                double[] pred = pr.stream().mapToDouble(Double::doubleValue).toArray();
                if (truth.length == 0) {
                    continue;
                }
                List<String> row = new ArrayList<>(List.of(t.header().get(p[0]), t.header().get(p[1]),
                        Integer.toString(truth.length)));
                for (double v : task.testMetrics(pred, truth)) {
                    row.add(fmt(v));
                }
                rows.add(row);
            }
            if (!rows.isEmpty()) {
                b.append(Html.note("Recomputed by the report from " + file.getFileName()
                        + " (6 significant digits):"));
                List<String> header = new ArrayList<>(List.of("truth column", "prediction column", "n"));
                task.testLabels().forEach(l -> header.add(l.equals("R2") ? "R²" : l));
                b.append(Html.table(header, rows));
            }
        }
        b.append(Tables.render(t, Tables.DEFAULT_CAP, file.getFileName().toString()));
        return b.toString();
    }

    /** @return {truth column, prediction column} pairs, in header order of the prediction column */
    static List<int[]> pairs(List<String> header) {
        List<int[]> out = new ArrayList<>();
        List<String> lower = header.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        for (int j = 0; j < lower.size(); j++) {
            String h = lower.get(j);
            String base = null;
            for (String suf : List.of("_pred", "_prediction", "_predicted")) {
                if (h.endsWith(suf) && h.length() > suf.length()) {
                    base = h.substring(0, h.length() - suf.length());
                }
            }
            for (String pre : List.of("pred_", "predicted_")) {
                if (h.startsWith(pre) && h.length() > pre.length()) {
                    base = h.substring(pre.length());
                }
            }
            int truth = base == null ? -1 : lower.indexOf(base);
            if (truth < 0 && PRED.contains(h)) {
                for (String c : TRUTH) {
                    if (lower.contains(c)) {
                        truth = lower.indexOf(c);
                        break;
                    }
                }
            }
            if (truth >= 0 && truth != j) {
                out.add(new int[] {truth, j});
            }
        }
        return out;
    }

    private static Double num(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            double d = Double.parseDouble(s.trim());
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }
}
