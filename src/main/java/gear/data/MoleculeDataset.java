package gear.data;

import gear.chem.Chem;
import gear.chem.InvalidSmilesException;
import gear.chem.MolGraph;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An immutable set of molecules with regression targets, as loaded from one CSV file.
 *
 * <p>Molecule {@code i} (0 ≤ i &lt; {@link #size()}) has its SMILES as written in the file, its
 * canonical SMILES, the 0-based index of its data row in the file ({@link #rowIndex(int)}: header
 * excluded; split files refer to these) and one value per target, {@code NaN} where the cell was
 * blank. Featurized graphs are computed lazily and kept in memory; a {@link #subset(int[])} shares
 * them with the data set it was cut from, so each molecule is featurized at most once per process
 * (see {@link FeatureCache} for the on-disk cache across processes).
 */
public final class MoleculeDataset {
    private final String name;
    private final Path sourceFile;
    private final String sourceSha256;
    private final String smilesColumn;
    private final List<String> smiles;
    private final List<String> canonical;
    private final int[] rowIndices;
    private final long[] lines;
    private final double[][] targets;
    private final List<String> targetNames;
    private final GraphStore store;
    private final int[] storeIndex;
    private final int dataRows;
    private java.util.BitSet withoutValue = new java.util.BitSet();

    MoleculeDataset(String name, Path sourceFile, String sourceSha256, String smilesColumn, List<String> smiles,
            List<String> canonical, int[] rowIndices, long[] lines, double[][] targets, List<String> targetNames,
            GraphStore store, int[] storeIndex, int dataRows) {
        int n = smiles.size();
        if (canonical.size() != n || rowIndices.length != n || targets.length != n || (lines != null && lines.length != n)) {
            throw new IllegalArgumentException("inconsistent data set arrays");
        }
        for (double[] t : targets) {
            if (t.length != targetNames.size()) {
                throw new IllegalArgumentException("target row has " + t.length + " values, expected " + targetNames.size());
            }
        }
        this.name = name;
        this.sourceFile = sourceFile;
        this.sourceSha256 = sourceSha256;
        this.smilesColumn = smilesColumn;
        this.smiles = List.copyOf(smiles);
        this.canonical = List.copyOf(canonical);
        this.rowIndices = rowIndices.clone();
        this.lines = lines == null ? null : lines.clone();
        this.targets = deepCopy(targets);
        this.targetNames = List.copyOf(targetNames);
        this.store = store != null ? store : new GraphStore(this.smiles, sourceSha256, smilesColumn);
        this.storeIndex = storeIndex != null ? storeIndex.clone() : identity(n);
        this.dataRows = dataRows;
    }

    /**
     * Builds a data set from SMILES and targets in memory (no file). Row indices are 0..n-1 and the
     * "source hash" is the SHA-256 of the SMILES and targets, so the disk feature cache still works.
     *
     * @param name a name for messages
     * @param smiles SMILES strings
     * @param targets n × t values, NaN for missing
     * @param targetNames t names
     * @throws BadInputException if a SMILES cannot be parsed (names its index)
     */
    public static MoleculeDataset of(String name, List<String> smiles, double[][] targets, List<String> targetNames) {
        List<String> canon = new ArrayList<>(smiles.size());
        MessageDigest md = Hashing.sha256();
        for (int i = 0; i < smiles.size(); i++) {
            try {
                canon.add(Chem.canonicalSmiles(smiles.get(i)));
            } catch (InvalidSmilesException e) {
                throw new BadInputException(name + ": molecule " + i + ": unparsable SMILES '" + smiles.get(i) + "': " + e.getMessage());
            }
            md.update((smiles.get(i) + "," + Arrays.toString(targets[i]) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return new MoleculeDataset(name, null, Hashing.hex(md), "smiles", smiles, canon, identity(smiles.size()), null,
                targets, targetNames, null, null, smiles.size());
    }

    private static int[] identity(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] r = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i].clone();
        }
        return r;
    }

    /** @return the data set's name (file stem for loaded files) */
    public String name() {
        return name;
    }

    /** @return the CSV it was read from, if any */
    public Optional<Path> sourceFile() {
        return Optional.ofNullable(sourceFile);
    }

    /** @return SHA-256 (hex) of the source file's bytes (of the content, for in-memory sets) */
    public String sourceSha256() {
        return sourceSha256;
    }

    /** @return the name of the SMILES column */
    public String smilesColumn() {
        return smilesColumn;
    }

    /** @return number of molecules */
    public int size() {
        return smiles.size();
    }

    /** @return SMILES of molecule i as written in the file */
    public String smiles(int i) {
        return smiles.get(i);
    }

    /** @return all SMILES as written (unmodifiable) */
    public List<String> smiles() {
        return smiles;
    }

    /** @return canonical SMILES of molecule i */
    public String canonicalSmiles(int i) {
        return canonical.get(i);
    }

    /** @return all canonical SMILES (unmodifiable) */
    public List<String> canonicalSmiles() {
        return canonical;
    }

    /** @return 0-based data-row index (header excluded) of molecule i in the source file */
    public int rowIndex(int i) {
        return rowIndices[i];
    }

    /** @return data-row indices of all molecules (a copy) */
    public int[] rowIndices() {
        return rowIndices.clone();
    }

    /**
     * @return whether data row {@code row} of the source file was left out by the loader because it
     *     has no value in the selected columns (a split file may name it: chemprop's cover every row)
     */
    public boolean rowWithoutValue(int row) {
        return withoutValue.get(row);
    }

    /** Records the data rows the loader left out for having no value (package-private, for {@link CsvLoader}). */
    void markWithoutValue(java.util.BitSet rows) {
        withoutValue = (java.util.BitSet) rows.clone();
    }

    /** @return number of data rows in the source file (header excluded), kept or not */
    public int dataRowCount() {
        return dataRows;
    }

    /** @return 1-based line number of molecule i in the source file, or -1 when not loaded from a file */
    public long line(int i) {
        return lines == null ? -1 : lines[i];
    }

    /** @return number of targets */
    public int numTargets() {
        return targetNames.size();
    }

    /** @return target names (unmodifiable) */
    public List<String> targetNames() {
        return targetNames;
    }

    /** @return target t of molecule i, NaN if missing */
    public double target(int i, int t) {
        return targets[i][t];
    }

    /** @return targets of molecule i (a copy) */
    public double[] targets(int i) {
        return targets[i].clone();
    }

    /** @return all targets, n × t (a deep copy), NaN for missing */
    public double[][] targets() {
        return deepCopy(targets);
    }

    /** @return column t of the targets (a copy) */
    public double[] targetColumn(int t) {
        double[] r = new double[size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = targets[i][t];
        }
        return r;
    }

    /** @return a description of where molecule i came from, for messages */
    public String where(int i) {
        String f = sourceFile != null ? sourceFile.toString() : name;
        return lines != null ? f + ": line " + lines[i] + " (data row " + rowIndices[i] + ")" : f + ": molecule " + i;
    }

    /**
     * The molecules at the given positions, in that order, sharing the graph cache.
     *
     * @param positions indices into this data set
     */
    public MoleculeDataset subset(int[] positions) {
        List<String> s = new ArrayList<>(positions.length);
        List<String> c = new ArrayList<>(positions.length);
        int[] rows = new int[positions.length];
        long[] ls = lines == null ? null : new long[positions.length];
        double[][] t = new double[positions.length][];
        int[] si = new int[positions.length];
        for (int k = 0; k < positions.length; k++) {
            int i = positions[k];
            if (i < 0 || i >= size()) {
                throw new IndexOutOfBoundsException("position " + i + " outside 0.." + (size() - 1));
            }
            s.add(smiles.get(i));
            c.add(canonical.get(i));
            rows[k] = rowIndices[i];
            if (ls != null) {
                ls[k] = lines[i];
            }
            t[k] = targets[i];
            si[k] = storeIndex[i];
        }
        return new MoleculeDataset(name, sourceFile, sourceSha256, smilesColumn, s, c, rows, ls, t, targetNames, store, si,
                dataRows);
    }

    /**
     * The same molecules with other target values (same names, same shape), sharing the graph cache;
     * used e.g. by {@link LabelNoise} to make a label-corrupted copy.
     *
     * @param newTargets n × t values, NaN for missing
     * @throws IllegalArgumentException if the shape differs from this set's
     */
    public MoleculeDataset withTargets(double[][] newTargets) {
        if (newTargets.length != size()) {
            throw new IllegalArgumentException("got " + newTargets.length + " target rows, data set has " + size());
        }
        return new MoleculeDataset(name, sourceFile, sourceSha256, smilesColumn, smiles, canonical, rowIndices, lines,
                newTargets, targetNames, store, storeIndex, dataRows);
    }

    /**
     * The same molecules with only the named targets (in that order), sharing the graph cache.
     *
     * @throws BadInputException if a name is not a target of this set
     */
    public MoleculeDataset selectTargets(List<String> names) {
        int[] cols = new int[names.size()];
        for (int k = 0; k < cols.length; k++) {
            cols[k] = targetNames.indexOf(names.get(k));
            if (cols[k] < 0) {
                throw new BadInputException(name + ": no target column '" + names.get(k) + "'; targets are " + targetNames);
            }
        }
        double[][] t = new double[size()][cols.length];
        for (int i = 0; i < size(); i++) {
            for (int k = 0; k < cols.length; k++) {
                t[i][k] = targets[i][cols[k]];
            }
        }
        return new MoleculeDataset(name, sourceFile, sourceSha256, smilesColumn, smiles, canonical, rowIndices, lines, t,
                names, store, storeIndex, dataRows);
    }

    /**
     * The featurized graph of molecule i, computed on first use and kept in memory.
     *
     * @throws BadInputException if the molecule cannot be featurized (names file and line)
     */
    public MolGraph graph(int i) {
        MolGraph g = store.get(storeIndex[i]);
        if (g == null) {
            try {
                g = Chem.featurize(smiles.get(i));
            } catch (InvalidSmilesException e) {
                throw new BadInputException(where(i) + ": cannot featurize SMILES '" + Chem.abbreviate(smiles.get(i)) + "': " + e.getMessage(), e);
            }
            store.set(storeIndex[i], g);
        }
        return g;
    }

    /** @return the graphs of all molecules, featurizing the missing ones on this thread */
    public List<MolGraph> graphs() {
        List<MolGraph> r = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            r.add(graph(i));
        }
        return r;
    }

    /** @return the graphs of the molecules at {@code positions}, in that order */
    public List<MolGraph> graphs(int[] positions) {
        List<MolGraph> r = new ArrayList<>(positions.length);
        for (int i : positions) {
            r.add(graph(i));
        }
        return r;
    }

    /** @return those of {@code positions} whose molecule has a value of target t (not NaN), in their order */
    public int[] labelled(int[] positions, int t) {
        return java.util.Arrays.stream(positions).filter(i -> !Double.isNaN(target(i, t))).toArray();
    }

    /** @return the values of target t of the molecules at {@code positions}, in that order */
    public double[] targets(int[] positions, int t) {
        double[] v = new double[positions.length];
        for (int k = 0; k < positions.length; k++) {
            v[k] = target(positions[k], t);
        }
        return v;
    }

    /** @return true when molecule i's graph is already in memory */
    public boolean hasGraph(int i) {
        return store.get(storeIndex[i]) != null;
    }

    /** The shared in-memory graph store of the root data set (package-private, for {@link FeatureCache}). */
    GraphStore store() {
        return store;
    }

    /** @return indices of this set's molecules in the shared graph store */
    int[] storeIndex() {
        return storeIndex;
    }
}
