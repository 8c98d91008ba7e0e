package gear.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import gear.data.BadInputException;
import gear.nn.SafeTensors;
import gear.nn.Tensors;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;

/**
 * Embeddings as a safetensors file ({@link SafeTensors}, the container of the model files): one float32 tensor per
 * block of {@link Embedder}'s columns, named by the block ({@code h} for a D-MPNN; {@code source_h}, {@code source_z},
 * {@code source_phi}, {@code target_h}, … for a transfer model), of shape (molecules, block width), rows in input
 * order; an int64 tensor {@value #ROW} with each embedded molecule's 0-based data row in the input; and string
 * metadata: {@value #SMILES} (a JSON array of the embedded molecules' SMILES, in row order), {@value #BLOCKS} (the
 * block names in column order), {@value #SKIPPED} (a JSON array of the rows without an embedding:
 * {@code {"row", "smiles", "reason"}}) and {@code format} = {@value #FORMAT}.
 *
 * <p>The embeddings go through {@link PredictRun} into a temporary CSV beside the output (the same streaming and the
 * same bad-row handling as the CSV output), which is then read back into the tensors and removed; the safetensors
 * file is written atomically. Unlike the CSV, the whole result is held in memory once (safetensors puts the shapes
 * before the data): 4 bytes per coordinate and molecule.
 */
public final class EmbeddingFile {
    /** Tensor of the 0-based input data row of each embedded molecule. */
    public static final String ROW = "row";
    /** Metadata key: the embedded molecules' SMILES, a JSON array in row order. */
    public static final String SMILES = "smiles";
    /** Metadata key: the block names in column order, a JSON array. */
    public static final String BLOCKS = "blocks";
    /** Metadata key: the rows without an embedding, a JSON array of objects. */
    public static final String SKIPPED = "skipped";
    /** Value of the {@code format} metadata key. */
    public static final String FORMAT = "gear-embeddings-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private EmbeddingFile() {}

    /** @return whether a path names a safetensors file (by its extension, case-insensitive) */
    public static boolean isSafetensors(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors");
    }

    /**
     * Embeds {@code input} and writes {@code output} as safetensors.
     *
     * @throws BadInputException naming the file, line and problem (as {@link PredictRun#run})
     */
    public static PredictRun.Result write(Embedder model, Path input, String smilesColumn, PredictRun.Options o,
            Path output) throws IOException {
        PredictRun.refuseOutputIsInput(input, output);
        Path dir = output.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BadInputException(output + ": cannot create its directory: " + e.getMessage(), e);
        }
        Path csv = Files.createFile(gear.data.AtomicFiles.temporary(dir, output.getFileName() + ".csv"));
        try {
            PredictRun.Result r = PredictRun.run(model, input, smilesColumn, o, csv);
            convert(csv, model.targetNames(), output);
            return r;
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    /** Reads the embedding CSV written by {@link PredictRun} and writes the safetensors file. */
    private static void convert(Path csv, List<String> columns, Path output) throws IOException {
        Map<String, int[]> blocks = blocks(columns);
        List<float[]> rows = new ArrayList<>();
        List<Long> rowIndex = new ArrayList<>();
        ArrayNode smiles = JSON.createArrayNode();
        ArrayNode skipped = JSON.createArrayNode();
        try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            long row = 0;
            for (CSVRecord rec : p) {
                String reason = rec.get(PredictChunk.REASON_COLUMN);
                if (!reason.isEmpty()) {
                    skipped.addObject().put("row", row).put("smiles", rec.get(0)).put("reason", reason);
                } else {
                    float[] v = new float[columns.size()];
                    for (int j = 0; j < v.length; j++) {
                        String cell = rec.get(j + 1);
                        v[j] = cell.isEmpty() ? Float.NaN : (float) Double.parseDouble(cell);
                    }
                    rows.add(v);
                    rowIndex.add(row);
                    smiles.add(rec.get(0));
                }
                row++;
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put(BLOCKS, JSON.writeValueAsString(blocks.keySet()));
        meta.put(SMILES, JSON.writeValueAsString(smiles));
        meta.put(SKIPPED, JSON.writeValueAsString(skipped));
        int n = rows.size();
        try (PointerScope scope = new PointerScope()) {
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, int[]> b : blocks.entrySet()) {
                int from = b.getValue()[0];
                int d = b.getValue()[1];
                float[] data = new float[n * d];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(rows.get(i), from, data, i * d, d);
                }
                tensors.put(b.getKey(), Tensors.of(data, n, d));
            }
            long[] idx = new long[n];
            for (int i = 0; i < n; i++) {
                idx[i] = rowIndex.get(i);
            }
            tensors.put(ROW, Tensors.of(idx, n));
            SafeTensors.write(output, tensors, meta);
        }
    }

    /**
     * Groups embedding columns by name without the trailing coordinate index ({@code source_z0 … source_z3} →
     * {@code source_z}).
     *
     * @return block name → {first column, width}, in column order
     */
    static Map<String, int[]> blocks(List<String> columns) {
        Map<String, int[]> b = new LinkedHashMap<>();
        for (int j = 0; j < columns.size(); j++) {
            String name = columns.get(j).replaceFirst("\\d+$", "");
            int col = j;
            b.computeIfAbsent(name, k -> new int[] {col, 0})[1]++;
        }
        return b;
    }
}
