package gear.train;

import gear.chem.MolGraph;
import gear.nn.BatchGraph;
import gear.nn.BatchParts;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Builds batches (the arrays of {@link BatchGraph#arrays}, then their tensors, as {@link BatchParts}) on one background
 * thread while the training thread runs the previous batches. At most {@code lookahead} batches are
 * built ahead (bounded memory); batches come out in the order asked for, so training stays
 * deterministic. The tensors are made outside any {@link org.bytedeco.javacpp.PointerScope}: the
 * consumer attaches each batch to its step's scope ({@link BatchGraph#attach}).
 */
final class BatchPipeline implements AutoCloseable {
    private final ExecutorService exec;
    private final int lookahead;

    BatchPipeline(int lookahead) {
        this.lookahead = Math.max(1, lookahead);
        this.exec = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "gear-batch-builder");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @return the batches, in order, built in the background by {@code build} from their molecules (e.g. the whole
     *     batch on the device of the model's weights; a data-parallel step builds its batches on its last lane instead,
     *     {@code DmpnnObjective})
     */
    Iterator<BatchParts> stream(List<MolGraph> graphs, List<int[]> batches,
            java.util.function.Function<List<MolGraph>, BatchParts> build) {
        return new Iterator<>() {
            private final ArrayDeque<Future<BatchParts>> pending = new ArrayDeque<>();
            private int submitted;
            private int taken;

            private void fill() {
                while (pending.size() < lookahead && submitted < batches.size()) {
                    int[] idx = batches.get(submitted++);
                    pending.add(exec.submit(() -> {
                        List<MolGraph> mols = new ArrayList<>(idx.length);
                        for (int i : idx) {
                            mols.add(graphs.get(i));
                        }
                        return build.apply(mols);
                    }));
                }
            }

            @Override
            public boolean hasNext() {
                return taken < batches.size();
            }

            @Override
            public BatchParts next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                fill();
                Future<BatchParts> f = pending.poll();
                taken++;
                fill();
                return await(f);
            }
        };
    }

    /**
     * Waits for a batch being built elsewhere (this pipeline's thread or a lane): its parts, or the build's own
     * runtime exception.
     */
    static BatchParts await(Future<BatchParts> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building a batch", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("building a batch failed: " + c, c);
        }
    }

    @Override
    public void close() {
        exec.shutdownNow();
    }
}
