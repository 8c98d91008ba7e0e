package gear.data;

import java.util.List;
import java.util.Optional;

/**
 * One known public data set of the registry ({@code gear/datasets.json}).
 *
 * @param name the name, the file stem (e.g. {@code esol_delaney_logS})
 * @param title a human title
 * @param file file name in a data directory
 * @param rows number of data rows of the file
 * @param sha256 SHA-256 of the file in gear's mirror format
 * @param smilesColumn the SMILES column
 * @param columns the other columns with their units
 * @param origin where the data comes from (text)
 * @param originUrl the origin's public address (raw file or landing page), may be null
 * @param downloadUrl a direct public download address, or null where none is known
 * @param license license
 * @param citation citation
 * @param quirks known quirks (may be empty)
 */
public record DatasetInfo(String name, String title, String file, int rows, String sha256, String smilesColumn,
        List<Column> columns, String origin, String originUrl, String downloadUrl, String license, String citation,
        String quirks) {

    /**
     * A column and its unit.
     *
     * @param name column name
     * @param unit unit or kind (e.g. {@code K}, {@code text})
     */
    public record Column(String name, String unit) {}

    /** @return the names of the non-SMILES columns */
    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    /** @return the direct download URL, if any */
    public Optional<String> download() {
        return Optional.ofNullable(downloadUrl);
    }
}
