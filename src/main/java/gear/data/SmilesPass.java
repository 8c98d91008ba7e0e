package gear.data;

import gear.chem.Chem;
import gear.chem.InvalidSmilesException;
import gear.chem.MolGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.commons.csv.CSVRecord;

/**
 * The SMILES column of a {@link CsvTable} canonicalized row by row (on the common fork-join pool when parallel), read
 * from and written to the on-disk cache of canonical SMILES ({@link CanonicalCache}) when there is one, and optionally
 * featurized in the same pass. Rows with the wrong number of cells are left alone ({@link CsvLoader} reports them).
 *
 * @param canonical each data row's canonical SMILES (null where it has none)
 * @param errors each data row's SMILES error (empty, unparsable or not featurizable; null where none)
 * @param graphs each data row's graph when featurizing (null entries where it failed), else null
 */
record SmilesPass(String[] canonical, String[] errors, MolGraph[] graphs) {
    /**
     * @param smilesIdx the SMILES column
     * @param cacheDir directory of the canonical SMILES cache (null: none)
     * @param parallel canonicalize on the common fork-join pool
     * @param featurize also featurize every molecule
     * @param notes where an unreadable or unwritable cache is noted (the pass then parses the SMILES itself)
     */
    static SmilesPass run(CsvTable table, int smilesIdx, Path cacheDir, boolean parallel, boolean featurize,
            List<String> notes) {
        List<CSVRecord> data = table.data();
        int cells = table.header().size();
        int n = data.size();
        String[] canon = new String[n];
        String[] smilesErr = new String[n];
        Path cacheFile = cacheDir == null ? null : CanonicalCache.file(cacheDir, table.sha(), table.header().get(smilesIdx));
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
        MolGraph[] graphs = featurize ? new MolGraph[n] : null;
        IntStream idx = IntStream.range(0, n);
        (parallel ? idx.parallel() : idx).forEach(i -> {
            CSVRecord r = data.get(i);
            if (r.size() != cells) {
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
        return new SmilesPass(canon, smilesErr, graphs);
    }
}
