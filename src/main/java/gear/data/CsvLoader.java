package gear.data;

import gear.chem.Chem;
import gear.chem.InvalidSmilesException;
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
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Loads a molecule CSV (header row, one SMILES column, numeric target columns; chemprop's format)
 * and checks every row.
 *
 * <p>Usage: {@code CsvLoader.of(path).smilesColumn("smiles").targetColumns(List.of("logS")).policy(InvalidPolicy.SKIP).load()}.
 *
 * <p>Defaults: the SMILES column is the first column; the targets are all other columns except
 * <em>text columns</em> (columns where more than half of the non-blank cells are not numbers, such
 * as a compound name), which are left out with a note in the report. A blank cell is a missing
 * value (NaN). Line ends {@code \n} and {@code \r\n}, RFC 4180 quoting, a UTF-8 byte-order mark and
 * blank lines (skipped, not counted as data rows) are accepted.
 *
 * <p>A row with no value in any selected target column is left out and counted
 * ({@link LoadReport#rowsWithoutValue()}; a sparse table has no measurement there), not a bad row.
 * Molecules on more than one row (same canonical SMILES) are handled by a {@link DuplicatePolicy}
 * (default: all rows kept) and listed in a warning; extreme magnitudes and constant targets are
 * warned about too ({@link LoadReport#warnings()}, also logged at WARN level).
 *
 * <p>A row is bad if it has the wrong number of cells, its SMILES cannot be parsed (pseudo-atoms
 * included) or a target cell is not a finite decimal number ({@code NaN}, {@code inf} are
 * rejected). Every bad
 * row is reported with the file, the 1-based line number where it starts (header = line 1) and the
 * reason; with {@link InvalidPolicy#FAIL} (default) the load then throws a
 * {@link BadInputException} listing them (at most {@link LoadReport#MESSAGE_CAP}), with
 * {@link InvalidPolicy#SKIP} the good rows are returned with the report.
 */
public final class CsvLoader {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CsvLoader.class);
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NON_FINITE = Pattern.compile("[+-]?(nan|inf|infinity)", Pattern.CASE_INSENSITIVE);

    private final Path file;
    private String smilesColumn;
    private List<String> targetColumns;
    private InvalidPolicy policy = InvalidPolicy.FAIL;
    private DuplicatePolicy duplicates = DuplicatePolicy.KEEP;
    private boolean parallel = true;
    private boolean featurize;
    private Path cacheDir;

    private CsvLoader(Path file) {
        this.file = file;
    }

    /** @return a loader for the file with default settings */
    public static CsvLoader of(Path file) {
        return new CsvLoader(file);
    }

    /** Loads with default settings and {@link InvalidPolicy#FAIL}. */
    public static MoleculeDataset load(Path file) {
        return of(file).load().dataset();
    }

    /** @param name SMILES column name (null: the first column) */
    public CsvLoader smilesColumn(String name) {
        this.smilesColumn = name;
        return this;
    }

    /** @param names target column names in order (null or empty: all non-text columns but the SMILES column) */
    public CsvLoader targetColumns(List<String> names) {
        this.targetColumns = names == null || names.isEmpty() ? null : List.copyOf(names);
        return this;
    }

    /** @param p what to do with bad rows (default FAIL) */
    public CsvLoader policy(InvalidPolicy p) {
        this.policy = p;
        return this;
    }

    /** @param p what to do with molecules on more than one row (default KEEP, with a warning) */
    public CsvLoader duplicates(DuplicatePolicy p) {
        this.duplicates = p;
        return this;
    }

    /** @param on canonicalize SMILES on the common fork-join pool (default true) */
    public CsvLoader parallel(boolean on) {
        this.parallel = on;
        return this;
    }

    /**
     * @param on also featurize every molecule while loading (in parallel with canonicalization);
     *     molecules that parse but cannot be featurized become bad rows, and the graphs are kept in
     *     the data set's memory cache (default false: graphs are made lazily)
     */
    public CsvLoader featurize(boolean on) {
        this.featurize = on;
        return this;
    }

    /**
     * @param dir directory of an on-disk cache of canonical SMILES per row (keyed by the file's
     *     SHA-256, the SMILES column and the canonicalizer), so that loading the same file again does
     *     not re-parse; null (default) for none. {@link FeatureCache#defaultDir()} is a good choice.
     */
    public CsvLoader cacheDir(Path dir) {
        this.cacheDir = dir;
        return this;
    }

    /**
     * The loaded data set and the report of what was rejected.
     *
     * @param dataset the kept rows
     * @param report counts, bad rows and notes
     */
    public record Result(MoleculeDataset dataset, LoadReport report) {}

    /**
     * Reads and checks the file.
     *
     * @throws BadInputException on an unreadable, empty or header-only file, a missing or duplicated
     *     column name, or (policy FAIL) any bad row
     */
    public Result load() {
        byte[] bytes = readBytes();
        String sha = Hashing.sha256(bytes);
        String text = decode(bytes);
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
        List<CSVRecord> data = records.subList(1, records.size());
        int smilesIdx = smilesColumn == null ? 0 : column(col, header, smilesColumn, "SMILES");
        List<String> notes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Integer> tcols = new ArrayList<>();
        if (targetColumns != null) {
            for (String t : targetColumns) {
                int c = column(col, header, t, "target");
                if (c == smilesIdx) {
                    throw new BadInputException(file + ": column '" + t + "' is the SMILES column, not a target");
                }
                names.add(t);
                tcols.add(c);
            }
        } else {
            List<String> text_ = new ArrayList<>();
            for (int c = 0; c < header.size(); c++) {
                if (c == smilesIdx) {
                    continue;
                }
                if (isTextColumn(data, c)) {
                    text_.add(header.get(c));
                } else {
                    names.add(header.get(c));
                    tcols.add(c);
                }
            }
            if (!text_.isEmpty()) {
                notes.add("text columns left out of the targets: " + String.join(", ", text_));
            }
            if (names.isEmpty()) {
                throw new BadInputException(file + ": no numeric target column besides the SMILES column '"
                        + header.get(smilesIdx) + "' (columns: " + String.join(", ", header) + ")");
            }
        }

        int n = data.size();
        String[] canon = new String[n];
        String[] smilesErr = new String[n];
        Path cacheFile = cacheDir == null ? null : CanonicalCache.file(cacheDir, sha, header.get(smilesIdx));
        boolean cached = false;
        if (cacheFile != null && Files.isRegularFile(cacheFile)) {
            try {
                CanonicalCache.read(cacheFile, canon, smilesErr);
                cached = true;
            } catch (IOException e) {
                Arrays.fill(canon, null);
                Arrays.fill(smilesErr, null);
                notes.add("warning: SMILES cache " + cacheFile + " is unreadable (" + e.getMessage() + "); rebuilding it");
            }
        }
        boolean fromCache = cached;
        gear.chem.MolGraph[] graphs = featurize ? new gear.chem.MolGraph[n] : null;
        IntStream idx = IntStream.range(0, n);
        (parallel ? idx.parallel() : idx).forEach(i -> {
            CSVRecord r = data.get(i);
            if (r.size() != header.size()) {
                return;
            }
            String s = r.get(smilesIdx).trim();
            if (fromCache) {
                if (canon[i] == null) {
                    return;
                }
            } else if (s.isEmpty()) {
                smilesErr[i] = "empty SMILES";
                return;
            } else {
                try {
                    canon[i] = Chem.canonicalSmiles(s);
                } catch (InvalidSmilesException | RuntimeException e) {
                    smilesErr[i] = "unparsable SMILES '" + Chem.abbreviate(s) + "': " + e.getMessage();
                    return;
                }
            }
            if (graphs != null) {
                try {
                    graphs[i] = Chem.featurize(s);
                } catch (InvalidSmilesException | RuntimeException e) {
                    smilesErr[i] = "cannot featurize SMILES '" + Chem.abbreviate(s) + "': " + e.getMessage();
                }
            }
        });
        if (cacheFile != null && !cached) {
            try {
                CanonicalCache.write(cacheFile, canon, smilesErr); // a row's canonical SMILES wins over a featurization error
            } catch (IOException e) {
                notes.add("warning: cannot write SMILES cache " + cacheFile + ": " + e.getMessage());
            }
        }

        List<BadRow> bad = new ArrayList<>();
        int withoutValue = 0;
        java.util.BitSet noValueRows = new java.util.BitSet();
        List<String> keptSmiles = new ArrayList<>();
        List<String> keptCanon = new ArrayList<>();
        List<Integer> keptRows = new ArrayList<>();
        List<Long> keptLines = new ArrayList<>();
        List<double[]> keptTargets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CSVRecord r = data.get(i);
            long line = lineIndex.lineAt(r.getCharacterPosition());
            if (r.size() != header.size()) {
                bad.add(new BadRow(file, line, i, "wrong column count: " + r.size() + " cells, header has " + header.size()));
                continue;
            }
            List<String> reasons = new ArrayList<>();
            double[] t = new double[tcols.size()];
            boolean any = false;
            boolean numbersOk = true;
            for (int k = 0; k < t.length; k++) {
                String v = r.get(tcols.get(k)).trim();
                if (v.isEmpty()) {
                    t[k] = Double.NaN;
                } else if (NUMBER.matcher(v).matches()) {
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
            if (!any && numbersOk) {
                noValueRows.set(i);
                withoutValue++; // no measurement of the selected properties for this molecule: not a bad row
                continue;
            }
            if (smilesErr[i] != null) {
                reasons.add(0, smilesErr[i]);
            }
            if (!reasons.isEmpty()) {
                bad.add(new BadRow(file, line, i, String.join("; ", reasons)));
                continue;
            }
            keptSmiles.add(r.get(smilesIdx).trim());
            keptCanon.add(canon[i]);
            keptRows.add(i);
            keptLines.add(line);
            keptTargets.add(t);
        }
        if (!bad.isEmpty() && policy == InvalidPolicy.FAIL) {
            LoadReport report = new LoadReport(file, n, 0, bad, notes, withoutValue, List.of());
            throw new BadInputException(file + ": " + bad.size() + " bad row" + (bad.size() == 1 ? "" : "s")
                    + " of " + n + " (use --invalid skip to leave them out):\n"
                    + report.describeBadRows(LoadReport.MESSAGE_CAP).stripTrailing());
        }
        if (withoutValue > 0) {
            notes.add(withoutValue + " row" + (withoutValue == 1 ? " has" : "s have") + " no value in "
                    + String.join(", ", names) + " and " + (withoutValue == 1 ? "is" : "are") + " left out");
        }
        List<String> warnings = new ArrayList<>();
        Duplicates.Result dup = Duplicates.apply(file, keptCanon, keptLines, keptTargets, duplicates);
        if (dup.warning() != null) {
            warnings.add(dup.warning());
        }
        int[] keep = dup.keep();
        List<String> dsSmiles = new ArrayList<>(keep.length);
        List<String> dsCanon = new ArrayList<>(keep.length);
        int[] dsRows = new int[keep.length];
        long[] dsLines = new long[keep.length];
        for (int k = 0; k < keep.length; k++) {
            dsSmiles.add(keptSmiles.get(keep[k]));
            dsCanon.add(keptCanon.get(keep[k]));
            dsRows[k] = keptRows.get(keep[k]);
            dsLines[k] = keptLines.get(keep[k]);
        }
        warnings.addAll(TargetChecks.warnings(file, names, dup.targets(), dsLines));
        warnings.forEach(LOG::warn);
        LoadReport report = new LoadReport(file, n, keep.length, bad, notes, withoutValue, warnings);
        String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        MoleculeDataset ds = new MoleculeDataset(stem, file, sha, header.get(smilesIdx), dsSmiles, dsCanon, dsRows, dsLines,
                dup.targets(), names, null, null, n);
        ds.markWithoutValue(noValueRows);
        if (graphs != null) {
            for (int k = 0; k < keep.length; k++) {
                ds.store().set(k, graphs[dsRows[k]]);
            }
        }
        return new Result(ds, report);
    }

    private byte[] readBytes() {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file", e);
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadInputException(file + ": not UTF-8 text", e);
        }
    }

    private int column(Map<String, Integer> col, List<String> header, String name, String role) {
        Integer c = col.get(name);
        if (c == null) {
            throw new BadInputException(file + ": no " + role + " column '" + name + "'; available columns: "
                    + String.join(", ", header));
        }
        return c;
    }

    private static boolean isTextColumn(List<CSVRecord> data, int c) {
        int numeric = 0;
        int other = 0;
        for (CSVRecord r : data) {
            if (c >= r.size()) {
                continue;
            }
            String v = r.get(c).trim();
            if (v.isEmpty()) {
                continue;
            }
            if (NUMBER.matcher(v).matches()) {
                numeric++;
            } else {
                other++;
            }
        }
        return other > numeric;
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
