package gear.experiment.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.data.Hashing;
import gear.data.MoleculeDataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The fingerprint of a cell's target split: SHA-256 (first 16 hex digits) of the target file's SHA-256 and the
 * sorted data-row indices (0-based, header excluded) of its training, validation and test parts. Two cells with
 * the same fingerprint train, select and test on the same target molecules of the same file, whatever their sources;
 * a task set's cells and its pairs' cells at one (split type, seed, fold) share it by construction
 * ({@link Protocol}: the target split depends only on the target, its subsample and the seed). A grid records it in
 * every cell's {@code result.json} ({@code target_split}); for a cell finished before that, it is recomputed from the
 * cell's {@code splits.json} (the same rows and file SHA-256, {@link gear.data.SplitsFile}).
 */
public final class TargetSplit {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] PARTS = {"train", "val", "test"};

    private TargetSplit() {}

    /** @return the fingerprint of a split given as positions in the target data set */
    public static String of(MoleculeDataset target, int[] train, int[] val, int[] test) {
        int[][] parts = {train, val, test};
        int[][] rows = new int[3][];
        for (int p = 0; p < 3; p++) {
            rows[p] = Arrays.stream(parts[p]).map(target::rowIndex).toArray();
        }
        return ofRows(target.sourceSha256(), rows[0], rows[1], rows[2]);
    }

    /** @return the fingerprint of a split given as data-row indices of the file with the given SHA-256 */
    public static String ofRows(String fileSha256, int[] train, int[] val, int[] test) {
        StringBuilder sb = new StringBuilder("target file ").append(fileSha256).append('\n');
        int[][] parts = {train, val, test};
        for (int p = 0; p < 3; p++) {
            int[] r = parts[p].clone();
            Arrays.sort(r);
            sb.append(PARTS[p]).append(':').append(Arrays.toString(r)).append('\n');
        }
        return Hashing.sha256(sb.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    /**
     * @param cellDir a cell's directory
     * @return the fingerprint of the split its {@code splits.json} records, or null when it has none (or one without
     *     the three index arrays and the file's SHA-256)
     */
    public static String read(Path cellDir) {
        Path f = cellDir.resolve(gear.train.RunWriter.SPLITS);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            JsonNode o = JSON.readTree(f.toFile());
            if (o == null || !o.isObject() || !o.path("source_sha256").isTextual()) {
                return null;
            }
            int[][] rows = new int[3][];
            for (int p = 0; p < 3; p++) {
                JsonNode a = o.get(PARTS[p]);
                if (a == null || !a.isArray()) {
                    return null;
                }
                rows[p] = new int[a.size()];
                for (int k = 0; k < a.size(); k++) {
                    rows[p][k] = a.get(k).asInt();
                }
            }
            return ofRows(o.get("source_sha256").asText(), rows[0], rows[1], rows[2]);
        } catch (IOException e) {
            return null;
        }
    }

    /** @return the row's recorded fingerprint, else the one of {@code cellDir}'s splits.json, else null */
    public static String of(ResultRow row, Path cellDir) {
        if (row.targetSplit() != null) {
            return row.targetSplit();
        }
        return cellDir == null ? null : read(cellDir);
    }
}
