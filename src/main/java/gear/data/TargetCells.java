package gear.data;

import java.util.List;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVRecord;

/**
 * A row's target cells as {@link CsvLoader} reads them: a blank cell is a missing value (NaN); any other cell must be a
 * finite decimal number ({@code NaN}, {@code inf} and numbers that overflow a double are rejected with the reason).
 *
 * @param values the row's target values, in the columns' order (NaN where blank)
 * @param blank whether every target cell is blank (a row with no measurement of the selected targets: left out and
 *     counted, not a bad row)
 */
record TargetCells(double[] values, boolean blank) {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NON_FINITE = Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);

    /** @return whether the (trimmed) cell is a decimal number */
    static boolean isNumber(String cell) {
        return NUMBER.matcher(cell).matches();
    }

    /**
     * @param r a row with the header's number of cells
     * @param columns the target columns
     * @param reasons where the reason of each cell that is not a finite number is added
     * @return the row's target cells
     */
    static TargetCells parse(CSVRecord r, CsvColumns columns, List<String> reasons) {
        List<String> names = columns.names();
        double[] t = new double[names.size()];
        boolean any = false;
        boolean numbersOk = true;
        for (int k = 0; k < t.length; k++) {
            String v = r.get(columns.targets().get(k)).trim();
            if (v.isEmpty()) {
                t[k] = Double.NaN;
            } else if (isNumber(v)) {
                t[k] = Double.parseDouble(v);
                if (!Double.isFinite(t[k])) {
                    reasons.add("target '" + names.get(k) + "' = '" + v + "' overflows a double");
                    numbersOk = false;
                }
                any = true;
            } else {
                reasons.add((NON_FINITE.matcher(v).matches() ? "non-finite" : "non-numeric") + " target '"
                        + names.get(k) + "' = '" + v + "' (leave the cell blank for a missing value)");
                numbersOk = false;
            }
        }
        return new TargetCells(t, !any && numbersOk);
    }
}
