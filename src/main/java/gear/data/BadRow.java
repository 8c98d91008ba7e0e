package gear.data;

import java.nio.file.Path;

/**
 * One rejected row of a CSV file.
 *
 * @param file the file
 * @param line 1-based line number in the file where the row starts (the header is line 1)
 * @param dataRow 0-based index of the row among the data rows (header excluded, blank lines skipped)
 * @param reason what is wrong, e.g. {@code unparsable SMILES 'C1CC'} or {@code non-numeric target 'logS' = 'abc'}
 */
public record BadRow(Path file, long line, int dataRow, String reason) {
    @Override
    public String toString() {
        return file + ": line " + line + " (data row " + dataRow + "): " + reason;
    }
}
