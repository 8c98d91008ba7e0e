package gear.experiment.grid;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** Reads the small CSV files runners leave in cell directories, column by column. */
final class CellCsv {
    private CellCsv() {}

    /**
     * @return column name → its cells, top to bottom ("" where a row is short), in header order
     * @throws IOException when the file cannot be read or parsed (the message names it)
     */
    static Map<String, List<String>> read(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                        .setAllowMissingColumnNames(true).build().parse(r)) {
            Map<String, List<String>> cols = new LinkedHashMap<>();
            List<String> names = csv.getHeaderNames();
            names.forEach(n -> cols.put(n, new ArrayList<>()));
            for (CSVRecord rec : csv) {
                for (int i = 0; i < names.size(); i++) {
                    cols.get(names.get(i)).add(i < rec.size() ? rec.get(i) : "");
                }
            }
            return cols;
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": cannot read CSV: " + e.getMessage(), e);
        }
    }

    /**
     * @return the cells as numbers: blank → NaN
     * @throws IOException on a cell that is not a number (naming the file, column and row)
     */
    static double[] numbers(Path file, String column, List<String> cells) throws IOException {
        double[] v = new double[cells.size()];
        for (int i = 0; i < v.length; i++) {
            String s = cells.get(i).trim();
            try {
                v[i] = s.isEmpty() ? Double.NaN : Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IOException(file + ": column " + column + ", data row " + (i + 1) + ": not a number: '" + s + "'");
            }
        }
        return v;
    }
}
