package gear.cli;

import gear.data.BadRow;
import gear.data.CsvLoader;
import gear.data.DataDirs;
import gear.data.InvalidPolicy;
import gear.data.LoadReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gear datasets check}: validate a CSV and report every bad row. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate a CSV and report every bad row (file, line, reason). Exit 0 if clean, 2 otherwise.")
final class DatasetsCheckCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CSV", description = "A CSV file, or a data set name in the data directory.")
    String csv;

    @Option(names = {"-s", "--smiles-column"}, paramLabel = "COL", description = "SMILES column (default: the first column).")
    String smilesColumn;

    @Option(names = {"-t", "--target-column", "--target-columns"}, arity = "1..*", paramLabel = "COL",
            description = "Target column(s) (default: every other numeric column).")
    List<String> targets;

    @Option(names = "--featurize", description = "Also featurize every molecule (reports molecules the featurizer rejects).")
    boolean featurize;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where named data sets are looked up (default: $GEAR_DATA, then ~/.cache/gear/datasets).")
    Path dataDir;

    @picocli.CommandLine.Mixin
    DataOptions data;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Path file = DataDirs.dataset(csv, DataDirs.resolve(dataDir));
        CsvLoader.Result r = CsvLoader.of(file).smilesColumn(smilesColumn).targetColumns(targets)
                .policy(InvalidPolicy.SKIP).duplicates(data.duplicatesOr(gear.data.DuplicatePolicy.KEEP)).featurize(featurize)
                .load();
        LoadReport rep = r.report();
        for (BadRow b : rep.badRows()) {
            out.println(b);
        }
        for (String n : rep.notes()) {
            out.println("note: " + n);
        }
        for (String w : rep.warnings()) {
            out.println("warning: " + w);
        }
        out.println(rep.summary() + "; targets: " + String.join(", ", r.dataset().targetNames()) + "; SHA-256 "
                + r.dataset().sourceSha256());
        out.flush();
        return rep.clean() ? 0 : Main.EXIT_BAD_INPUT;
    }
}
