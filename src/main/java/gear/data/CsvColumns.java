package gear.data;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVRecord;

/**
 * The columns {@link CsvLoader} reads: the SMILES column (named, else the first) and the target columns (named, in the
 * given order, else every other column but the <em>text columns</em>: those where more than half of the non-blank cells
 * are not numbers, such as a compound name, which are left out with a note).
 *
 * @param smiles index of the SMILES column
 * @param names the target columns' names, in order
 * @param targets the target columns' indices, in the order of {@code names}
 */
record CsvColumns(int smiles, List<String> names, List<Integer> targets) {
    CsvColumns {
        names = List.copyOf(names);
        targets = List.copyOf(targets);
    }

    /**
     * @param smilesColumn the SMILES column's name (null: the first column)
     * @param targetColumns the target columns' names (null: every numeric column but the SMILES column)
     * @param notes where the text columns left out are noted
     * @throws BadInputException on a missing column, a target that is the SMILES column, or no numeric target column
     */
    static CsvColumns resolve(CsvTable table, String smilesColumn, List<String> targetColumns, List<String> notes) {
        List<String> header = table.header();
        int smilesIdx = smilesColumn == null ? 0 : table.column(smilesColumn, "SMILES");
        List<String> names = new ArrayList<>();
        List<Integer> tcols = new ArrayList<>();
        if (targetColumns != null) {
            for (String t : targetColumns) {
                int c = table.column(t, "target");
                if (c == smilesIdx) {
                    throw new BadInputException(table.file() + ": column '" + t + "' is the SMILES column, not a target");
                }
                names.add(t);
                tcols.add(c);
            }
        } else {
            List<String> text = new ArrayList<>();
            for (int c = 0; c < header.size(); c++) {
                if (c == smilesIdx) {
                    continue;
                }
                if (isTextColumn(table.data(), c)) {
                    text.add(header.get(c));
                } else {
                    names.add(header.get(c));
                    tcols.add(c);
                }
            }
            if (!text.isEmpty()) {
                notes.add("text columns left out of the targets: " + String.join(", ", text));
            }
            if (names.isEmpty()) {
                throw new BadInputException(table.file() + ": no numeric target column besides the SMILES column '"
                        + header.get(smilesIdx) + "' (columns: " + String.join(", ", header) + ")");
            }
        }
        return new CsvColumns(smilesIdx, names, tcols);
    }

    private static boolean isTextColumn(List<CSVRecord> data, int c) {
        int numeric = 0;
        int other = 0;
        for (CSVRecord r : data) {
            if (c >= r.size()) {
                continue;
            }
            String v = r.get(c).trim();
            if (v.isEmpty()) {
                continue;
            }
            if (TargetCells.isNumber(v)) {
                numeric++;
            } else {
                other++;
            }
        }
        return other > numeric;
    }
}
