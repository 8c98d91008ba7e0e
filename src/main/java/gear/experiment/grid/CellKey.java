package gear.experiment.grid;

import gear.data.SplitType;

/**
 * The coordinates of one grid cell.
 *
 * @param pair pair id
 * @param method transfer method ({@code stl, mtl, finetune, kd, gspkd, gate, gear})
 * @param splitType split of the target
 * @param fold validation fold (0-based)
 * @param seed seed of the split, folds, subsample and model
 */
public record CellKey(String pair, String method, SplitType splitType, int fold, long seed) {
    /** @return the cell id {@code pair.method.split.fF.sS}, also its directory name under {@code cells/} */
    public String id() {
        return pair + "." + method + "." + splitType.cliName() + ".f" + fold + ".s" + seed;
    }

    /**
     * Parses {@link #id()}.
     *
     * @throws IllegalArgumentException on a malformed id
     */
    public static CellKey parse(String id) {
        String[] p = id.split("\\.");
        if (p.length != 5 || !p[3].startsWith("f") || !p[4].startsWith("s")) {
            throw new IllegalArgumentException("malformed cell id '" + id + "': expected pair.method.split.fF.sS");
        }
        return new CellKey(p[0], p[1], SplitType.parse(p[2]), Integer.parseInt(p[3].substring(1)), Long.parseLong(p[4].substring(1)));
    }
}
