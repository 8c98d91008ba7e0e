package gear.cli;

import gear.bench.FeaturizeBenchmark;
import gear.data.BadInputException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gear bench featurize}: parse + featurize throughput (molecules/second) on one thread, one JSON
 * object per timed pass on stdout.
 */
@Command(name = "featurize", mixinStandardHelpOptions = true,
        description = "Parsing + featurization throughput (molecules/second) on one thread.")
final class BenchFeaturizeCommand implements Callable<Integer> {
    static final String DEFAULT_FILE = "nist_tde_boiling_point.csv";

    @Option(names = "--data-dir", description = "directory holding the benchmark data files "
            + "(default: $GEAR_DATA, else ../shared/data)")
    Path dataDir;

    @Option(names = {"-i", "--input"}, description = "CSV with a 'smiles' column (default: " + DEFAULT_FILE + " in the data dir)")
    Path input;

    @Option(names = "--repeats", defaultValue = "3", description = "timed passes (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--warmup", defaultValue = "1", description = "untimed warm-up passes (default: ${DEFAULT-VALUE})")
    int warmup;

    @Override
    public Integer call() throws IOException {
        if (repeats < 1 || warmup < 0) {
            throw new IllegalArgumentException("--repeats must be >= 1 and --warmup >= 0");
        }
        Path file = input != null ? input : resolveDataDir().resolve(DEFAULT_FILE);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": input file not found (give -i FILE, --data-dir DIR or set GEAR_DATA)");
        }
        List<String> smiles = readSmiles(file);
        for (int i = 0; i < warmup; i++) {
            FeaturizeBenchmark.run(smiles, -1 - i);
        }
        for (int i = 0; i < repeats; i++) {
            System.out.println(FeaturizeBenchmark.run(smiles, i + 1).toJson());
        }
        return 0;
    }

    private Path resolveDataDir() {
        if (dataDir != null) {
            return dataDir;
        }
        String env = System.getenv("GEAR_DATA");
        return env != null && !env.isBlank() ? Paths.get(env) : Paths.get("..", "shared", "data");
    }

    static List<String> readSmiles(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file);
                CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            String col = null;
            for (String h : p.getHeaderNames()) {
                if (h.trim().equalsIgnoreCase("smiles")) {
                    col = h;
                }
            }
            if (col == null) {
                throw new BadInputException(file + ": row 1 (header): no 'smiles' column in " + p.getHeaderNames());
            }
            for (CSVRecord rec : p) {
                out.add(rec.get(col));
            }
        }
        if (out.isEmpty()) {
            throw new BadInputException(file + ": no data rows");
        }
        return out;
    }
}
