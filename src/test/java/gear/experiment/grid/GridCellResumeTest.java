package gear.experiment.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.data.SplitType;
import gear.run.TrainRun;
import gear.train.EpochStats;
import gear.train.RunGuard;
import gear.train.TrainListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cell that an earlier worker left unfinished (a grid killed, a session ended) is resumed from its checkpoints
 * by the next run of the grid and ends as the uninterrupted cell: the same selected epoch, validation and test
 * RMSE, metrics and predictions. GEAR, whose source batches cycle across epochs, and fine-tuning, stopped in its
 * target phase after the pretraining came from the grid's cache. A resume that the run refuses (the cell's
 * options changed since) runs the cell afresh.
 */
class GridCellResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static PairSpec pair;
    @TempDir
    Path out;

    @BeforeAll
    static void data(@TempDir Path dir) throws IOException {
        pair = GridFixture.demoPair(dir, 80);
    }

    private static GridConfig config(String method, String epochs) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("epochs", epochs);
        o.put("pretrain_epochs", "2");
        o.put("hidden_size", "16");
        o.put("latent_size", "4");
        o.put("source_batches", "2");
        return new GridConfig(List.of(pair), List.of(method), List.of(SplitType.RANDOM), 2, 1, List.of(0L), 0.2, o, null,
                null, TransferCellRunner.class.getName(), 1, Isolation.THREAD);
    }

    /** A listener that stops the run after {@code n} epochs of its target phase. */
    private static TrainListener stopAfter(int n) {
        return new TrainListener() {
            private int ran;

            @Override
            public void onEpochEnd(EpochStats e) {
                if (e.phase().equals("train") && ++ran >= n) {
                    throw new TrainRun.InterruptedRunException(ran);
                }
            }
        };
    }

    /** @return metrics.csv without its seconds column (a k-task run logs none) */
    private static List<String> metricsWithoutSeconds(Path cell) throws IOException {
        return PretrainCacheGridTest.withoutColumn(cell.resolve("metrics.csv"), "seconds");
    }

    private void interruptedThenResumedEqualsUninterrupted(String method) throws Exception {
        GridConfig cfg = config(method, "5");
        Grid straight = new Grid(cfg, out.resolve("straight"), PretrainCacheGridTest.QUIET).plots(false);
        assertTrue(straight.run().failed().isEmpty());
        Grid cut = new Grid(cfg, out.resolve("cut"), PretrainCacheGridTest.QUIET).plots(false);
        CellKey key = new CellKey("demo", method, SplitType.RANDOM, 0, 0L);
        Path dir = cut.cellDir(key);
        Files.createDirectories(dir);
        assertThrows(TrainRun.InterruptedRunException.class, () -> new TransferCellRunner().run(cut.cell(key), dir, stopAfter(2)));
        assertTrue(Files.exists(dir.resolve(RunGuard.INCOMPLETE)), "the stopped run is unfinished");
        assertFalse(Files.exists(dir.resolve("result.json")));

        Grid.Outcome o = cut.run();
        assertTrue(o.failed().isEmpty(), o.failed().toString());
        Path a = straight.cellDir(key);
        JsonNode ra = JSON.readTree(a.resolve("result.json").toFile());
        JsonNode rb = JSON.readTree(dir.resolve("result.json").toFile());
        for (String k : List.of("test_rmse", "val_rmse", "best_epoch", "test_mae", "val_rmse_last")) {
            assertEquals(ra.get(k), rb.get(k), k);
        }
        assertEquals(metricsWithoutSeconds(a), metricsWithoutSeconds(dir));
        assertEquals(Files.readString(a.resolve("test_predictions.csv")), Files.readString(dir.resolve("test_predictions.csv")));
        JsonNode cost = JSON.readTree(dir.resolve("config.json").toFile()).get("cost");
        assertTrue(cost.path("resumed").asBoolean(), "a resumed cell says so: " + cost);
        assertFalse(JSON.readTree(a.resolve("config.json").toFile()).get("cost").has("resumed"));
        assertFalse(Files.exists(dir.resolve(RunGuard.INCOMPLETE)));
    }

    @Test
    void anInterruptedGearCellResumesToTheUninterruptedResult() throws Exception {
        interruptedThenResumedEqualsUninterrupted("gear");
    }

    @Test
    void anInterruptedFinetuneCellResumesToTheUninterruptedResult() throws Exception {
        interruptedThenResumedEqualsUninterrupted("finetune");
    }

    @Test
    void anInterruptedTaskSetCellResumesToTheUninterruptedResult(@TempDir Path data) throws Exception {
        List<PairSpec> sets = PairsFile.read(TaskSetGridTest.pairsFile(data));
        Map<String, String> o = new LinkedHashMap<>();
        for (String[] kv : new String[][] {{"epochs", "4"}, {"batch_size", "16"}, {"hidden_size", "16"}, {"latent_size", "4"},
                {"common_size", "8"}, {"map_hidden", "8"}, {"curv_subset", "3"}, {"source_batches", "2"}}) {
            o.put(kv[0], kv[1]);
        }
        GridConfig cfg = new GridConfig(sets, List.of("gear"), List.of(SplitType.RANDOM), 2, 1, List.of(0L), 0.2, o, null,
                null, TransferCellRunner.class.getName(), 1, Isolation.THREAD);
        Grid straight = new Grid(cfg, out.resolve("straight"), PretrainCacheGridTest.QUIET).plots(false);
        assertTrue(straight.run().failed().isEmpty());
        Grid cut = new Grid(cfg, out.resolve("cut"), PretrainCacheGridTest.QUIET).plots(false);
        CellKey key = new CellKey("ks", "gear", SplitType.RANDOM, 0, 0L);
        Path dir = cut.cellDir(key);
        Files.createDirectories(dir);
        assertThrows(TrainRun.InterruptedRunException.class, () -> new TransferCellRunner().run(cut.cell(key), dir, stopAfter(2)));
        assertTrue(cut.run().failed().isEmpty());
        Path a = straight.cellDir(key);
        for (String k : List.of("test_rmse", "val_rmse", "best_epoch")) {
            assertEquals(JSON.readTree(a.resolve("result.json").toFile()).get(k),
                    JSON.readTree(dir.resolve("result.json").toFile()).get(k), k);
        }
        assertEquals(metricsWithoutSeconds(a), metricsWithoutSeconds(dir));
        assertTrue(JSON.readTree(dir.resolve("config.json").toFile()).path("cost").path("resumed").asBoolean());
        JsonNode cost = JSON.readTree(a.resolve("config.json").toFile()).get("cost");
        assertFalse(cost.has("resumed"));
        assertTrue(cost.get("cpu_seconds").asDouble() > 0 && cost.get("wall_seconds").asDouble() > 0, cost.toString());
    }

    @Test
    void aCellWhoseOptionsChangedRunsAfresh() throws Exception {
        Grid first = new Grid(config("gear", "5"), out.resolve("g"), PretrainCacheGridTest.QUIET).plots(false);
        CellKey key = new CellKey("demo", "gear", SplitType.RANDOM, 0, 0L);
        Path dir = first.cellDir(key);
        Files.createDirectories(dir);
        assertThrows(TrainRun.InterruptedRunException.class, () -> new TransferCellRunner().run(first.cell(key), dir, stopAfter(2)));
        // the same directory under other options (3 epochs): the stopped run's resume is refused, the cell runs anew
        Grid.Outcome o = new Grid(config("gear", "3"), out.resolve("g"), PretrainCacheGridTest.QUIET).plots(false)
                .rerunChanged(true).run();
        assertTrue(o.failed().isEmpty(), o.failed().toString());
        Grid.Outcome ref = new Grid(config("gear", "3"), out.resolve("ref"), PretrainCacheGridTest.QUIET).plots(false).run();
        assertEquals(ref.rows().get(0).result().testRmse(), o.rows().get(0).result().testRmse());
        JsonNode cfg = JSON.readTree(dir.resolve("config.json").toFile());
        assertEquals(3, cfg.get("epochs").asInt());
        assertFalse(cfg.get("cost").has("resumed"));
        assertEquals(4, metricsWithoutSeconds(dir).size(), "a header and three epochs");
    }
}
