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

    private final ModelFiles.Loaded loaded;
    private final Predictor predictor;
    private Embedder embedder;
    private boolean closed;

    Model(ModelFiles.Loaded loaded, String task) {
        this.loaded = loaded;
        if (loaded instanceof ModelFiles.Single s) {
            if (task != null) {
                throw new IllegalArgumentException("task " + task + ": a D-MPNN model has no tasks (transfer models only)");
            }
            predictor = Predictor.of(s.model());
        } else {
            gear.transfer.TransferModel t = ((ModelFiles.Transfer) loaded).model();
            Task which = Task.parse(task == null ? "target" : task);
            if (!t.hasTask(which)) {
                throw new IllegalArgumentException("task " + which.cliName() + ": this " + t.method().name()
                        + " model has no " + which.cliName() + " network");
            }
            predictor = Predictor.of(t, which);
        }
    }

    /** @return the underlying model (a D-MPNN or a transfer model) */
    public ModelFiles.Loaded loaded() {
        open();
        return loaded;
    }

    /** @return the prediction columns: the D-MPNN's targets, or the chosen task's property of a transfer model */
    public List<String> targetNames() {
        return predictor.targetNames();
    }

    /** @return the embedding columns ({@link Embedder}: readout h, and per task z and φ(z) for transfer models) */
    public List<String> embeddingNames() {
        return embedder().targetNames();
    }

    /** @return predictions in original units: one row per SMILES, one column per {@link #targetNames()} entry */
    public double[][] predict(List<String> smiles) {
        open();
        return predictor.predict(featurize(smiles, 0));
    }

    /** @return predictions for a stream of SMILES, lazily, in chunks of {@value #CHUNK} (memory does not grow with it) */
    public Stream<double[]> predict(Stream<String> smiles) {
        return chunked(smiles, p -> predictor.predict(p));
    }

    /** @return embeddings: one row per SMILES, one column per {@link #embeddingNames()} entry */
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
        gear.nn.Params p = loaded instanceof ModelFiles.Single s ? s.model().network().params()
                : ((ModelFiles.Transfer) loaded).model().params();
        for (Tensor t : p.asMap().values()) {
            t.close();
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
