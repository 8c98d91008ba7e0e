package gear.experiment.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.eval.ParityPlots;
import gear.eval.Plots;
import gear.experiment.grid.CellResult;
import gear.experiment.grid.ResultRow;
import gear.experiment.grid.ResultsFiles;
import gear.experiment.grid.Summary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A finished benchmark grid of 100 cells as the grid writes it (config.json, results.csv/json, summary.md with
 * the statistics, the headline plots, and per cell result.json plus the three PNG plots a transfer cell
 * leaves: learning curve, parity plot, curvature histogram), with data sets named by long absolute paths.
 * Five pairs × five methods (stl, finetune, gate, gear, gear-no-curv) × two split types × two seeds.
 */
public final class GridReportFixture {
    /** Methods of the fixture. */
    public static final List<String> METHODS = List.of("stl", "finetune", "gate", "gear", "gear-no-curv");
    /** A long directory, as users' data sets often have. */
    public static final String DATA_DIR = "/home/someone/projects/molecular-property-prediction/datasets/2026-11-public-release/csv";

    private GridReportFixture() {}

    /** Writes the grid into {@code dir} and returns it. */
    public static Path write(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("cells"));
        ObjectMapper json = new ObjectMapper();
        Path proto = Files.createDirectories(dir.resolve("proto"));
        Random r = new Random(11);
        double[] x = new double[30];
        double[] y = new double[30];
        double[] t = new double[200];
        double[] p = new double[200];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
            y[i] = 1.0 / (i + 1) + 0.01 * r.nextDouble();
        }
        for (int i = 0; i < t.length; i++) {
            t[i] = -5 + 10 * r.nextDouble();
            p[i] = t[i] + 0.7 * r.nextGaussian();
        }
        double[] ricci = new double[200];
        for (int i = 0; i < ricci.length; i++) {
            ricci[i] = -1.329121589660645 + 0.8 * r.nextGaussian();
        }
        Plots.lines(proto.resolve("learning_curve.png"), "gear: loss terms and validation RMSE", "epoch",
                "loss or RMSE / σ (log)", List.of(new Plots.Series("val RMSE / σ_target", x, y)), true);
        ParityPlots.parity(proto.resolve("parity.png"), "gear: dG_expt (test)", "(kcal/mol)", Map.of("test", new double[][] {t, p}));
        Map<String, double[]> h = new LinkedHashMap<>();
        h.put("source", ricci);
        h.put("target", ricci.clone());
        Plots.histogram(proto.resolve("curvature_hist.png"), "Ricci scalar", "Ricci scalar R", h, 30);
        List<ResultRow> rows = new ArrayList<>();
        String[] pairs = {"hyd-calc-expt", "aqsol-esol", "tb-tc", "gap-exc", "mp-flash"};
        double[] scale = {1.2, 0.7, 33, 0.014, 37};
        for (String split : List.of("random", "scaffold")) {
            for (int pi = 0; pi < pairs.length; pi++) {
                for (String m : METHODS) {
                    for (long seed = 0; seed < 2; seed++) {
                        double rmse = scale[pi] * (1 + 0.1 * r.nextGaussian() - (m.startsWith("gear") ? 0.05 : 0));
                        String id = pairs[pi] + "." + m + "." + split + ".f0.s" + seed;
                        ResultRow row = new ResultRow(id, pairs[pi], DATA_DIR + "/" + pairs[pi] + "_source_measurements.csv (value)",
                                DATA_DIR + "/" + pairs[pi] + "_target_measurements.csv (value)", m, split, 0, seed, 750, 250, 1717,
                                19036, new CellResult(rmse, 0.8 * rmse, 0.9, rmse * 0.95, 20, 61.5, Map.of()), "fp");
                        rows.add(row);
                        Path cd = Files.createDirectories(dir.resolve("cells").resolve(id));
                        ResultsFiles.writeCell(cd, row);
                        for (String f : List.of("learning_curve.png", "parity.png", "curvature_hist.png")) {
                            Files.copy(proto.resolve(f), cd.resolve(f));
                        }
                    }
                }
            }
        }
        deleteTree(proto);
        ObjectNode cfg = json.createObjectNode();
        cfg.put("protocol_version", 1);
        ObjectNode pair = cfg.putArray("pairs").addObject();
        pair.put("id", "hyd-calc-expt");
        pair.putObject("source").put("path", DATA_DIR + "/hyd_source_measurements.csv").put("column", "value");
        pair.putObject("target").put("path", DATA_DIR + "/hyd_target_measurements.csv").put("column", "value");
        METHODS.forEach(cfg.putArray("methods")::add);
        cfg.putArray("split_types").add("random").add("scaffold");
        cfg.put("folds", 4);
        cfg.put("max_folds", 1);
        cfg.putArray("seeds").add(0).add(1);
        cfg.put("test_fraction", 0.2);
        cfg.putObject("options").put("pretrain_epochs", "3");
        cfg.put("data_dir", DATA_DIR);
        cfg.put("runner", "gear.experiment.grid.TransferCellRunner");
        cfg.put("workers", 2);
        cfg.put("isolation", "process");
        Files.writeString(dir.resolve("config.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(cfg));
        ResultsFiles.write(dir, rows);
        Summary.write(dir, rows, rows.size(), true);
        return dir;
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
