package gear.experiment.grid;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a run finds in a grid's directory before it starts: the cells finished with the fingerprint of the current
 * configuration ({@link Grid#fingerprint}), which are not run again, and the others, in grid order, among them those
 * finished with another fingerprint.
 *
 * @param done the rows of the finished cells by cell id (a concurrent map: the run adds its own cells to it); a row
 *     written before rows recorded their budgets gets them from its options and run files ({@link Grid#budget})
 * @param todo the cells to run, in grid order
 * @param changed the ids of the finished cells whose fingerprint changed (they are in {@code todo})
 */
record CellScan(Map<String, ResultRow> done, List<CellKey> todo, List<String> changed) {
    /** Reads the {@code result.json} of each of the cells. */
    static CellScan of(Grid grid, List<CellKey> all) throws IOException {
        Map<String, ResultRow> done = new ConcurrentHashMap<>();
        List<CellKey> todo = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (CellKey k : all) {
            ResultRow r = ResultsFiles.readCell(grid.cellDir(k));
            if (r != null && grid.fingerprint(k).equals(r.fingerprint())) {
                done.put(k.id(), r.budget().epochs() < 0 ? r.withBudget(grid.budget(k)) : r);
            } else {
                if (r != null) {
                    changed.add(k.id());
                }
                todo.add(k);
            }
        }
        return new CellScan(done, todo, changed);
    }
}
