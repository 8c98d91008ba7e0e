package gear.run;

import gear.chem.Chem;
import gear.chem.InvalidSmilesException;
import gear.chem.MolGraph;
import gear.data.AtomicFiles;
import gear.data.BadInputException;
import gear.data.BadRow;
import gear.data.InvalidPolicy;
import gear.data.LoadReport;
import gear.train.TrainedModel;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Predictions of a trained model for the molecules of a CSV (header row; the SMILES column is
 * named or the first column; other columns are ignored). The output CSV has one row per input data
 * row, in input order: {@code smiles} then one column per target (the model's target names),
 * written atomically.
 *
 * <p>Rows whose SMILES cannot be parsed or featurized are bad rows: with {@link InvalidPolicy#FAIL}
 * the call fails listing them (file, line, problem) and writes nothing; with {@link InvalidPolicy#SKIP}
 * they are returned in the result (for the caller to list) and written with <em>empty</em>
 * predictions, so that output rows stay aligned with input rows.
 */
public final class PredictRun {
    private PredictRun() {}

    /**
     * What was predicted.
     *
     * @param rows data rows read
     * @param predicted rows with predictions
     * @param badRows rows left without predictions
     */
    public record Result(int rows, int predicted, List<BadRow> badRows) {}

    /**
     * Predicts and writes {@code output}.
     *
     * @param model the model
     * @param input the CSV to predict for
     * @param smilesColumn the SMILES column (null: the first column)
     * @param policy bad rows: fail or skip
     * @param output the CSV to write
     * @throws BadInputException naming the file, line and problem
     */
    public static Result run(TrainedModel model, Path input, String smilesColumn, InvalidPolicy policy, Path output)
            throws IOException {
        return run(model.targetNames(), model::predict, input, smilesColumn, policy, output);
    }

    /**
     * Predicts with any model given as a function from graphs to predictions (rows: molecules,
     * columns: targets in original units) and writes {@code output}; used for one task of a transfer
     * model.
     *
     * @param targetNames the output column names, one per prediction column
     * @param predictor graphs → predictions
     * @throws BadInputException naming the file, line and problem
     */
    public static Result run(List<String> targetNames, java.util.function.Function<List<MolGraph>, double[][]> predictor,
            Path input, String smilesColumn, InvalidPolicy policy, Path output) throws IOException {
        List<String> smiles = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(input);
                CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                        .get().parse(r)) {
            List<String> header = p.getHeaderNames();
            if (header.isEmpty()) {
                throw new BadInputException(input + ": line 1: no header row (expected e.g. 'smiles')");
            }
            String col = smilesColumn != null ? smilesColumn : header.get(0);
            if (!header.contains(col)) {
                throw new BadInputException(input + ": line 1 (header): no column '" + col + "'; columns are " + header);
            }
            for (CSVRecord rec : p) {
                smiles.add(rec.isSet(col) ? rec.get(col).trim() : "");
                lines.add(rec.getParser().getCurrentLineNumber());
            }
        } catch (NoSuchFileException e) {
            throw new BadInputException(input + ": no such file");
        } catch (java.io.UncheckedIOException | IllegalArgumentException e) {
            throw new BadInputException(input + ": malformed CSV: " + e.getMessage(), e);
        }
        if (smiles.isEmpty()) {
            throw new BadInputException(input + ": no data rows");
        }
        int n = smiles.size();
        MolGraph[] graphs = new MolGraph[n];
        String[] problems = new String[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            String s = smiles.get(i);
            if (s.isEmpty()) {
                problems[i] = "empty SMILES";
                return;
            }
            try {
                graphs[i] = Chem.featurize(s);
            } catch (InvalidSmilesException | RuntimeException e) {
                problems[i] = "unparsable SMILES '" + s + "': " + e.getMessage();
            }
        });
        List<BadRow> bad = new ArrayList<>();
        List<MolGraph> ok = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (problems[i] != null) {
                bad.add(new BadRow(input, lines.get(i), i, problems[i]));
            } else {
                ok.add(graphs[i]);
            }
        }
        if (!bad.isEmpty() && policy == InvalidPolicy.FAIL) {
            LoadReport rep = new LoadReport(input, n, n - bad.size(), bad, List.of());
            throw new BadInputException(input + ": " + bad.size() + " bad rows of " + n
                    + " (use --invalid skip to write them with empty predictions):\n"
                    + rep.describeBadRows(LoadReport.MESSAGE_CAP).stripTrailing());
        }
        double[][] pred = ok.isEmpty() ? new double[0][] : predictor.apply(ok);
        List<String> targets = targetNames;
        StringBuilder sb = new StringBuilder("smiles");
        for (String t : targets) {
            sb.append(',').append(Csv.quote(t));
        }
        sb.append('\n');
        int k = 0;
        for (int i = 0; i < n; i++) {
            sb.append(Csv.quote(smiles.get(i)));
            for (int t = 0; t < targets.size(); t++) {
                sb.append(',');
                if (problems[i] == null) {
                    sb.append(RunDirectory.num(pred[k][t]));
                }
            }
            if (problems[i] == null) {
                k++;
            }
            sb.append('\n');
        }
        if (output.toAbsolutePath().getParent() != null) {
            Files.createDirectories(output.toAbsolutePath().getParent());
        }
        AtomicFiles.writeString(output, sb.toString());
        return new Result(n, ok.size(), bad);
    }
}
