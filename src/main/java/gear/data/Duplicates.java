package gear.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the molecules that appear on more than one row of a file (same canonical SMILES) and applies
 * a {@link DuplicatePolicy}: the rows to keep, their targets (means for {@link DuplicatePolicy#MEAN})
 * and the warning that lists the repeats.
 */
final class Duplicates {
    /** Repeated molecules named in one warning at most. */
    static final int LIST_CAP = 10;

    /**
     * The outcome.
     *
     * @param keep positions (into the candidate rows) to keep, ascending
     * @param targets targets of the kept rows, in the same order
     * @param warning the warning listing the repeats, or null when there are none
     */
    record Result(int[] keep, double[][] targets, String warning) {}

    private Duplicates() {}

    /**
     * @param file the file, for messages
     * @param canonical canonical SMILES of each candidate row
     * @param lines line number of each candidate row
     * @param targets targets of each candidate row
     * @param policy what to do with repeats
     * @throws BadInputException with {@link DuplicatePolicy#FAIL} when there are repeats
     */
    static Result apply(Path file, List<String> canonical, List<Long> lines, List<double[]> targets, DuplicatePolicy policy) {
        int n = canonical.size();
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            groups.computeIfAbsent(canonical.get(i), k -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> repeated = new ArrayList<>();
        int extraRows = 0;
        for (List<Integer> g : groups.values()) {
            if (g.size() > 1) {
                repeated.add(g);
                extraRows += g.size() - 1;
            }
        }
        if (repeated.isEmpty()) {
            return new Result(range(n), targets.toArray(new double[0][]), null);
        }
        StringBuilder list = new StringBuilder();
        for (int r = 0; r < Math.min(LIST_CAP, repeated.size()); r++) {
            List<Integer> g = repeated.get(r);
            list.append(r == 0 ? "" : "; ").append('\'').append(gear.chem.Chem.abbreviate(canonical.get(g.get(0))))
                    .append("' on lines ");
            for (int k = 0; k < g.size(); k++) {
                list.append(k == 0 ? "" : ", ").append(lines.get(g.get(k)));
            }
        }
        if (repeated.size() > LIST_CAP) {
            list.append("; ... and ").append(repeated.size() - LIST_CAP).append(" more");
        }
        String head = file + ": " + repeated.size() + " molecule" + (repeated.size() == 1 ? " appears" : "s appear")
                + " on more than one row (" + extraRows + " repeated row" + (extraRows == 1 ? "" : "s") + "): " + list;
        switch (policy) {
            case FAIL -> throw new BadInputException(head + " (--duplicates fail; use keep, first or mean to go on)");
            case KEEP -> {
                return new Result(range(n), targets.toArray(new double[0][]),
                        head + "; all rows kept (--duplicates keep; the random split keeps each molecule's rows together)");
            }
            default -> {
                boolean mean = policy == DuplicatePolicy.MEAN;
                List<Integer> keep = new ArrayList<>();
                List<double[]> t = new ArrayList<>();
                for (List<Integer> g : groups.values()) {
                    keep.add(g.get(0));
                    t.add(mean ? mean(g, targets) : targets.get(g.get(0)));
                }
                int[] order = keep.stream().mapToInt(Integer::intValue).toArray();
                // groups are in order of first occurrence, so the kept positions ascend already
                return new Result(order, t.toArray(new double[0][]), head + (mean
                        ? "; each molecule kept once with the mean of its rows (--duplicates mean)"
                        : "; the first row of each kept (--duplicates first)"));
            }
        }
    }

    private static double[] mean(List<Integer> g, List<double[]> targets) {
        int m = targets.get(g.get(0)).length;
        double[] r = new double[m];
        for (int c = 0; c < m; c++) {
            double s = 0;
            int k = 0;
            for (int i : g) {
                double v = targets.get(i)[c];
                if (!Double.isNaN(v)) {
                    s += v;
                    k++;
                }
            }
            r[c] = k == 0 ? Double.NaN : s / k;
        }
        return r;
    }

    private static int[] range(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }
}
