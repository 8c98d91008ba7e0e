package gear.experiment.grid;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The order in which a grid's workers take its cells: grid order, except that a cell which shares a source
 * pretraining that a running cell is computing goes behind the cells that can start at once.
 *
 * <p>Fine-tuning, KD, GSP-KD and the warm-started paired methods of one (pair, split, fold, seed) share one
 * pretraining, computed by the first of them and read by the others from the grid's cache (its lock makes them wait
 * meanwhile). In plain grid order the second worker then takes KD right after fine-tuning and idles for the whole
 * pretraining; here it takes GATE, GEAR or the next unit's STL instead, and KD when the pretraining is there. Only the
 * order changes: every cell is deterministic and independent of the others, so its result is the same (the cache entry
 * is the same whichever cell computed it). When every waiting cell is held back, the first is taken anyway, as before
 * (no worker idles for the sake of order).
 *
 * <p>The group is the cell's unit (pair, split, fold, seed). The cache key tells entries apart by the pretraining
 * options and the purged source instead: with {@code source_purge validation} (the default) that source differs from
 * fold to fold, with {@code source_purge test} the folds of a (pair, split, seed) share one entry, and a task set's
 * warm-started cells share theirs with its pairs' cells in another grid. A group that does not match the key only
 * moves a cell in the order (a cell may still wait on the cache's lock, or wait behind a cell that needs another
 * entry). The queue orders the workers of one driver; cells run by another driver or launcher are not known to it.
 */
final class CellQueue {
    private final List<CellKey> waiting;
    private final Predicate<CellKey> shares;
    private final Set<String> computing = new HashSet<>();
    private final Set<String> computed = new HashSet<>();

    /**
     * @param todo the cells, in grid order
     * @param sharesPretraining whether a cell computes or reads its unit's shared pretraining
     */
    CellQueue(List<CellKey> todo, Predicate<CellKey> sharesPretraining) {
        this.waiting = new ArrayList<>(todo);
        this.shares = sharesPretraining;
    }

    /** @return the next cell to run (null: none left) */
    synchronized CellKey next() {
        if (waiting.isEmpty()) {
            return null;
        }
        int pick = 0;
        for (int i = 0; i < waiting.size(); i++) {
            CellKey k = waiting.get(i);
            if (!shares.test(k) || !computing.contains(group(k))) {
                pick = i;
                break;
            }
        }
        CellKey k = waiting.remove(pick);
        if (shares.test(k) && !computed.contains(group(k))) {
            computing.add(group(k));
        }
        return k;
    }

    /** Records the end of a cell taken by {@link #next} (finished or failed: either way its pretraining is settled). */
    synchronized void finished(CellKey k) {
        if (shares.test(k)) {
            computing.remove(group(k));
            computed.add(group(k));
        }
    }

    /** @return the cell's unit: pair, split, fold and seed */
    static String group(CellKey k) {
        return k.pair() + "\u0000" + k.splitType().cliName() + "\u0000" + k.fold() + "\u0000" + k.seed();
    }
}
