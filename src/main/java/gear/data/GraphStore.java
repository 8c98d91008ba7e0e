package gear.data;

import gear.chem.MolGraph;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The featurized graphs of one loaded data set, shared by all its subsets. Thread-safe.
 */
final class GraphStore {
    final List<String> smiles;
    final String sourceSha256;
    final String smilesColumn;
    private final AtomicReferenceArray<MolGraph> graphs;
    private final AtomicReferenceArray<String> scaffolds;

    GraphStore(List<String> smiles, String sourceSha256, String smilesColumn) {
        this.smiles = smiles;
        this.sourceSha256 = sourceSha256;
        this.smilesColumn = smilesColumn;
        this.graphs = new AtomicReferenceArray<>(smiles.size());
        this.scaffolds = new AtomicReferenceArray<>(smiles.size());
    }

    String scaffold(int i) {
        return scaffolds.get(i);
    }

    void setScaffold(int i, String s) {
        scaffolds.set(i, s);
    }

    int size() {
        return graphs.length();
    }

    MolGraph get(int i) {
        return graphs.get(i);
    }

    void set(int i, MolGraph g) {
        graphs.compareAndSet(i, null, g);
    }

    boolean complete() {
        for (int i = 0; i < graphs.length(); i++) {
            if (graphs.get(i) == null) {
                return false;
            }
        }
        return true;
    }
}
