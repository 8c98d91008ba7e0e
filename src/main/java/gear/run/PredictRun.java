package gear.run;

import gear.data.AtomicFiles;
import gear.data.BadInputException;
import gear.data.BadRow;
import gear.data.InvalidPolicy;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Streaming prediction of a CSV (header row; the SMILES column is named or the first column; other
 * columns are ignored). The input is read in chunks of {@link Options#chunkSize} rows, featurized on
 * {@link Options#featurizeThreads} worker threads, predicted in order on the calling thread and written
 * as it goes to a temporary file beside the output, which is synced and moved into place at the end: a
 * failed or killed run leaves no partial output, and an earlier file of that name stays until then.
 * At most {@code 2 × threads + 2} chunks are in memory at once, so memory does not grow with the input.
 *
 * <p>Output: one row per input data row, in input order: {@code smiles}, one column per target (the
 * model's target names), and {@value PredictChunk#REASON_COLUMN} (empty for predicted rows). A bad
 * row (see {@link PredictChunk}) gets empty predictions and its reason ({@link InvalidPolicy#SKIP}, the
 * default), or stops the run naming the file, line and problem ({@link InvalidPolicy#FAIL}).
 */
public final class PredictRun {
    /** Bad rows kept in {@link Result#firstBadRows} for the caller to list. */
    public static final int BAD_ROWS_LISTED = 20;

    private PredictRun() {}

    /** How to run. */
    public static final class Options {
        int chunkSize = 1024;
        int featurizeThreads = 1;
        InvalidPolicy policy = InvalidPolicy.SKIP;
        PredictProgress progress = PredictProgress.none();

        /** @param n rows per chunk (default 1024) */
        public Options chunkSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("--chunk-size must be at least 1, got " + n);
            }
            chunkSize = n;
            return this;
        }

        /** @param n featurization threads (default 1) */
        public Options featurizeThreads(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("--featurize-threads must be at least 1, got " + n);
            }
            featurizeThreads = n;
            return this;
        }

        /** @param p bad rows: skip (empty prediction and reason, the default) or fail */
        public Options policy(InvalidPolicy p) {
            policy = p;
            return this;
        }

        /** @param p where progress goes (default: nowhere) */
        public Options progress(PredictProgress p) {
            progress = p;
            return this;
        }
    }

    /**
     * What was predicted.
     *
     * @param rows data rows read
     * @param predicted rows with predictions
     * @param bad rows left without predictions
     * @param firstBadRows the first {@value #BAD_ROWS_LISTED} of them
     */
    public record Result(long rows, long predicted, long bad, List<BadRow> firstBadRows) {}

    /**
     * Predicts and writes {@code output}.
     *
     * @param model the model
     * @param input the CSV to predict for
     * @param smilesColumn the SMILES column (null: the first column)
     * @param o how to run
     * @param output the CSV to write (must not be the input)
     * @throws BadInputException naming the file, line and problem
     */
    public static Result run(Predictor model, Path input, String smilesColumn, Options o, Path output) throws IOException {
        refuseOutputIsInput(input, output);
        Path dir = output.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BadInputException(output + ": cannot create its directory: " + e.getMessage(), e);
        }
        ExecutorService pool = Executors.newFixedThreadPool(o.featurizeThreads, r -> {
            Thread t = new Thread(r, "gear-featurize");
            t.setDaemon(true);
            return t;
        });
        Result[] result = new Result[1];
        try (Reader r = open(input);
                CSVParser p = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setIgnoreEmptyLines(true)
                        .get().parse(r)) {
            String col = smilesColumn(p.getHeaderNames(), smilesColumn, input);
            // written to a temporary file beside the output, synced and moved into place only when complete
            AtomicFiles.write(output, out -> {
                Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
                w.write(PredictChunk.header(model.targetNames()));
                Counts c = new Counts();
                ArrayDeque<Future<PredictChunk>> inFlight = new ArrayDeque<>();
                int maxInFlight = 2 * o.featurizeThreads + 2;
                Iterator<CSVRecord> it = p.iterator();
                while (hasNext(it, input)) {
                    long[] lines = new long[o.chunkSize];
                    String[] smiles = new String[o.chunkSize];
                    int n = 0;
                    while (n < o.chunkSize && hasNext(it, input)) {
                        CSVRecord rec = it.next();
                        smiles[n] = rec.isSet(col) ? rec.get(col).trim() : "";
                        lines[n++] = rec.getParser().getCurrentLineNumber();
                    }
                    long[] l = n == o.chunkSize ? lines : java.util.Arrays.copyOf(lines, n);
                    String[] s = n == o.chunkSize ? smiles : java.util.Arrays.copyOf(smiles, n);
                    inFlight.add(pool.submit(() -> PredictChunk.featurize(l, s)));
                    if (inFlight.size() >= maxInFlight) {
                        drain(inFlight.poll(), model, input, o, w, c);
                    }
                }
                while (!inFlight.isEmpty()) {
                    drain(inFlight.poll(), model, input, o, w, c);
                }
                if (c.rows == 0) {
                    throw new BadInputException(input + ": no data rows");
                }
                w.flush();
                result[0] = new Result(c.rows, c.rows - c.bad, c.bad, List.copyOf(c.firstBad));
            });
            return result[0];
        } finally {
            pool.shutdownNow();
            o.progress.close();
        }
    }

    /**
     * Refuses an output that is the input itself (same file after resolving links), which would
     * replace the user's data with predictions.
     *
     * @throws BadInputException when they are the same file
     */
    public static void refuseOutputIsInput(Path input, Path output) {
        try {
            if (Files.exists(output) && Files.exists(input) && Files.isSameFile(input, output)) {
                throw new BadInputException(output + ": the output is the input file " + input
                        + " (after resolving links); predictions would replace the data: choose another output");
            }
        } catch (IOException e) {
            throw new BadInputException(output + ": cannot compare with the input " + input + ": " + e.getMessage(), e);
        }
    }

    /** @return the SMILES column: the named one or the first */
    static String smilesColumn(List<String> header, String wanted, Path input) {
        if (header.isEmpty()) {
            throw new BadInputException(input + ": line 1: no header row (expected e.g. 'smiles')");
        }
        String col = wanted != null ? wanted : header.get(0);
        if (!header.contains(col)) {
            throw new BadInputException(input + ": line 1 (header): no column '" + col + "'; columns are " + header);
        }
        return col;
    }

    private static Reader open(Path input) throws IOException {
        try {
            if (Files.isDirectory(input)) {
                throw new BadInputException(input + ": is a directory, not a CSV file");
            }
            return Files.newBufferedReader(input, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException(input + ": no such file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new BadInputException(input + ": cannot read (permission denied)");
        }
    }

    private static boolean hasNext(Iterator<CSVRecord> it, Path input) {
        try {
            return it.hasNext();
        } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            throw new BadInputException(input + ": malformed CSV: " + e.getMessage(), e);
        }
    }

    private static final class Counts {
        long rows;
        long bad;
        final List<BadRow> firstBad = new ArrayList<>();
    }

    private static void drain(Future<PredictChunk> f, Predictor model, Path input, Options o, Writer w, Counts c)
            throws IOException {
        PredictChunk chunk;
        try {
            chunk = f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error er) {
                throw er;
            }
            throw new IOException(t);
        }
        for (int i = 0; i < chunk.size() && chunk.badCount() > 0; i++) {
            String why = chunk.problem(i);
            if (why == null) {
                continue;
            }
            BadRow b = new BadRow(input, chunk.line(i), (int) Math.min(Integer.MAX_VALUE, c.rows + i), why);
            if (o.policy == InvalidPolicy.FAIL) {
                throw new BadInputException(b + " (use --invalid skip to write bad rows with empty predictions and "
                        + "their reason)");
            }
            if (c.firstBad.size() < BAD_ROWS_LISTED) {
                c.firstBad.add(b);
            }
        }
        chunk.predictAndWrite(model, w);
        c.rows += chunk.size();
        c.bad += chunk.badCount();
        o.progress.update(c.rows);
    }
}
