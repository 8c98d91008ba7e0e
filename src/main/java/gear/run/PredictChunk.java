package gear.run;

import gear.chem.Chem;
import gear.chem.InvalidSmilesException;
import gear.chem.MolGraph;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * A chunk of input rows on its way to the output: featurized (on any thread, {@link #featurize}),
 * then predicted and written as CSV lines ({@link #predictAndWrite}). The unit of work of streaming
 * and of distributed prediction; its memory is that of its own rows only.
 *
 * <p>Output line: the SMILES as read, one cell per prediction column, and the reason a row has no
 * prediction (empty for predicted rows). A bad row (empty or unparsable SMILES, a molecule the
 * featurizer cannot place, or an {@link Error} such as a stack overflow on a pathological molecule)
 * gets empty prediction cells and its reason.
 */
public final class PredictChunk {
    /** Name of the last output column. */
    public static final String REASON_COLUMN = "reason";

    private final long[] lines;
    private final String[] smiles;
    private final MolGraph[] graphs;
    private final String[] problems;
    private int bad;

    private PredictChunk(long[] lines, String[] smiles) {
        this.lines = lines;
        this.smiles = smiles;
        this.graphs = new MolGraph[smiles.length];
        this.problems = new String[smiles.length];
    }

    /**
     * Featurizes a chunk of rows.
     *
     * @param lines the line number of each row in its file (for messages)
     * @param smiles the SMILES of each row (trimmed; empty = missing)
     */
    public static PredictChunk featurize(long[] lines, String[] smiles) {
        PredictChunk c = new PredictChunk(lines, smiles);
        for (int i = 0; i < smiles.length; i++) {
            String s = smiles[i];
            if (s.isEmpty()) {
                c.problems[i] = "empty SMILES";
            } else {
                try {
                    c.graphs[i] = Chem.featurize(s);
                } catch (InvalidSmilesException | RuntimeException e) {
                    c.problems[i] = "unparsable SMILES '" + s + "': " + e.getMessage();
                } catch (StackOverflowError e) {
                    c.problems[i] = "molecule too large to featurize (stack overflow) '" + abbreviate(s) + "'";
                }
            }
            if (c.problems[i] != null) {
                c.problems[i] = c.problems[i].replaceAll("\\s+", " ").trim(); // one line: a CSV cell, a log line
                c.bad++;
            }
        }
        return c;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** @return the rows of the chunk */
    public int size() {
        return smiles.length;
    }

    /** @return rows of the chunk without a prediction */
    public int badCount() {
        return bad;
    }

    /** @return the index in the chunk of the first bad row, or −1 */
    public int firstBad() {
        for (int i = 0; i < problems.length; i++) {
            if (problems[i] != null) {
                return i;
            }
        }
        return -1;
    }

    /** @return the file line number of row {@code i} */
    public long line(int i) {
        return lines[i];
    }

    /** @return why row {@code i} has no prediction, or null when it has one */
    public String problem(int i) {
        return problems[i];
    }

    /** @return the header line (with its line end) for a model's target names */
    public static String header(List<String> targetNames) {
        StringBuilder sb = new StringBuilder("smiles");
        for (String t : targetNames) {
            sb.append(',').append(Csv.quote(t));
        }
        return sb.append(',').append(REASON_COLUMN).append('\n').toString();
    }

    /**
     * Predicts the good rows and writes every row, in order.
     *
     * @param p the model
     * @param out where the lines go
     */
    public void predictAndWrite(Predictor p, Writer out) throws IOException {
        List<MolGraph> ok = new ArrayList<>(smiles.length - bad);
        for (MolGraph g : graphs) {
            if (g != null) {
                ok.add(g);
            }
        }
        double[][] pred = ok.isEmpty() ? new double[0][] : p.predict(ok);
        int tasks = p.targetNames().size();
        StringBuilder sb = new StringBuilder(smiles.length * 48);
        int k = 0;
        for (int i = 0; i < smiles.length; i++) {
            sb.append(Csv.quote(smiles[i]));
            for (int t = 0; t < tasks; t++) {
                sb.append(',');
                if (problems[i] == null) {
                    double v = pred[k][t];
                    if (!Double.isNaN(v)) {
                        sb.append(v);
                    }
                }
            }
            sb.append(',');
            if (problems[i] == null) {
                k++;
            } else {
                sb.append(Csv.quote(problems[i]));
            }
            sb.append('\n');
        }
        out.write(sb.toString());
        for (int i = 0; i < graphs.length; i++) {
            graphs[i] = null; // done: let the graphs go before the next chunk arrives
        }
    }
}
