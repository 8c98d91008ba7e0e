package gear.experiment.grid;

import com.fasterxml.jackson.databind.JsonNode;
import gear.data.SplitType;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A finished grid with all three studies, for tests here and in other packages: the demo pair
 * (subsampled to 150), stl, gear and the five ablation variants, value and scaffold splits, 2 folds,
 * seed 0, noise fractions 0 and 0.2, training RMSE recorded; 56 cells run by {@link FakeCellRunner}.
 */
public final class StudyGridFixture {
    /** The methods of the grid. */
    public static final List<String> METHODS = List.of("stl", "gear", "gear-no-auto", "gear-no-cons", "gear-no-map",
            "gear-no-metric", "gear-no-curv");

    private StudyGridFixture() {}

    /**
     * Runs the grid into {@code dir/grid} (data generated into {@code dir/data}).
     *
     * @return the grid (its directory is {@code dir/grid})
     */
    public static Grid run(Path dir) throws Exception {
        PairSpec pair = GridFixture.demoPair(dir.resolve("data"), 150);
        GridConfig cfg = new GridConfig(List.of(pair), METHODS, List.of(SplitType.VALUE, SplitType.SCAFFOLD), 2, 2, List.of(0L),
                0.2, Map.of("epochs", "4"), null, null, FakeCellRunner.class.getName(), 2, Isolation.THREAD, List.of(0.0, 0.2), 2.0,
                true);
        Grid grid = new Grid(cfg, dir.resolve("grid"), new PrintStream(OutputStream.nullOutputStream()));
        Grid.Outcome o = grid.run();
        if (!o.failed().isEmpty() || o.ran() != 56) {
            throw new IllegalStateException("fixture grid: " + o.ran() + " cells ran, failed: " + o.failed());
        }
        return grid;
    }

    /** @return the rows of a results.json array that satisfy {@code p}, in order */
    public static List<JsonNode> select(JsonNode results,
            Predicate<JsonNode> p) {
        List<JsonNode> r = new ArrayList<>();
        results.forEach(n -> {
            if (p.test(n)) {
                r.add(n);
            }
        });
        return r;
    }

    /** @return a predicate on results rows: this method, split type and noise fraction */
    public static Predicate<JsonNode> is(String method, String split,
            double noise) {
        return n -> n.get("method").asText().equals(method) && n.get("split_type").asText().equals(split)
                && n.get("noise_fraction").asDouble() == noise;
    }
}
