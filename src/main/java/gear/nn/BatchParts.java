package gear.nn;

import gear.chem.MolGraph;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * A batch of molecules cut into K consecutive parts for the K {@link Lanes} of a training step: part k
 * holds molecules {@code molOffset(k) .. molOffset(k+1)−1} of the batch, so that its atoms and directed
 * edges are rows {@code atomOffset(k) ..} and {@code edgeOffset(k) ..} of the whole batch's
 * {@link BatchGraph} (which lays molecules out one after another). The cut depends only on the molecules
 * (each part gets about 1/K of the batch's atoms + edges, the D-MPNN's work), never on timing.
 *
 * <p>A part's {@link BatchGraph} is either given (built ahead on a batch-building thread) or made on
 * first request, on the thread that asks (a lane: then it belongs to that lane's scope). The whole
 * batch as one {@link BatchGraph} is made on first request too ({@link #whole()}), for the passes that
 * do not run on lanes.
 */
public final class BatchParts {
    private final List<MolGraph> mols;
    private final ScalarType type;
    private final int[] molOff;
    private final int[] atomOff;
    private final int[] edgeOff;
    private final BatchGraph[] parts;
    private BatchGraph whole;

    private BatchParts(List<MolGraph> mols, int k, ScalarType type, BatchGraph whole) {
        this.mols = mols;
        this.type = type;
        this.whole = whole;
        int n = mols.size();
        k = Math.max(1, Math.min(k, n));
        molOff = new int[k + 1];
        atomOff = new int[k + 1];
        edgeOff = new int[k + 1];
        long total = 0;
        for (MolGraph g : mols) {
            total += cost(g);
        }
        long done = 0;
        int part = 1;
        int atoms = 0;
        int edges = 0;
        for (int i = 0; i < n; i++) {
            // close part p before molecule i once the parts so far hold p/K of the cost (each part non-empty)
            while (part < k && (done * k >= total * part || n - i <= k - part) && i > molOff[part - 1]) {
                molOff[part] = i;
                atomOff[part] = atoms;
                edgeOff[part] = edges;
                part++;
            }
            done += cost(mols.get(i));
            atoms += mols.get(i).nAtoms();
            edges += mols.get(i).nEdges();
        }
        molOff[k] = n;
        atomOff[k] = atoms;
        edgeOff[k] = edges;
        parts = new BatchGraph[k];
    }

    private static long cost(MolGraph g) {
        return 1L + g.nAtoms() + 2L * g.nEdges();
    }

    /** The molecules cut into (at most) {@code k} parts, their graphs made on request. */
    public static BatchParts of(List<MolGraph> mols, int k, ScalarType type) {
        return new BatchParts(List.copyOf(mols), k, type, null);
    }

    /** One part: the whole batch, already made. */
    public static BatchParts whole(BatchGraph b, List<MolGraph> mols) {
        return new BatchParts(List.copyOf(mols), 1, null, b);
    }

    /**
     * The molecules cut into (at most) {@code k} parts with every part's tensors made now, outside any scope
     * (on a batch-building thread; the consumer attaches them with {@link #attach}).
     */
    public static BatchParts built(List<MolGraph> mols, int k, ScalarType type) {
        BatchParts p = new BatchParts(List.copyOf(mols), k, type, null);
        for (int i = 0; i < p.size(); i++) {
            p.parts[i] = BatchGraph.of(BatchGraph.arrays(p.mols.subList(p.molOff[i], p.molOff[i + 1])), type);
        }
        if (p.size() == 1) {
            p.whole = p.parts[0];
        }
        return p;
    }

    /** @return the number of parts */
    public int size() {
        return parts.length;
    }

    /** @return molecules in the batch */
    public int nMols() {
        return mols.size();
    }

    /** @return the first molecule of part k (k = size() gives the molecule count) */
    public int molOffset(int k) {
        return molOff[k];
    }

    /** @return the first atom row of part k in the whole batch (k = size() gives the atom count) */
    public int atomOffset(int k) {
        return atomOff[k];
    }

    /** @return the first directed-edge row of part k in the whole batch (k = size() gives the edge count) */
    public int edgeOffset(int k) {
        return edgeOff[k];
    }

    /** @return part k's graph (made now on the calling thread if it was not made yet) */
    public BatchGraph part(int k) {
        if (parts.length == 1) {
            return whole();
        }
        if (parts[k] == null) {
            parts[k] = BatchGraph.of(mols.subList(molOff[k], molOff[k + 1]), type);
        }
        return parts[k];
    }

    /** @return the whole batch as one graph (made now on the calling thread if it was not made yet) */
    public BatchGraph whole() {
        if (whole == null) {
            whole = BatchGraph.of(mols, type);
        }
        return whole;
    }

    /** @return the molecules */
    public List<MolGraph> molecules() {
        return mols;
    }

    /** Attaches the parts made ahead (outside any scope) to {@code scope} ({@link BatchGraph#attach}). */
    public BatchParts attach(PointerScope scope) {
        for (BatchGraph b : parts) {
            if (b != null) {
                b.attach(scope);
            }
        }
        if (whole != null && (parts.length != 1 || parts[0] != whole)) {
            whole.attach(scope);
        }
        return this;
    }
}
