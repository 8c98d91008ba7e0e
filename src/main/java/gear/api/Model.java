package gear.api;

import gear.chem.Chem;
import gear.chem.InvalidSmilesException;
import gear.chem.MolGraph;
import gear.data.BadInputException;
import gear.run.Embedder;
import gear.run.Predictor;
import gear.transfer.ModelFiles;
import gear.transfer.Task;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.bytedeco.pytorch.Tensor;

/**
 * A loaded gear model: predictions and embeddings for SMILES. Holds native tensors: close it (try-with-resources) to
 * release them; a closed model refuses further use. Not thread-safe: one instance per thread.
 *
 * <p>A SMILES that cannot be parsed stops the call with a {@link BadInputException} naming its position and the problem.
 */
public final class Model implements AutoCloseable {
    /** Molecules featurized and predicted together by the stream methods. */
    static final int CHUNK = 1024;

    private final ModelFiles.Members all;
    private final ModelFiles.Loaded loaded;
    private final int member;
    private final Predictor predictor;
    private final boolean hasStd;
    private Embedder embedder;
    private boolean closed;

    /**
     * Prediction with uncertainty, original units.
     *
     * @param mean one row per SMILES, one column per {@link #targetNames()} entry
     * @param std the predicted standard deviation, shaped as {@code mean}
     */
    public record Prediction(double[][] mean, double[][] std) {}

    Model(ModelFiles.Members all, String task, int member, java.nio.file.Path file) {
        this.all = all;
        this.loaded = all.member(file, member).model();
        this.member = member;
        if (all.dmpnn() != null) {
            if (task != null) {
                throw new IllegalArgumentException("task " + task + ": a D-MPNN model has no tasks (transfer models only)");
            }
            // an ensemble or mve model: per target the mean and the z-scaled std (the gear predict columns)
            predictor = Predictor.of(all.dmpnn());
            hasStd = all.dmpnn().hasUncertainty();
        } else {
            gear.transfer.TransferEnsemble e = all.transfer();
            Task which = Task.parse(task == null ? "target" : task);
            if (!e.first().hasTask(which)) {
                throw new IllegalArgumentException("task " + which.cliName() + ": this " + e.first().method().name()
                        + " model has no " + which.cliName() + " network");
            }
            hasStd = e.size() > 1;
            predictor = hasStd ? Predictor.of(e, which) : Predictor.of(e.first(), which);
        }
    }

    /** @return the underlying model (a D-MPNN or a transfer model; of an ensemble file, the member chosen at load) */
    public ModelFiles.Loaded loaded() {
        open();
        return loaded;
    }

    /** @return the number of models in the file (ensemble size; 1 for a plain model) */
    public int members() {
        return all.models().size();
    }

    /** @return the member that {@link #embed} and {@link #loaded()} use (0 unless chosen at load) */
    public int member() {
        return member;
    }

    /**
     * @return whether {@link #predictWithStd} is available: an ensemble (more than one member) or a mean-variance
     *     ({@code mve}) D-MPNN
     */
    public boolean hasStd() {
        return hasStd;
    }

    /** @return the prediction columns: the D-MPNN's targets, or the chosen task's property of a transfer model */
    public List<String> targetNames() {
        List<String> n = predictor.targetNames();
        return hasStd ? everyOther(n, 0) : n;
    }

    /** @return the embedding columns ({@link Embedder}: readout h, and per task z and φ(z) for transfer models) */
    public List<String> embeddingNames() {
        return embedder().targetNames();
    }

    /**
     * @return predictions in original units: one row per SMILES, one column per {@link #targetNames()} entry (of an
     *     ensemble, the members' mean)
     */
    public double[][] predict(List<String> smiles) {
        open();
        return means(predictor.predict(featurize(smiles, 0)));
    }

    /**
     * The mean and standard deviation of an ensemble or mean-variance model, as {@code gear predict} writes them
     * ({@code <target>} and {@code <target>_std}: the z-scaled std of the ensemble's spread, of the mean-variance head,
     * or their total; for a transfer model's source task, unscaled).
     *
     * @throws IllegalStateException when the model has no uncertainty ({@link #hasStd()} false)
     */
    public Prediction predictWithStd(List<String> smiles) {
        open();
        if (!hasStd) {
            throw new IllegalStateException("this model predicts no standard deviation: it is one regression model "
                    + "(train with --ensemble-size N > 1 or --task-type mve)");
        }
        double[][] p = predictor.predict(featurize(smiles, 0));
        double[][] mean = new double[p.length][];
        double[][] std = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            mean[i] = everyOther(p[i], 0);
            std[i] = everyOther(p[i], 1);
        }
        return new Prediction(mean, std);
    }

    /** @return predictions for a stream of SMILES, lazily, in chunks of {@value #CHUNK} (memory does not grow with it) */
    public Stream<double[]> predict(Stream<String> smiles) {
        return chunked(smiles, p -> means(predictor.predict(p)));
    }

    private double[][] means(double[][] p) {
        if (!hasStd) {
            return p;
        }
        double[][] m = new double[p.length][];
        for (int i = 0; i < p.length; i++) {
            m[i] = everyOther(p[i], 0);
        }
        return m;
    }

    private static double[] everyOther(double[] row, int from) {
        double[] r = new double[row.length / 2];
        for (int t = 0; t < r.length; t++) {
            r[t] = row[2 * t + from];
        }
        return r;
    }

    private static List<String> everyOther(List<String> names, int from) {
        List<String> r = new ArrayList<>();
        for (int t = from; t < names.size(); t += 2) {
            r.add(names.get(t));
        }
        return r;
    }

    /** @return embeddings (of an ensemble file, of the member chosen at load): one row per SMILES, one column per {@link #embeddingNames()} entry */
    public double[][] embed(List<String> smiles) {
        open();
        return embedder().predict(featurize(smiles, 0));
    }

    /** @return embeddings for a stream of SMILES, lazily, in chunks of {@value #CHUNK} */
    public Stream<double[]> embed(Stream<String> smiles) {
        return chunked(smiles, p -> embedder().predict(p));
    }

    /** Releases the model's native weight tensors. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ModelFiles.Loaded m : all.models()) {
            gear.nn.Params p = m instanceof ModelFiles.Single s ? s.model().network().params()
                    : ((ModelFiles.Transfer) m).model().params();
            for (Tensor t : p.asMap().values()) {
                t.close();
            }
        }
    }

    private Embedder embedder() {
        open();
        if (embedder == null) {
            embedder = new Embedder(loaded);
        }
        return embedder;
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("this model was closed");
        }
    }

    private Stream<double[]> chunked(Stream<String> smiles, java.util.function.Function<List<MolGraph>, double[][]> f) {
        open();
        Iterator<String> in = smiles.iterator();
        Iterator<double[]> out = new Iterator<>() {
            private double[][] rows = new double[0][];
            private int next;
            private long seen;

            @Override
            public boolean hasNext() {
                while (next == rows.length && in.hasNext()) {
                    List<String> part = new ArrayList<>(CHUNK);
                    while (part.size() < CHUNK && in.hasNext()) {
                        part.add(in.next());
                    }
                    open();
                    rows = f.apply(featurize(part, seen));
                    seen += part.size();
                    next = 0;
                }
                return next < rows.length;
            }

            @Override
            public double[] next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return rows[next++];
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(out, Spliterator.ORDERED), false).onClose(smiles::close);
    }

    private static List<MolGraph> featurize(List<String> smiles, long offset) {
        List<MolGraph> g = new ArrayList<>(smiles.size());
        for (int i = 0; i < smiles.size(); i++) {
            String s = smiles.get(i);
            try {
                if (s == null || s.isBlank()) {
                    throw new InvalidSmilesException("empty SMILES");
                }
                g.add(Chem.featurize(s.trim()));
            } catch (InvalidSmilesException | RuntimeException e) {
                throw new BadInputException("SMILES #" + (offset + i) + " '" + s + "': " + e.getMessage(), e);
            }
        }
        return g;
    }
}
