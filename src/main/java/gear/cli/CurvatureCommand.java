package gear.cli;

import gear.chem.Chem;
import gear.chem.InvalidSmilesException;
import gear.chem.MolGraph;
import gear.data.BadInputException;
import gear.geometry.Curvature.Route;
import gear.geometry.LatentDiagnostics;
import gear.nn.Torch;
import gear.train.ModelFile;
import gear.transfer.LatentPicture;
import gear.transfer.ModelFiles;
import gear.transfer.RunFiles;
import gear.transfer.Task;
import gear.transfer.TransferModel;
import gear.transfer.TransferModelFile;
import gear.data.AtomicFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code gear curvature}: per molecule and task, the latent point's norm, the condition number of the
 * pulled-back metric g and the Ricci scalar R of a transfer model's latent manifolds
 * ({@link LatentDiagnostics}), plus a histogram of R per task next to the output CSV and the picture of the two
 * latent manifolds in the common space ({@link LatentPicture}). With {@code --device cuda} the model (read on the
 * CPU) is moved to the GPU, where the latent points, predictions and curvature routes are computed; the numbers
 * come back to the CPU for the files.
 */
@Command(name = "curvature", mixinStandardHelpOptions = true,
        description = {"Per-molecule curvature diagnostics of a transfer model with transfer maps (gate, gear): "
                + "for each molecule and task the latent norm |z|, cond(g) of the metric g = J^T J and the Ricci scalar R.",
            "Writes OUT_CSV (one row per molecule and task), OUT_ricci_hist.png (histogram of R per task) and "
                    + "OUT_manifolds.png (--picture): both tasks' points in the common space M on one shared PCA basis, "
                    + "source | target, coloured by R and by the target value.",
            "A transfer ensemble (gear transfer --ensemble-size): the curvature of one member (--member, default 0), "
                    + "named on stderr."})
final class CurvatureCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A transfer model or transfer ensemble file (gear transfer --method gate|gear).")
    Path model;
    @Option(names = {"-i", "--input"}, required = true, paramLabel = "CSV", description = "Molecules (CSV with a header).")
    Path input;
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT_CSV", description = "Output CSV.")
    Path output;
    @Option(names = {"-s", "--smiles-column"}, paramLabel = "COL", description = "SMILES column (default: first column).")
    String smilesColumn;
    @Option(names = "--picture", paramLabel = "PNG",
            description = "The latent-manifold picture (default: OUT_manifolds.png beside OUT_CSV).")
    Path picture;
    @Option(names = "--value-column", paramLabel = "COL",
            description = "Column of the target value that colours the picture (default: the model's target column if "
                    + "the CSV has it, else the model's predictions of the target task).")
    String valueColumn;
    @Option(names = "--route", defaultValue = "gauss", paramLabel = "gauss|intrinsic|both", description = "Curvature route(s) (default ${DEFAULT-VALUE}).")
    String route;
    @Option(names = "--task", paramLabel = "NAME", description = "A k-task model (gear transfer --task … --method "
            + "gear|gate): this task only (default: every task). For k-task models OUT_CSV is written, with task names in "
            + "its task column; the histogram and the two-task picture are not.")
    String task;
    @picocli.CommandLine.Mixin
    MemberOption member;
    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "libtorch and OpenBLAS threads (default: ${DEFAULT-VALUE}; as in every command).")
    int threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Route> routes = switch (route.trim().toLowerCase(Locale.ROOT)) {
            case "both" -> List.of(Route.GAUSS, Route.INTRINSIC);
            default -> List.of(Route.parse(route));
        };
        Torch.init(threads);
        // --device (gear.train.TrainOptions.DEVICE): the CPU build refuses cuda here (exit 2), as train and transfer do
        String deviceName = DeviceOption.value(spec.commandLine());
        org.bytedeco.pytorch.Device device = Torch.device(deviceName);
        if (gear.transfer.ktask.KTaskModelFile.isKTaskModel(model)) {
            if (!DeviceOption.isCpu(deviceName)) {
                throw new IllegalArgumentException("--device " + deviceName + ": curvature of a k-task model runs on the "
                        + "CPU only (not implemented on a GPU yet)");
            }
            if (member.index != 0) {
                throw new BadInputException("--member " + member.index + ": " + model + " is a k-task model, not an "
                        + "ensemble; --member applies to transfer ensembles (gear transfer --ensemble-size)");
            }
            return KTaskCurvature.run(this, routes);
        }
        if (task != null) {
            throw new BadInputException("--task " + task + ": " + model + " is not a k-task model; --task applies to "
                    + "models of gear transfer --task");
        }
        boolean ensemble = gear.transfer.TransferEnsembleFile.isEnsemble(model);
        if (!ensemble && !TransferModelFile.isTransferModel(model)) {
            String kind = ModelFile.ENSEMBLE.equals(ModelFile.modelType(model)) ? "a D-MPNN ensemble" : "a plain D-MPNN model";
            throw new BadInputException(model + ": is " + kind + " file: it has no latent manifolds or transfer "
                    + "maps; curvature needs a transfer model (or transfer ensemble) trained with gear transfer --method "
                    + "gear (or gate)");
        }
        ModelFiles.Member picked = ModelFiles.load(model, member.index);
        String which = MemberOption.describe(picked, model);
        if (which != null) {
            System.err.println("gear curvature: " + which);
        }
        // read on the CPU, then moved
        TransferModel m = ((ModelFiles.Transfer) picked.model()).model().to(device);
        if (!m.method().hasTransferMaps()) {
            throw new BadInputException(model + ": is a " + m.method().name() + " transfer model without transfer maps; "
                    + "curvature needs a model trained with --method gear (or gate)");
        }
        List<String> smiles = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        String[] valueCol = {valueColumn};
        List<MolGraph> graphs = readMolecules(smiles, m.taskName(Task.TARGET), valueCol, values);
        StringBuilder sb = new StringBuilder("row,smiles,task,latent_norm,condition");
        for (Route r : routes) {
            sb.append(",ricci_").append(r.name().toLowerCase(Locale.ROOT));
        }
        sb.append(",singular\n");
        LatentDiagnostics[][] d = new LatentDiagnostics[2][routes.size()];
        double[][][] zs = new double[2][][];
        for (Task t : Task.values()) {
            double[][] z = m.latent(t, graphs);
            zs[t.ordinal()] = z;
            for (int k = 0; k < routes.size(); k++) {
                d[t.ordinal()][k] = Diag.of(m, t, z, routes.get(k));
            }
        }
        for (int i = 0; i < graphs.size(); i++) {
            for (Task t : Task.values()) {
                LatentDiagnostics a = d[t.ordinal()][0];
                sb.append(i).append(',').append(csv(smiles.get(i))).append(',').append(t.cliName()).append(',')
                        .append(a.latentNorm()[i]).append(',').append(a.condition()[i]);
                boolean singular = false;
                for (int k = 0; k < routes.size(); k++) {
                    sb.append(',').append(d[t.ordinal()][k].ricci()[i]);
                    singular |= d[t.ordinal()][k].singular()[i];
                }
                sb.append(',').append(singular ? 1 : 0).append('\n');
            }
        }
        if (output.toAbsolutePath().getParent() != null) {
            Files.createDirectories(output.toAbsolutePath().getParent());
        }
        AtomicFiles.writeString(output, sb.toString());
        Path png = histogramPath(output);
        RunFiles.histogram(png, d[0][0], d[1][0], "Ricci scalar (" + routes.get(0).name().toLowerCase(Locale.ROOT)
                + " route) of the latent manifolds");
        Path pic = picture != null ? picture : picturePath(output);
        int gauss = routes.indexOf(Route.GAUSS);
        LatentDiagnostics ps = gauss >= 0 ? d[0][gauss] : gear.transfer.Diagnostics.evaluate(m, Task.SOURCE, zs[0], Route.GAUSS);
        LatentDiagnostics pt = gauss >= 0 ? d[1][gauss] : gear.transfer.Diagnostics.evaluate(m, Task.TARGET, zs[1], Route.GAUSS);
        double[] v;
        String label;
        if (valueCol[0] != null) {
            v = values.stream().mapToDouble(Double::doubleValue).toArray();
            label = "true " + valueCol[0];
        } else {
            v = m.predict(Task.TARGET, graphs);
            label = "predicted " + m.taskName(Task.TARGET);
        }
        LatentPicture.Data data = LatentPicture.of(m, zs[0], zs[1], ps, pt, v, label);
        if (pic.toAbsolutePath().getParent() != null) {
            Files.createDirectories(pic.toAbsolutePath().getParent());
        }
        LatentPicture.write(pic, data);
        var out = spec.commandLine().getOut();
        for (Task t : Task.values()) {
            LatentDiagnostics a = d[t.ordinal()][0];
            out.printf(Locale.ROOT, "%s (%s): %d molecules, mean |R| %.4g, %d singular%n", t.cliName(), m.taskName(t),
                    graphs.size(), a.meanAbsRicci(), a.singularCount());
        }
        out.printf(Locale.ROOT, "picture: PC 1 and PC 2 of the common space M explain %.1f %% and %.1f %% of the variance; "
                + "paired distance ratio %.3g%n", 100 * data.pca().explained()[0],
                data.pca().explained().length > 1 ? 100 * data.pca().explained()[1] : 0, data.pairedRatio());
        out.println("wrote " + output + ", " + png + " and " + pic);
        out.flush();
        return 0;
    }

    /** @return OUT_ricci_hist.png beside OUT_CSV */
    static Path histogramPath(Path csv) {
        String name = csv.getFileName().toString();
        String stem = name.toLowerCase(Locale.ROOT).endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
        return csv.resolveSibling(stem + "_ricci_hist.png");
    }

    /** @return OUT_manifolds.png beside OUT_CSV */
    static Path picturePath(Path csv) {
        String name = csv.getFileName().toString();
        String stem = name.toLowerCase(Locale.ROOT).endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
        return csv.resolveSibling(stem + "_manifolds.png");
    }

    /**
     * Reads the molecules and, from {@code valueCol[0]} (or, when that is null, from {@code targetName} if the CSV has
     * such a column; {@code valueCol[0]} is set to the column used), the target values (empty: NaN).
     */
    List<MolGraph> readMolecules(List<String> smiles, String targetName, String[] valueCol, List<Double> values)
            throws IOException {
        List<MolGraph> graphs = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(input, StandardCharsets.UTF_8);
                CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                        .get().parse(r)) {
            List<String> header = p.getHeaderNames();
            if (header.isEmpty()) {
                throw new BadInputException(input + ": empty file (expected a header row with a SMILES column)");
            }
            String col = smilesColumn != null ? smilesColumn : header.get(0);
            if (!header.contains(col)) {
                throw new BadInputException(input + ": no column '" + col + "'; columns are " + header);
            }
            if (valueCol[0] != null && !header.contains(valueCol[0])) {
                throw new BadInputException(input + ": no column '" + valueCol[0] + "' (--value-column); columns are " + header);
            }
            if (valueCol[0] == null && header.contains(targetName) && !targetName.equals(col)) {
                valueCol[0] = targetName;
            }
            for (CSVRecord rec : p) {
                String s = rec.isSet(col) ? rec.get(col).trim() : "";
                try {
                    graphs.add(Chem.featurize(s));
                } catch (InvalidSmilesException e) {
                    throw new BadInputException(input + ": line " + rec.getParser().getCurrentLineNumber()
                            + ": cannot parse SMILES '" + s + "': " + e.getMessage(), e);
                }
                smiles.add(s);
                if (valueCol[0] != null) {
                    String v = rec.isSet(valueCol[0]) ? rec.get(valueCol[0]).trim() : "";
                    try {
                        values.add(v.isEmpty() ? Double.NaN : Double.parseDouble(v));
                    } catch (NumberFormatException e) {
                        throw new BadInputException(input + ": line " + rec.getParser().getCurrentLineNumber()
                                + ": column '" + valueCol[0] + "': '" + v + "' is not a number");
                    }
                }
            }
        } catch (NoSuchFileException e) {
            throw new BadInputException(input + ": file does not exist");
        }
        if (graphs.isEmpty()) {
            throw new BadInputException(input + ": no molecules");
        }
        return graphs;
    }

    static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** Diagnostics of a latent batch (chunks of 256 points to bound memory). */
    static final class Diag {
        private Diag() {}

        static LatentDiagnostics of(TransferModel m, Task t, double[][] z, Route route) {
            return gear.transfer.Diagnostics.evaluate(m, t, z, route);
        }
    }
}
