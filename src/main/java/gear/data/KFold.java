package gear.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * k-fold cross-validation on the non-test part of a split: the train and validation molecules of
 * {@code base} are divided into k folds; split i has fold i as validation, the other folds as train,
 * and {@code base}'s test set unchanged.
 *
 * <p>Plain folds: the non-test positions (ascending) are shuffled with {@code java.util.Random(seed)}
 * and cut into k contiguous runs of sizes differing by at most one. Scaffold folds: the scaffold
 * groups (restricted to non-test molecules) are shuffled with the seed, stably sorted by size
 * (largest first) and each put whole into the currently smallest fold (lowest index on ties), so no
 * scaffold group is ever cut.
 */
public final class KFold {
    private KFold() {}

    /**
     * @param base a split whose train ∪ val is divided
     * @param k number of folds (2 ≤ k ≤ number of non-test molecules)
     * @param seed shuffle seed
     * @return k splits
     */
    public static List<Split> folds(Split base, int k, long seed) {
        int[] pool = nonTest(base);
        check(k, pool.length);
        RandomSplit.shuffle(pool, new Random(seed));
        List<int[]> folds = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            folds.add(Arrays.copyOfRange(pool, (int) ((long) f * pool.length / k), (int) ((long) (f + 1) * pool.length / k)));
        }
        return assemble(folds, base.test(), "random");
    }

    /**
     * Random folds that keep the rows of a repeated molecule (same canonical SMILES) in one fold: the
     * molecules, in order of first appearance, are shuffled as {@link #folds(Split, int, long)}
     * shuffles positions, and each fills the current fold with all its rows. Without repeated
     * molecules the folds are exactly those of {@link #folds(Split, int, long)}.
     *
     * @param ds the data set (for canonical SMILES)
     */
    public static List<Split> folds(MoleculeDataset ds, Split base, int k, long seed) {
        int[] pool = nonTest(base);
        check(k, pool.length);
        java.util.Map<String, ScaffoldSplit.IntList> byMolecule = new java.util.LinkedHashMap<>();
        for (int i : pool) {
            byMolecule.computeIfAbsent(ds.canonicalSmiles(i), c -> new ScaffoldSplit.IntList()).add(i);
        }
        if (byMolecule.size() == pool.length) {
            return folds(base, k, seed);
        }
        if (byMolecule.size() < k) {
            throw new IllegalArgumentException("only " + byMolecule.size() + " distinct molecules outside the test set, "
                    + "cannot make " + k + " folds");
        }
        List<int[]> groups = new ArrayList<>();
        byMolecule.values().forEach(g -> groups.add(g.toArray()));
        int[] order = new int[groups.size()];
        for (int g = 0; g < order.length; g++) {
            order[g] = g;
        }
        RandomSplit.shuffle(order, new Random(seed));
        List<ScaffoldSplit.IntList> fl = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            fl.add(new ScaffoldSplit.IntList());
        }
        long n = pool.length;
        long placed = 0;
        int f = 0;
        for (int g : order) {
            while (f < k - 1 && placed >= (f + 1) * n / k) {
                f++;
            }
            fl.get(f).addAll(groups.get(g));
            placed += groups.get(g).length;
        }
        List<int[]> folds = new ArrayList<>();
        for (ScaffoldSplit.IntList l : fl) {
            if (l.size() == 0) {
                throw new IllegalArgumentException("repeated molecules leave fold " + folds.size() + " of " + k + " empty");
            }
            folds.add(l.toArray());
        }
        return assemble(folds, base.test(), "random");
    }

    /**
     * Folds that keep scaffold groups whole.
     *
     * @param ds the data set (for scaffolds)
     */
    public static List<Split> scaffoldFolds(MoleculeDataset ds, Split base, int k, long seed) {
        int[] pool = nonTest(base);
        check(k, pool.length);
        Set<Integer> inPool = new HashSet<>();
        for (int i : pool) {
            inPool.add(i);
        }
        List<int[]> groups = new ArrayList<>();
        for (int[] g : ScaffoldSplit.groups(ds)) {
            int[] kept = Arrays.stream(g).filter(inPool::contains).toArray();
            if (kept.length > 0) {
                groups.add(kept);
            }
        }
        if (groups.size() < k) {
            throw new IllegalArgumentException("only " + groups.size() + " scaffold groups outside the test set, cannot make "
                    + k + " folds");
        }
        Collections.shuffle(groups, new Random(seed));
        groups.sort(Comparator.comparingInt((int[] g) -> -g.length));
        List<ScaffoldSplit.IntList> fl = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            fl.add(new ScaffoldSplit.IntList());
        }
        for (int[] g : groups) {
            ScaffoldSplit.IntList smallest = fl.get(0);
            for (ScaffoldSplit.IntList l : fl) {
                if (l.size() < smallest.size()) {
                    smallest = l;
                }
            }
            smallest.addAll(g);
        }
        List<int[]> folds = new ArrayList<>();
        for (ScaffoldSplit.IntList l : fl) {
            folds.add(l.toArray());
        }
        return assemble(folds, base.test(), "scaffold");
    }

    private static void check(int k, int m) {
        if (k < 2 || k > m) {
            throw new IllegalArgumentException("cannot make " + k + " folds of " + m + " non-test molecules (need 2 <= k <= " + m + ")");
        }
    }

    private static int[] nonTest(Split base) {
        int[] pool = new int[base.train().length + base.val().length];
        System.arraycopy(base.train(), 0, pool, 0, base.train().length);
        System.arraycopy(base.val(), 0, pool, base.train().length, base.val().length);
        Arrays.sort(pool);
        return pool;
    }

    private static List<Split> assemble(List<int[]> folds, int[] test, String kind) {
        List<Split> r = new ArrayList<>();
        for (int f = 0; f < folds.size(); f++) {
            ScaffoldSplit.IntList train = new ScaffoldSplit.IntList();
            for (int g = 0; g < folds.size(); g++) {
                if (g != f) {
                    train.addAll(folds.get(g));
                }
            }
            r.add(new Split(train.toArray(), folds.get(f), test,
                    List.of(kind + " fold " + f + " of " + folds.size() + " (validation = fold " + f + ")")));
        }
        return r;
    }
}
