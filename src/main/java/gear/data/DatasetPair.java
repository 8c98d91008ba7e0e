package gear.data;

/**
 * A suggested source → target transfer pair of the registry.
 *
 * @param id pair id, e.g. {@code tb-tc}
 * @param source source data set name
 * @param sourceColumn source target column
 * @param target target data set name
 * @param targetColumn target target column
 * @param overlap molecules in both sets (canonical SMILES), as stated by the data manifest
 * @param pearsonR Pearson correlation on the overlap, as stated by the data manifest
 * @param link the physical link between the two properties
 * @param note extra remark (may be null)
 */
public record DatasetPair(String id, String source, String sourceColumn, String target, String targetColumn, int overlap,
        double pearsonR, String link, String note) {}
