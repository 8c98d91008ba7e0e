package gear.cli;

import gear.data.AtomicFiles;
import gear.data.BadInputException;
import gear.data.CsvLoader;
import gear.data.DataDirs;
import gear.data.DuplicatePolicy;
import gear.data.FeatureCache;
import gear.data.InvalidPolicy;
import gear.data.MoleculeDataset;
import gear.data.Overlap;
import gear.experiment.grid.DataRef;
import gear.experiment.grid.PairSpec;
import gear.experiment.grid.PairsFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gear datasets overlap}: how a target's molecules meet a source's ({@link Overlap}): the same molecule (what
 * the transfer's source purge removes) and the near-duplicates it keeps (stereoisomers, other forms of one parent).
 */
@Command(name = "overlap", mixinStandardHelpOptions = true,
        description = {"Count a target's molecules that are in a source: the same molecule (equal canonical SMILES, what "
                + "the transfer's source purge removes) and near-duplicates that it keeps: a stereoisomer, or another "
                + "form of the same parent (the largest fragment without stereo: a salt, hydrate or mixture).",
                "Either SOURCE:COLUMN TARGET:COLUMN (CSV files or data set names) or --pairs FILE (every source of "
                        + "every pair or task set, against its target)."})
final class DatasetsOverlapCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..2", paramLabel = "DATA:COLUMN",
            description = "The source, then the target: a CSV file or data set name, a colon and the column.")
    List<String> files;

    @Option(names = "--pairs", paramLabel = "PAIRS.json", description = "A pairs file (see pairs/public.json) instead.")
    Path pairsFile;

    @Option(names = "--pair-ids", split = ",", paramLabel = "ID", description = "Only these pairs of --pairs (default: all).")
    List<String> pairIds;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where named data sets are looked up (default: $GEAR_DATA, then ~/.cache/gear/datasets).")
    Path dataDir;

    @Option(names = {"-o", "--out"}, paramLabel = "CSV",
            description = "Also write every near-duplicate: pair,target_row,target_smiles,source_smiles,kind (canonical SMILES; "
                    + "target_row: the 0-based data row, as row in a run's test_predictions.csv).")
    Path out;

    /** A source and a target to compare, named for the table. */
    private record Job(String name, DataRef source, DataRef target) {}

    @Override
    public Integer call() throws Exception {
        List<Job> jobs = jobs();
        Path dir = DataDirs.resolve(dataDir);
        Map<String, MoleculeDataset> tables = new HashMap<>();
        PrintWriter w = spec.commandLine().getOut();
        int width = Math.max(16, jobs.stream().mapToInt(j -> j.name().length()).max().orElse(0));
        w.printf(Locale.ROOT, "%-" + width + "s %8s %8s %8s %13s %12s %16s%n", "pair", "target", "source", "same",
                "stereoisomer", "same parent", "near-duplicates");
        StringBuilder csv = new StringBuilder("pair,target_row,target_smiles,source_smiles,kind\n");
        for (Job j : jobs) {
            Overlap.Result r = Overlap.of(table(j.target(), dir, tables), table(j.source(), dir, tables));
            w.printf(Locale.ROOT, "%-" + width + "s %8d %8d %8d %13d %12d %8d (%.2f %%)%n", j.name(), r.targetMolecules(),
                    r.sourceMolecules(), r.same(), r.stereoisomers(), r.sameParent(), r.stereoisomers() + r.sameParent(),
                    100 * r.nearShare());
            w.flush();
            for (Overlap.Twin t : r.twins()) {
                csv.append(j.name()).append(',').append(t.targetRow()).append(',').append(t.target()).append(',').append(t.source()).append(',')
                        .append(t.kind().name().toLowerCase(Locale.ROOT)).append('\n');
            }
        }
        w.println("(molecules: distinct canonical SMILES with a value in the column; each target molecule counted in the "
                + "first class that applies)");
        if (out != null) {
            AtomicFiles.writeString(out, csv.toString());
            w.println("wrote " + out);
        }
        w.flush();
        return 0;
    }

    private List<Job> jobs() {
        if (pairsFile != null) {
            if (files != null && !files.isEmpty()) {
                throw new BadInputException("give either --pairs or SOURCE:COLUMN TARGET:COLUMN, not both");
            }
            List<Job> r = new ArrayList<>();
            for (PairSpec p : PairsFile.read(pairsFile)) {
                if (pairIds != null && !pairIds.contains(p.id())) {
                    continue;
                }
                for (DataRef s : p.sources()) {
                    r.add(new Job(p.isTaskSet() ? p.id() + ":" + s.column() : p.id(), s, p.target()));
                }
            }
            if (pairIds != null) {
                for (String id : pairIds) {
                    if (r.stream().noneMatch(j -> j.name().equals(id) || j.name().startsWith(id + ":"))) {
                        throw new BadInputException("--pair-ids: no pair '" + id + "' in " + pairsFile);
                    }
                }
            }
            return r;
        }
        if (files == null || files.size() != 2) {
            throw new BadInputException("give SOURCE:COLUMN TARGET:COLUMN (two arguments) or --pairs FILE");
        }
        return List.of(new Job("source-target", ref(files.get(0)), ref(files.get(1))));
    }

    private static DataRef ref(String arg) {
        int c = arg.lastIndexOf(':');
        if (c <= 0 || c == arg.length() - 1) {
            throw new BadInputException("'" + arg + "': expected DATA:COLUMN (a CSV file or data set name, a colon, the column)");
        }
        return new DataRef(arg.substring(0, c), arg.substring(c + 1));
    }

    private static MoleculeDataset table(DataRef ref, Path dir, Map<String, MoleculeDataset> tables) {
        return tables.computeIfAbsent(ref.dataset() + "|" + ref.column(), k -> CsvLoader.of(ref.resolve(dir))
                .targetColumns(List.of(ref.column())).policy(InvalidPolicy.SKIP).duplicates(DuplicatePolicy.FIRST)
                .featurize(false).cacheDir(FeatureCache.defaultDir()).load().dataset());
    }
}
