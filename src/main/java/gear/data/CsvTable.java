package gear.data;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A CSV file as {@link CsvLoader} reads it: UTF-8 text (a byte-order mark dropped), RFC 4180 records with blank lines
 * skipped, a header row of unique non-empty names, at least one data row, and the 1-based line where each record
 * starts (header = line 1; line ends {@code \n}, {@code \r\n} and a lone {@code \r}).
 */
final class CsvTable {
    private final Path file;
    private final String sha;
    private final List<String> header;
    private final Map<String, Integer> columns;
    private final List<CSVRecord> data;
    private final LineIndex lines;

    private CsvTable(Path file, String sha, List<String> header, Map<String, Integer> columns, List<CSVRecord> data,
            LineIndex lines) {
        this.file = file;
        this.sha = sha;
        this.header = header;
        this.columns = columns;
        this.data = data;
        this.lines = lines;
    }

    /**
     * Reads and parses the file and checks its header.
     *
     * @throws BadInputException on an unreadable, non-UTF-8, empty, malformed or header-only file, or a header with an
     *     empty or duplicated column name
     */
    static CsvTable read(Path file) {
        byte[] bytes = readBytes(file);
        String sha = Hashing.sha256(bytes);
        String text = decode(file, bytes);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            throw new BadInputException(file + ": empty file (expected a header row, e.g. 'smiles,target', then data rows)");
        }
        LineIndex lineIndex = new LineIndex(text);
        List<CSVRecord> records;
        try (CSVParser parser = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).get().parse(new StringReader(text))) {
            records = parser.getRecords();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new BadInputException(file + ": malformed CSV: " + e.getMessage(), e);
        }
        CSVRecord headerRec = records.get(0);
        List<String> header = new ArrayList<>();
        for (String h : headerRec) {
            header.add(h.trim());
        }
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).isEmpty()) {
                throw new BadInputException(file + ": line 1 (header): column " + (i + 1) + " has no name");
            }
            if (col.put(header.get(i), i) != null) {
                throw new BadInputException(file + ": line 1 (header): duplicate column name '" + header.get(i) + "'");
            }
        }
        if (records.size() == 1) {
            throw new BadInputException(file + ": header only, no data rows (columns: " + String.join(", ", header) + ")");
        }
        return new CsvTable(file, sha, List.copyOf(header), col, records.subList(1, records.size()), lineIndex);
    }

    /** @return the file */
    Path file() {
        return file;
    }

    /** @return the SHA-256 of the file's bytes */
    String sha() {
        return sha;
    }

    /** @return the column names (trimmed), in order */
    List<String> header() {
        return header;
    }

    /** @return the data records (header excluded), in file order */
    List<CSVRecord> data() {
        return data;
    }

    /** @return the 1-based line where the record starts (header = line 1) */
    long lineOf(CSVRecord r) {
        return lines.lineAt(r.getCharacterPosition());
    }

    /**
     * @param role what the column is for, in the message ("SMILES", "target")
     * @return the index of the named column
     * @throws BadInputException when there is none, listing the columns
     */
    int column(String name, String role) {
        Integer c = columns.get(name);
        if (c == null) {
            throw new BadInputException(file + ": no " + role + " column '" + name + "'; available columns: "
                    + String.join(", ", header));
        }
        return c;
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file", e);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String decode(Path file, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadInputException(file + ": not UTF-8 text", e);
        }
    }

    /** Maps character offsets to 1-based line numbers; \n, \r\n and lone \r end a line. */
    private static final class LineIndex {
        private final String text;
        private final int[] starts;

        LineIndex(String text) {
            this.text = text;
            List<Integer> s = new ArrayList<>();
            s.add(0);
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                if (ch == '\n' || (ch == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                    s.add(i + 1);
                }
            }
            starts = s.stream().mapToInt(Integer::intValue).toArray();
        }

        long lineAt(long pos) {
            int p = (int) pos;
            while (p < text.length() && (text.charAt(p) == '\n' || text.charAt(p) == '\r')) {
                p++; // skipped blank lines before the record
            }
            int k = Arrays.binarySearch(starts, p);
            return (k >= 0 ? k : -k - 2) + 1;
        }
    }
}
