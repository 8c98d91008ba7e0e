package gear.data;

import java.nio.file.Path;
import java.util.List;

/**
 * What the loader found: rows read, rows kept, every bad row and informational notes (for example
 * text columns left out of the default target set).
 *
 * @param file the file read
 * @param rowsRead number of data rows (header and blank lines excluded)
 * @param rowsKept number of rows in the returned data set
 * @param badRows every rejected row, in file order
 * @param notes informational messages for the user
 * @param rowsWithoutValue rows left out because none of the selected columns has a value there (not
 *     bad rows: a sparse table simply has no measurement for that molecule)
 * @param warnings things the user should see whatever the verbosity: repeated molecules, extreme
 *     magnitudes, constant targets
 */
public record LoadReport(Path file, int rowsRead, int rowsKept, List<BadRow> badRows, List<String> notes,
        int rowsWithoutValue, List<String> warnings) {
    /** Default cap on the number of bad rows listed in one message. */
    public static final int MESSAGE_CAP = 20;

    public LoadReport {
        badRows = List.copyOf(badRows);
        notes = List.copyOf(notes);
        warnings = List.copyOf(warnings);
    }

    /** A report without rows left out for lack of a value and without warnings. */
    public LoadReport(Path file, int rowsRead, int rowsKept, List<BadRow> badRows, List<String> notes) {
        this(file, rowsRead, rowsKept, badRows, notes, 0, List.of());
    }

    /** @return true when no row was rejected */
    public boolean clean() {
        return badRows.isEmpty();
    }

    /**
     * @return a one-line summary, e.g. {@code data.csv: 100 data rows, 97 kept, 3 bad} (and
     *     {@code , 5 without a value} when rows were left out for lack of a value)
     */
    public String summary() {
        return file + ": " + rowsRead + " data rows, " + rowsKept + " kept, " + badRows.size() + " bad"
                + (rowsWithoutValue > 0 ? ", " + rowsWithoutValue + " without a value" : "");
    }

    /**
     * @param cap how many bad rows to list at most
     * @return the bad rows, one per line, capped, with "... and N more bad rows" when cut
     */
    public String describeBadRows(int cap) {
        StringBuilder sb = new StringBuilder();
        int n = Math.min(cap, badRows.size());
        for (int i = 0; i < n; i++) {
            sb.append("  ").append(badRows.get(i)).append('\n');
        }
        if (badRows.size() > n) {
            sb.append("  ... and ").append(badRows.size() - n).append(" more bad rows\n");
        }
        return sb.toString();
    }
}
