package gear.transfer.ktask;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.chem.MolGraph;
import gear.data.AtomicFiles;
import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.data.StandardScaler;
import gear.eval.Metrics;
import gear.nn.Torch;
import gear.train.EpochStats;
import gear.train.TrainListener;
import gear.transfer.TransferOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One k-task GEAR run, the library side of {@code gear transfer --task FILE:COLUMN … --target NAME} (the k-task
 * counterpart of {@link gear.transfer.TransferRun}, same data rules):
 * <ol>
 *   <li>every other task loses each molecule whose canonical SMILES is in the primary task's test part;</li>
 *   <li>molecules without a value for their task are left out of its training set; a molecule carries the labels
 *       of the other tasks where the same canonical SMILES has one (primary labels from its training part only);</li>
 *   <li>each property is standardized with a scaler fit on its training labels;</li>
 *   <li>k-task GEAR is trained ({@link KTaskTrainer}), the best primary-validation epoch kept;</li>
 *   <li>the primary test part is predicted: RMSE, MAE, R² in original units;</li>
 *   <li>with an output directory: {@code config.json}, {@code metrics.csv}, {@code test_predictions.csv} and
 *       {@code model.gear} ({@link KTaskModelFile}), each written atomically.</li>
 * </ol>
 * With k = 2 the training data are those {@code TransferRun} builds for the pair (source, target).
 */
public final class KTaskRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KTaskRun() {}

    /**
     * The run's inputs.
     *
     * @param method the k-task method
     * @param datasets one data set per task, each with its property as its only target column
     * @param names the task names (distinct; the columns)
     * @param primary the index of the primary task
     * @param split the primary data set's split
     * @param outputDir run directory (null: none written)
     */
    public record Spec(KMethod method, List<MoleculeDataset> datasets, List<String> names, int primary, Split split, TransferOptions options,
            long seed, Path outputDir) {}

    /**
     * The result.
     *
     * @param model the trained model (best epoch)
     * @param predicted primary test predictions
     * @param truth primary test values
     * @param trainSizes training molecules per task
     * @param purged molecules of the other tasks removed because they are in the primary test set
     */
    public record Outcome(KTaskModel model, double[] predicted, double[] truth, double testRmse, double testMae,
            double testR2, double valScore, int bestEpoch, List<EpochStats> history, int[] trainSizes, int purged) {}

    /**
     * Runs.
     *
     * @throws IllegalArgumentException for bad settings (d_M ≤ d_z, duplicate task names, an empty training set)
     * @throws UncheckedIOException when the run directory cannot be written
     */
    public static Outcome run(Spec spec, TrainListener listener) {
        Torch.ensure();
        int k = spec.datasets().size();
        if (k < 2 || spec.names().size() != k) {
            throw new IllegalArgumentException("GEAR across tasks needs at least 2 tasks with one name each, got " + k);
        }
        if (new LinkedHashSet<>(spec.names()).size() != k) {
            throw new IllegalArgumentException("task names must be distinct, got " + spec.names());
        }
        int p = spec.primary();
        MoleculeDataset prim = spec.datasets().get(p);
        Split split = spec.split().validate(prim.size());
        Set<String> testCanon = new HashSet<>();
        for (int i : split.test()) {
            testCanon.add(prim.canonicalSmiles(i));
        }
        int purged = 0;
        List<int[]> rows = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            MoleculeDataset d = spec.datasets().get(t);
            if (t == p) {
                rows.add(labelled(d, split.train()));
                continue;
            }
            List<Integer> keep = new ArrayList<>();
            for (int i = 0; i < d.size(); i++) {
                if (testCanon.contains(d.canonicalSmiles(i))) {
                    purged++;
                } else if (!Double.isNaN(d.target(i, 0))) {
                    keep.add(i);
                }
            }
            rows.add(keep.stream().mapToInt(Integer::intValue).toArray());
        }
        List<StandardScaler> scalers = new ArrayList<>();
        List<Map<String, Double>> byCanon = new ArrayList<>();
        for (int t = 0; t < k; t++) {
            MoleculeDataset d = spec.datasets().get(t);
            int[] r = rows.get(t);
            double[][] y = new double[r.length][1];
            Map<String, Double> m = new HashMap<>();
            for (int j = 0; j < r.length; j++) {
                y[j][0] = d.target(r[j], 0);
                m.putIfAbsent(d.canonicalSmiles(r[j]), y[j][0]);
            }
            if (r.length == 0) {
                throw new IllegalArgumentException("the training set of task " + spec.names().get(t) + " is empty");
            }
            scalers.add(StandardScaler.fit(y));
            byCanon.add(m);
        }
        List<List<MolGraph>> graphs = new ArrayList<>();
        List<float[][]> labels = new ArrayList<>();
        int[] sizes = new int[k];
        for (int t = 0; t < k; t++) {
            MoleculeDataset d = spec.datasets().get(t);
            int[] r = rows.get(t);
            sizes[t] = r.length;
            List<MolGraph> g = new ArrayList<>(r.length);
            float[][] y = new float[k][r.length];
            for (int j = 0; j < r.length; j++) {
                g.add(d.graph(r[j]));
                String canon = d.canonicalSmiles(r[j]);
                for (int s = 0; s < k; s++) {
                    Double v = s == t ? Double.valueOf(d.target(r[j], 0)) : byCanon.get(s).get(canon);
                    y[s][j] = v == null ? Float.NaN : std(v, scalers.get(s));
                }
            }
            graphs.add(g);
            labels.add(y);
        }
        int[] valIdx = labelled(prim, split.val());
        int[] testIdx = labelled(prim, split.test());
        KTaskData data = new KTaskData(spec.names(), p, graphs, labels, graphs(prim, valIdx), values(prim, valIdx));
        KTaskModel model = new KTaskModel(spec.method(), spec.options(), spec.seed(), spec.names(), p, scalers);
        KTaskTrainer.Fit fit = new KTaskTrainer(model, spec.seed(), listener).fit(data);
        double[] truth = values(prim, testIdx);
        double[] pred = model.predict(p, graphs(prim, testIdx));
        Metrics.Regression reg = Metrics.regression(pred, truth);
        Outcome out = new Outcome(model, pred, truth, reg.rmse(), reg.mae(), reg.r2(), fit.bestValScore(), fit.bestEpoch(),
                fit.history(), sizes, purged);
        if (spec.outputDir() != null) {
            try {
                write(spec, prim, testIdx, out);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the run directory " + spec.outputDir() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static void write(Spec spec, MoleculeDataset prim, int[] testIdx, Outcome out) throws IOException {
        Path dir = spec.outputDir();
        Files.createDirectories(dir);
        ObjectNode cfg = JSON.createObjectNode();
        cfg.put("command", "transfer");
        cfg.put("method", spec.method().name());
        ArrayNode tasks = cfg.putArray("tasks");
        for (int t = 0; t < spec.names().size(); t++) {
            ObjectNode n = tasks.addObject();
            n.put("name", spec.names().get(t));
            n.put("data_sha256", spec.datasets().get(t).sourceSha256());
            n.put("train", out.trainSizes()[t]);
        }
        cfg.put("target", spec.names().get(spec.primary()));
        cfg.put("seed", spec.seed());
        cfg.put("purged", out.purged());
        cfg.set("options", spec.options().toJson(JSON));
        AtomicFiles.writeString(dir.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(cfg) + "\n");
        KTaskModelFile.save(dir.resolve("model.gear"), out.model());
        StringBuilder m = new StringBuilder();
        List<String> keys = new ArrayList<>();
        for (EpochStats e : out.history()) {
            e.terms().keySet().forEach(key -> {
                if (!keys.contains(key)) {
                    keys.add(key);
                }
            });
        }
        m.append("epoch,").append(String.join(",", keys)).append(",val_rmse\n");
        for (EpochStats e : out.history()) {
            m.append(e.epoch() + 1);
            for (String key : keys) {
                Double v = e.terms().get(key);
                m.append(',').append(v == null ? "" : String.format(Locale.ROOT, "%.8g", v));
            }
            m.append(',').append(String.format(Locale.ROOT, "%.8g", e.valScore())).append('\n');
        }
        AtomicFiles.writeString(dir.resolve("metrics.csv"), m.toString());
        StringBuilder pr = new StringBuilder("smiles,").append(csv(spec.names().get(spec.primary()))).append(",prediction\n");
        for (int j = 0; j < testIdx.length; j++) {
            pr.append(csv(prim.smiles(testIdx[j]))).append(',').append(String.format(Locale.ROOT, "%.8g", out.truth()[j]))
                    .append(',').append(String.format(Locale.ROOT, "%.8g", out.predicted()[j])).append('\n');
        }
        AtomicFiles.writeString(dir.resolve("test_predictions.csv"), pr.toString());
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static float std(double v, StandardScaler s) {
        return (float) ((v - s.mean(0)) / s.std(0));
    }

    private static int[] labelled(MoleculeDataset ds, int[] idx) {
        return java.util.Arrays.stream(idx).filter(i -> !Double.isNaN(ds.target(i, 0))).toArray();
    }

    private static List<MolGraph> graphs(MoleculeDataset ds, int[] idx) {
        List<MolGraph> g = new ArrayList<>(idx.length);
        for (int i : idx) {
            g.add(ds.graph(i));
        }
        return g;
    }

    private static double[] values(MoleculeDataset ds, int[] idx) {
        double[] v = new double[idx.length];
        for (int j = 0; j < idx.length; j++) {
            v[j] = ds.target(idx[j], 0);
        }
        return v;
    }
}
