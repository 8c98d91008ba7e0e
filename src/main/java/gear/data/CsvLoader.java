package gear.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>The parts: {@link CsvTable} (the file's text, records, header and line numbers), {@link CsvColumns} (the SMILES
 * and target columns), {@link SmilesPass} (canonical SMILES, their cache, featurization), {@link TargetCells} (a row's
 * target cells), {@link Duplicates} and {@link TargetChecks}; this class applies the policies to the rows.
 */
public final class CsvLoader {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CsvLoader.class);

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
        CsvTable table = CsvTable.read(file);
        List<String> notes = new ArrayList<>();
        CsvColumns columns = CsvColumns.resolve(table, smilesColumn, targetColumns, notes);
        List<CSVRecord> data = table.data();
        int n = data.size();
        int cells = table.header().size();
        SmilesPass smiles = SmilesPass.run(table, columns.smiles(), cacheDir, parallel, featurize, notes);

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
            long line = table.lineOf(r);
            if (r.size() != cells) {
                bad.add(new BadRow(file, line, i, "wrong column count: " + r.size() + " cells, header has " + cells));
                continue;
            }
            List<String> reasons = new ArrayList<>();
            TargetCells t = TargetCells.parse(r, columns, reasons);
            if (t.blank()) {
                noValueRows.set(i);
                withoutValue++; // no measurement of the selected properties for this molecule: not a bad row
                continue;
            }
            if (smiles.errors()[i] != null) {
                reasons.add(0, smiles.errors()[i]);
            }
            if (!reasons.isEmpty()) {
                bad.add(new BadRow(file, line, i, String.join("; ", reasons)));
                continue;
            }
            keptSmiles.add(r.get(columns.smiles()).trim());
            keptCanon.add(smiles.canonical()[i]);
            keptRows.add(i);
            keptLines.add(line);
            keptTargets.add(t.values());
        }
        List<String> names = columns.names();
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
        MoleculeDataset ds = new MoleculeDataset(stem, file, table.sha(), table.header().get(columns.smiles()), dsSmiles,
                dsCanon, dsRows, dsLines, dup.targets(), names, null, null, n);
        ds.markWithoutValue(noValueRows);
        if (smiles.graphs() != null) {
            for (int k = 0; k < keep.length; k++) {
                ds.store().set(k, smiles.graphs()[dsRows[k]]);
            }
        }
        return new Result(ds, report);
    }
}
