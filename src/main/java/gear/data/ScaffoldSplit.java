package gear.data;

import gear.chem.Chem;
import gear.chem.InvalidSmilesException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * chemprop v1 "scaffold_balanced" split (Yang et al., JCIM 59:3370, 2019; {@code scaffold_split(balanced=True)}).
 *
 * <p>Molecules are grouped by Bemis–Murcko scaffold ({@link Chem#scaffold}: no chirality; acyclic
 * molecules share the empty scaffold), groups in order of first appearance. With
 * {@code trainSize = train·n}, {@code valSize = val·n}, {@code testSize = test·n} (real numbers),
 * a group larger than {@code valSize/2} or {@code testSize/2} is "big", the others "small"; both
 * lists are shuffled with one {@code java.util.Random(seed)} (big first, then small, as
 * {@code Collections.shuffle}); then big followed by small, each group goes whole to train if
 * train stays within {@code trainSize}, else to validation if it stays within {@code valSize}, else
 * to test. Sizes are therefore approximate; groups are never cut.
 */
public final class ScaffoldSplit {
    private ScaffoldSplit() {}

    /** @return the scaffold-balanced split of the data set */
    public static Split split(MoleculeDataset ds, SplitSizes sizes, long seed) {
        return split(groups(ds), ds.size(), sizes, seed);
    }

    /**
     * The split for given groups (each a list of positions; together a partition of 0..n-1).
     *
     * @param groups scaffold groups in order of first appearance
     * @param n number of molecules
     */
    public static Split split(List<int[]> groups, int n, SplitSizes sizes, long seed) {
        double trainSize = sizes.train() * n;
        double valSize = sizes.val() * n;
        double testSize = sizes.test() * n;
        List<int[]> big = new ArrayList<>();
        List<int[]> small = new ArrayList<>();
        for (int[] g : groups) {
            if (g.length > valSize / 2 || g.length > testSize / 2) {
                big.add(g);
            } else {
                small.add(g);
            }
        }
        Random rnd = new Random(seed);
        Collections.shuffle(big, rnd);
        Collections.shuffle(small, rnd);
        List<int[]> order = new ArrayList<>(big);
        order.addAll(small);
        IntList train = new IntList();
        IntList val = new IntList();
        IntList test = new IntList();
        for (int[] g : order) {
            if (train.size() + g.length <= trainSize) {
                train.addAll(g);
            } else if (val.size() + g.length <= valSize) {
                val.addAll(g);
            } else {
                test.addAll(g);
            }
        }
        return new Split(train.toArray(), val.toArray(), test.toArray(),
                List.of(groups.size() + " scaffold groups (" + big.size() + " big)"));
    }

    /**
     * Groups the data set's molecules by scaffold (computed in parallel on the common pool).
     *
     * @return groups of positions, in order of the first appearance of each scaffold, positions ascending
     */
    public static List<int[]> groups(MoleculeDataset ds) {
        String[] scaffolds = scaffolds(ds);
        Map<String, IntList> map = new LinkedHashMap<>();
        for (int i = 0; i < scaffolds.length; i++) {
            map.computeIfAbsent(scaffolds[i], k -> new IntList()).add(i);
        }
        List<int[]> r = new ArrayList<>(map.size());
        for (IntList l : map.values()) {
            r.add(l.toArray());
        }
        return r;
    }

    /**
     * @return the Bemis–Murcko scaffold SMILES of every molecule ("" for acyclic ones); computed once
     *     per loaded data set and kept in memory (shared with its subsets)
     */
    public static String[] scaffolds(MoleculeDataset ds) {
        String[] s = new String[ds.size()];
        GraphStore store = ds.store();
        int[] si = ds.storeIndex();
        IntStream.range(0, ds.size()).parallel().forEach(i -> {
            String cached = store.scaffold(si[i]);
            if (cached != null) {
                s[i] = cached;
                return;
            }
            try {
                s[i] = Chem.scaffold(ds.smiles(i));
                store.setScaffold(si[i], s[i]);
            } catch (InvalidSmilesException e) {
                throw new BadInputException(ds.where(i) + ": cannot compute the scaffold of '" + Chem.abbreviate(ds.smiles(i)) + "': "
                        + e.getMessage(), e);
            }
        });
        return s;
    }

    /** A growable int array. */
    static final class IntList {
        private int[] a = new int[8];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = java.util.Arrays.copyOf(a, 2 * n);
            }
            a[n++] = v;
        }

        void addAll(int[] vs) {
            for (int v : vs) {
                add(v);
            }
        }

        int size() {
            return n;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
