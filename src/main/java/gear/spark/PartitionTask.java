package gear.spark;

import gear.run.PredictChunk;
import gear.run.Predictor;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Serializable;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

/**
 * The work of one partition of {@link SparkPredict}: its lines (with their 0-based index in the file), in chunks of
 * {@value #CHUNK} rows, featurized, predicted with the executor's model and written to its part file, written under a
 * per-attempt name and renamed at the end.
 */
final class PartitionTask implements Function2<Integer, Iterator<Tuple2<String, Long>>, Iterator<PartitionTask.Stats>> {
    private static final long serialVersionUID = 1L;
    /** Rows per chunk. */
    static final int CHUNK = 1024;

    private final String input;
    private final String tmpDir;
    private final String model;
    private final String task;
    private final int column;
    private final boolean failFast;
    private final String header;

    PartitionTask(String input, String tmpDir, String model, String task, int column, boolean failFast, String header) {
        this.input = input;
        this.tmpDir = tmpDir;
        this.model = model;
        this.task = task;
        this.column = column;
        this.failFast = failFast;
        this.header = header;
    }

    /**
     * What a partition did.
     *
     * @param partition its index
     * @param rows data rows
     * @param bad rows without prediction
     * @param firstBad the first bad row ("line N: reason"), or null
     * @param pid the process id of the JVM that ran it
     */
    record Stats(int partition, long rows, long bad, String firstBad, long pid) implements Serializable {}

    /** @return the part file name of a partition */
    static String partName(int partition) {
        return String.format(Locale.ROOT, "part-%05d.csv", partition);
    }

    @Override
    public Iterator<Stats> call(Integer partition, Iterator<Tuple2<String, Long>> lines) throws IOException {
        Predictor p = ExecutorState.predictor(model, task);
        TaskContext tc = TaskContext.get();
        int attempt = tc == null ? 0 : tc.attemptNumber();
        Path dir = Path.of(tmpDir);
        Path part = dir.resolve(partName(partition));
        Path tmp = dir.resolve("." + partName(partition) + ".attempt" + attempt);
        long rows = 0;
        long bad = 0;
        String firstBad = null;
        try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
                Writer w = new BufferedWriter(new OutputStreamWriter(fos, StandardCharsets.UTF_8), 1 << 16)) {
            w.write(header);
            long[] ln = new long[CHUNK];
            String[] smiles = new String[CHUNK];
            int n = 0;
            while (lines.hasNext() && firstBad == null) {
                Tuple2<String, Long> t = lines.next();
                String line = t._1();
                if (t._2() == 0 || line.isBlank()) {
                    continue; // the header; empty lines are skipped as by the local engine
                }
                String s;
                try {
                    List<String> cells = SparkPredict.parseLine(line);
                    s = column < cells.size() ? cells.get(column).trim() : "";
                } catch (IllegalArgumentException e) {
                    s = "";
                }
                ln[n] = t._2() + 1;
                smiles[n++] = s;
                if (n == CHUNK) {
                    PredictChunk c = PredictChunk.featurize(ln.clone(), smiles.clone());
                    firstBad = write(c, p, w);
                    rows += c.size();
                    bad += c.badCount();
                    n = 0;
                }
            }
            if (n > 0 && firstBad == null) {
                PredictChunk c = PredictChunk.featurize(Arrays.copyOf(ln, n), Arrays.copyOf(smiles, n));
                firstBad = write(c, p, w);
                rows += c.size();
                bad += c.badCount();
            }
            w.flush();
            fos.getFD().sync();
        }
        Files.move(tmp, part, StandardCopyOption.REPLACE_EXISTING);
        return List.of(new Stats(partition, rows, bad, firstBad, ProcessHandle.current().pid())).iterator();
    }

    /** Writes a chunk; with fail-fast, returns its first bad row instead of writing. */
    private String write(PredictChunk c, Predictor p, Writer w) throws IOException {
        if (failFast && c.badCount() > 0) {
            int i = c.firstBad();
            return "line " + c.line(i) + ": " + c.problem(i);
        }
        synchronized (p) { // one forward pass at a time per model and executor; featurization runs in parallel
            c.predictAndWrite(p, w);
        }
        return null;
    }
}
