package gear.spark;

import gear.data.BadInputException;
import gear.data.InvalidPolicy;
import gear.run.PredictChunk;
import gear.run.PredictRun;
import gear.run.Predictor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code gear predict --engine spark}: the input CSV is read by Spark as text, cut into partitions, and each partition
 * is featurized, predicted and written by one task as {@code OUT_DIR/part-NNNNN.csv} (header, then the partition's
 * rows in input order, columns as in {@link PredictRun}: smiles, targets, reason). The model is loaded once per
 * executor JVM ({@link ExecutorState}). Parts are written under {@code OUT_DIR/_temporary} and moved into place
 * with a {@code _SUCCESS} marker when every task has finished, so a failed job leaves no part files; a retried task
 * rewrites its own part.
 *
 * <p>Input and output paths must be readable and writable at the same path on every node (a shared filesystem, or
 * any URI Hadoop reads for the input). One CSV record per line: quoted fields with line breaks are not supported
 * here (they are in the local engine).
 */
public final class SparkPredict {
    private SparkPredict() {}

    /**
     * A prediction job.
     *
     * @param input the CSV
     * @param model the model file
     * @param task {@code source|target} for a transfer model, else null
     * @param smilesColumn the SMILES column (null: the first)
     * @param policy bad rows: skip (empty prediction, reason) or fail (the job writes nothing and names the first bad row)
     * @param outDir the output directory
     * @param master the Spark master URL
     * @param partitions minimum number of partitions (0: Spark's default)
     */
    public record Job(Path input, Path model, String task, String smilesColumn, InvalidPolicy policy, Path outDir,
            String master, int partitions) {}

    /**
     * What the job did.
     *
     * @param rows data rows
     * @param predicted rows with a prediction
     * @param bad rows without
     * @param parts part files written
     * @param executorPids the process ids of the JVMs that ran the tasks
     */
    public record Outcome(long rows, long predicted, long bad, int parts, Set<Long> executorPids) {}

    /** Runs the job with its own Spark context. */
    public static Outcome run(Job job) throws IOException {
        Setup s = prepare(job);
        try (JavaSparkContext sc = SparkContexts.open(job.master(), "gear predict")) {
            return run(sc, job, s);
        }
    }

    /** Checks the input, the model and the output directory on the driver, before any Spark work. */
    static Setup prepare(Job job) throws IOException {
        Path in = job.input().toAbsolutePath();
        String header;
        try (BufferedReader r = Files.newBufferedReader(in, StandardCharsets.UTF_8)) {
            header = r.readLine();
        } catch (NoSuchFileException e) {
            throw new BadInputException(job.input() + ": no such file");
        }
        if (header == null || header.isBlank()) {
            throw new BadInputException(job.input() + ": line 1: no header row (expected e.g. 'smiles')");
        }
        List<String> cols = parseLine(header);
        String col = job.smilesColumn() != null ? job.smilesColumn() : cols.get(0);
        int idx = cols.indexOf(col);
        if (idx < 0) {
            throw new BadInputException(job.input() + ": line 1 (header): no column '" + col + "'; columns are " + cols);
        }
        Path out = job.outDir().toAbsolutePath();
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new BadInputException(job.outDir() + ": exists and is not a directory (--engine spark writes a directory of "
                    + "part files)");
        }
        if (Files.isDirectory(out)) {
            try (Stream<Path> l = Files.list(out)) {
                if (l.anyMatch(p -> p.getFileName().toString().startsWith("part-") || p.getFileName().toString().equals("_SUCCESS"))) {
                    throw new BadInputException(job.outDir() + ": holds part files of an earlier prediction; remove them or "
                            + "choose another directory");
                }
            }
        }
        ExecutorState.initTorch();
        Predictor p = Predictor.load(job.model().toAbsolutePath(), job.task()); // a bad model fails here, with its name
        return new Setup(in, out, idx, PredictChunk.header(p.targetNames()));
    }

    /** What the driver found out before the job. */
    record Setup(Path input, Path out, int column, String header) {}

    /** Runs the job on a given context (tests share one). */
    static Outcome run(JavaSparkContext sc, Job job, Setup s) throws IOException {
        Path tmp = s.out().resolve("_temporary");
        Files.createDirectories(tmp);
        PartitionTask task = new PartitionTask(s.input().toString(), tmp.toString(), job.model().toAbsolutePath().toString(),
                job.task(), s.column(), job.policy() == InvalidPolicy.FAIL, s.header());
        int minPartitions = job.partitions() > 0 ? job.partitions() : sc.defaultMinPartitions();
        List<PartitionTask.Stats> stats;
        try {
            stats = sc.textFile(s.input().toUri().toString(), minPartitions).zipWithIndex()
                    .mapPartitionsWithIndex(task, false).collect();
        } catch (RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
        stats = new ArrayList<>(stats);
        stats.sort(Comparator.comparingInt(PartitionTask.Stats::partition));
        long rows = 0;
        long bad = 0;
        Set<Long> pids = new TreeSet<>();
        for (PartitionTask.Stats st : stats) {
            if (st.firstBad() != null && job.policy() == InvalidPolicy.FAIL) {
                deleteTree(tmp);
                throw new BadInputException(job.input() + ": " + st.firstBad() + " (use --invalid skip to write bad rows with "
                        + "empty predictions and their reason)");
            }
            rows += st.rows();
            bad += st.bad();
            pids.add(st.pid());
        }
        if (rows == 0) {
            deleteTree(tmp);
            throw new BadInputException(job.input() + ": no data rows");
        }
        for (PartitionTask.Stats st : stats) {
            String name = PartitionTask.partName(st.partition());
            Files.move(tmp.resolve(name), s.out().resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        deleteTree(tmp);
        Files.writeString(s.out().resolve("_SUCCESS"), "");
        return new Outcome(rows, rows - bad, bad, stats.size(), pids);
    }

    /** @return the cells of one CSV line (RFC 4180; a line without quotes is split at its commas) */
    static List<String> parseLine(String line) {
        if (line.indexOf('"') < 0) {
            List<String> out = new ArrayList<>();
            int from = 0;
            for (int i = line.indexOf(','); i >= 0; i = line.indexOf(',', from)) {
                out.add(line.substring(from, i));
                from = i + 1;
            }
            out.add(line.substring(from));
            return out;
        }
        try {
            List<CSVRecord> recs = CSVFormat.RFC4180.parse(new StringReader(line)).getRecords();
            return recs.isEmpty() ? List.of("") : recs.get(0).toList();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("malformed CSV line: " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> w = Files.walk(dir)) {
            for (Path p : w.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
