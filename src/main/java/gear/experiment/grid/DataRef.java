package gear.experiment.grid;

import gear.data.DataDirs;
import java.nio.file.Path;

/**
 * One side of a pair: a data set (registry name, or a file name in the data directory) or a CSV file
 * path, and the value column.
 *
 * @param dataset registry name or file (as written in the pairs file; a relative file path is resolved
 *     against the pairs file's directory by {@link PairsFile})
 * @param column the value column
 */
public record DataRef(String dataset, String column) {
    /** @return the CSV for this reference ({@link DataDirs#dataset}) */
    public Path resolve(Path dataDir) {
        return DataDirs.dataset(dataset, dataDir);
    }

    @Override
    public String toString() {
        return dataset + " (" + column + ")";
    }
}
