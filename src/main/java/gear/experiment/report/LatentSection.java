package gear.experiment.report;

import com.fasterxml.jackson.databind.JsonNode;
import gear.chem.Chem;
import gear.chem.MolGraph;
import gear.nn.Torch;
import gear.transfer.LatentPicture;
import gear.transfer.TransferModel;
import gear.transfer.TransferModelFile;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The latent-manifold picture of a transfer run with transfer maps (GATE, GEAR) in its report
 * ({@link LatentPicture}), with a text saying how to read it. Computed when the report is written, from the run's
 * {@code model.gear} and its target data: the target CSV named in {@code config.json} (every labelled row, at most
 * {@value #MAX_MOLECULES}, evenly spaced), else the test molecules of {@code test_predictions.csv}; coloured by
 * their true target values. Nothing is written into the run directory; the PNG is inlined.
 */
final class LatentSection {
    /** The most molecules drawn. */
    static final int MAX_MOLECULES = 2000;

    private LatentSection() {}

    /** The section's fragment and the number of images it inlines (0 or 1). */
    record Rendered(String xhtml, int images) {}

    /** @return the section, or null when the directory holds no transfer model with transfer maps */
    static Rendered render(Path dir, JsonNode config) {
        Path model = dir.resolve("model.gear");
        try {
            if (!Files.isRegularFile(model) || !TransferModelFile.isTransferModel(model)) {
                return null;
            }
        } catch (RuntimeException e) {
            return null; // not readable as a model: the provenance section says why
        }
        try {
            Torch.init();
            TransferModel m = TransferModelFile.load(model);
            if (!m.method().hasTransferMaps()) {
                return null;
            }
            List<MolGraph> graphs = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            String from = molecules(dir, config, m.taskName(gear.transfer.Task.TARGET), graphs, values);
            if (graphs.size() < 3) {
                return new Rendered(Html.note("No latent-manifold picture: fewer than 3 molecules with a value in " + from
                        + "."), 0);
            }
            double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
            LatentPicture.Data d = LatentPicture.compute(m, graphs, v);
            byte[] png = LatentPicture.png(d);
            StringBuilder b = new StringBuilder();
            b.append(Html.note("The molecules: " + from + "."));
            b.append("<figure><img style=\"width:100%;max-width:1160px\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(png)).append("\" alt=\"latent manifolds\"/><figcaption>")
                    .append(Html.esc("The two latent manifolds in the common space M: source | target, coloured by the "
                            + "Ricci scalar (top) and by the target value (bottom)."))
                    .append("</figcaption></figure>\n");
            b.append("<p>").append(Html.esc(LatentPicture.howToRead(d))).append("</p>\n");
            b.append(Html.note("For other molecules: gear curvature --model model.gear -i MOLECULES.csv -o curvature.csv "
                    + "(writes curvature_manifolds.png)."));
            return new Rendered(b.toString(), 1);
        } catch (IOException | RuntimeException e) {
            return new Rendered(Html.note("No latent-manifold picture: " + e.getMessage()), 0);
        }
    }

    /**
     * Reads the molecules to draw and their true target values.
     *
     * @return where they came from, in words
     */
    private static String molecules(Path dir, JsonNode config, String targetColumn, List<MolGraph> graphs,
            List<Double> values) throws IOException {
        Path target = config != null && config.hasNonNull("target") ? Path.of(config.get("target").asText()) : null;
        String column = config != null && config.hasNonNull("target_column") ? config.get("target_column").asText()
                : targetColumn;
        if (target != null && Files.isRegularFile(target)) {
            String smilesColumn = config.hasNonNull("smiles_column") ? config.get("smiles_column").asText() : null;
            int n = read(target, smilesColumn, column, graphs, values);
            if (!graphs.isEmpty()) {
                return graphs.size() + " labelled molecules of the target data " + target.getFileName()
                        + (n > graphs.size() ? " (one row in " + (int) Math.ceil(n / (double) MAX_MOLECULES) + " of " + n
                                + ")" : "") + " (train, validation and test rows), coloured by their " + column;
            }
        }
        Path preds = dir.resolve("test_predictions.csv");
        if (Files.isRegularFile(preds)) {
            read(preds, "smiles", "true", graphs, values);
            return graphs.size() + " test molecules of test_predictions.csv, coloured by their true " + column;
        }
        return "neither the target data named in config.json nor test_predictions.csv";
    }

    /** Reads rows with a parsable SMILES and a finite value (evenly thinned to {@link #MAX_MOLECULES}); @return rows read */
    private static int read(Path csv, String smilesColumn, String valueColumn, List<MolGraph> graphs, List<Double> values)
            throws IOException {
        List<String> smiles = new ArrayList<>();
        List<Double> v = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                        .get().parse(r)) {
            List<String> header = p.getHeaderNames();
            String sc = smilesColumn != null && header.contains(smilesColumn) ? smilesColumn
                    : header.contains("smiles") ? "smiles" : header.isEmpty() ? null : header.get(0);
            if (sc == null || !header.contains(valueColumn)) {
                return 0;
            }
            for (CSVRecord rec : p) {
                String s = rec.isSet(sc) ? rec.get(sc).trim() : "";
                String y = rec.isSet(valueColumn) ? rec.get(valueColumn).trim() : "";
                try {
                    double d = Double.parseDouble(y);
                    if (!s.isEmpty() && Double.isFinite(d)) {
                        smiles.add(s);
                        v.add(d);
                    }
                } catch (NumberFormatException e) {
                    // an unlabelled row: not drawn
                }
            }
        }
        int step = (int) Math.ceil(smiles.size() / (double) MAX_MOLECULES);
        for (int i = 0; i < smiles.size(); i += Math.max(1, step)) {
            try {
                graphs.add(Chem.featurize(smiles.get(i)));
                values.add(v.get(i));
            } catch (Exception e) {
                // an unparsable SMILES: not drawn (the run itself reported it)
            }
        }
        return smiles.size();
    }
}
