package gear.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Split files: JSON {@code {"train":[...], "val":[...], "test":[...]}} with 0-based data-row indices
 * of the CSV (header excluded), so that splits made by other tools can be reproduced exactly.
 * chemprop's forms are read as they are: a list of such objects (the first is used) and index
 * strings such as {@code "0-2,4"} (inclusive ranges) in place of the arrays. Indices of rows the
 * loader left out for having no value in the column are dropped with a note.
 * {@link #write} also stores {@code train_smiles}, {@code val_smiles}, {@code test_smiles} and the
 * source file's SHA-256; {@link #read} needs only the three index arrays.
 */
public final class SplitsFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] PARTS = {"train", "val", "test"};

    private SplitsFile() {}

    /**
     * Reads a split file and maps its data-row indices to positions in {@code ds}.
     *
     * @throws BadInputException if the file is not such JSON, an index is not an integer, is out of
     *     range, is a row not in the data set (skipped as bad), or is listed twice
     */
    public static Split read(Path file, MoleculeDataset ds) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such splits file", e);
        } catch (IOException e) {
            throw new BadInputException(file + ": not a JSON splits file: " + e.getMessage(), e);
        }
        List<String> notes = new ArrayList<>();
        if (root != null && root.isArray()) {
            // chemprop's form: a list of {train, val, test}, one per replicate; the first is used
            if (root.isEmpty() || !root.get(0).isObject()) {
                throw new BadInputException(file + ": expected a JSON list of {\"train\":[...], \"val\":[...], \"test\":[...]}"
                        + " objects (chemprop's splits file) or one such object");
            }
            if (root.size() > 1) {
                notes.add("the split file holds " + root.size() + " splits; the first is used");
            }
            root = root.get(0);
        }
        if (root == null || !root.isObject()) {
            throw new BadInputException(file + ": expected a JSON object {\"train\":[...], \"val\":[...], \"test\":[...]}");
        }
        Map<Integer, Integer> posOfRow = new HashMap<>();
        for (int i = 0; i < ds.size(); i++) {
            posOfRow.put(ds.rowIndex(i), i);
        }
        Map<Integer, String> seen = new HashMap<>();
        int[][] parts = new int[3][];
        int leftOut = 0;
        for (int p = 0; p < 3; p++) {
            JsonNode arr = root.get(PARTS[p]);
            if (arr == null || !(arr.isArray() || arr.isTextual())) {
                throw new BadInputException(file + ": missing array \"" + PARTS[p] + "\" (expected keys train, val, test)");
            }
            int[] rows = arr.isTextual() ? IndexRanges.parse(arr.asText(), file + ": \"" + PARTS[p] + "\"") : null;
            List<Integer> kept = new ArrayList<>();
            int count = rows != null ? rows.length : arr.size();
            for (int k = 0; k < count; k++) {
                int row;
                if (rows != null) {
                    row = rows[k];
                } else {
                    JsonNode v = arr.get(k);
                    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
                        throw new BadInputException(file + ": \"" + PARTS[p] + "\"[" + k + "] = " + v + " is not an integer row index");
                    }
                    row = v.intValue();
                }
                if (row < 0 || row >= ds.dataRowCount()) {
                    throw new BadInputException(file + ": \"" + PARTS[p] + "\" row index " + row + " is out of range: "
                            + ds.sourceFile().map(Path::toString).orElse(ds.name()) + " has data rows 0.." + (ds.dataRowCount() - 1));
                }
                String prev = seen.put(row, PARTS[p]);
                if (prev != null) {
                    throw new BadInputException(file + ": row index " + row + " is listed in both \"" + prev + "\" and \""
                            + PARTS[p] + "\"");
                }
                Integer pos = posOfRow.get(row);
                if (pos == null) {
                    if (ds.rowWithoutValue(row)) {
                        leftOut++; // chemprop's index lists cover every row; this one has no value in the column
                        continue;
                    }
                    throw new BadInputException(file + ": \"" + PARTS[p] + "\" row index " + row
                            + " is not in the loaded data set (that row was skipped as a bad row, or left out as a "
                            + "repeated molecule)");
                }
                kept.add(pos);
            }
            parts[p] = kept.stream().mapToInt(Integer::intValue).toArray();
        }
        notes.add(0, "split read from " + file);
        if (leftOut > 0) {
            notes.add(leftOut + " indices of the split file name rows without a value in the column; left out");
        }
        if (seen.size() < ds.size()) {
            notes.add((ds.size() - seen.size()) + " molecules are in no part of the split file");
        }
        JsonNode sha = root.get("source_sha256");
        if (sha != null && sha.isTextual() && !sha.asText().equals(ds.sourceSha256())) {
            notes.add("warning: the split file was made for a file with SHA-256 " + sha.asText() + ", this one has "
                    + ds.sourceSha256());
        }
        return new Split(parts[0], parts[1], parts[2], notes);
    }

    /**
     * Writes the split as data-row indices plus the SMILES of each part, atomically.
     */
    public static void write(Path file, Split split, MoleculeDataset ds) throws IOException {
        split.validate(ds.size());
        ObjectNode root = JSON.createObjectNode();
        int[][] parts = {split.train(), split.val(), split.test()};
        for (int p = 0; p < 3; p++) {
            ArrayNode a = root.putArray(PARTS[p]);
            for (int i : parts[p]) {
                a.add(ds.rowIndex(i));
            }
        }
        for (int p = 0; p < 3; p++) {
            ArrayNode a = root.putArray(PARTS[p] + "_smiles");
            for (int i : parts[p]) {
                a.add(ds.smiles(i));
            }
        }
        ds.sourceFile().ifPresent(f -> root.put("source_file", f.getFileName().toString()));
        root.put("source_sha256", ds.sourceSha256());
        AtomicFiles.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    }
}
