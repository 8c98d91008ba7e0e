package gear.experiment.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.data.SplitType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CellQueueTest {
    private static final Set<String> PRETRAIN = Set.of("finetune", "kd", "gspkd", "mtl");

    private static CellKey cell(String method, long seed) {
        return new CellKey("p", method, SplitType.RANDOM, 0, seed);
    }

    private static CellQueue queue(List<CellKey> todo) {
        return new CellQueue(todo, k -> PRETRAIN.contains(k.method()));
    }

    @Test
    void withoutSharedPretrainingTheGridOrderStands() {
        List<CellKey> todo = List.of(cell("stl", 0), cell("gate", 0), cell("gear", 0), cell("stl", 1));
        CellQueue q = queue(todo);
        List<CellKey> taken = new ArrayList<>();
        for (CellKey k = q.next(); k != null; k = q.next()) {
            taken.add(k);
        }
        assertEquals(todo, taken);
    }

    @Test
    void aCellWaitingForAPretrainingInProgressGoesBehindTheCellsThatCanStart() {
        List<CellKey> todo = List.of(cell("stl", 0), cell("finetune", 0), cell("kd", 0), cell("gspkd", 0), cell("gate", 0),
                cell("gear", 0), cell("stl", 1), cell("finetune", 1), cell("kd", 1));
        CellQueue q = queue(todo);
        assertEquals(cell("stl", 0), q.next());
        assertEquals(cell("finetune", 0), q.next()); // computes seed 0's pretraining
        q.finished(cell("stl", 0));
        assertEquals(cell("gate", 0), q.next()); // not KD: it would wait for fine-tuning's pretraining
        q.finished(cell("gate", 0));
        assertEquals(cell("gear", 0), q.next());
        q.finished(cell("gear", 0));
        assertEquals(cell("stl", 1), q.next());
        q.finished(cell("stl", 1));
        assertEquals(cell("finetune", 1), q.next()); // another unit's pretraining: it starts
        // every waiting cell is held back now: the first is taken anyway (it waits on the cache's lock, as before)
        assertEquals(cell("kd", 0), q.next());
        q.finished(cell("finetune", 0)); // seed 0's pretraining is there
        assertEquals(cell("gspkd", 0), q.next());
        q.finished(cell("finetune", 1));
        assertEquals(cell("kd", 1), q.next());
        assertNull(q.next());
    }

    @Test
    void aFailedCellReleasesItsUnit() {
        CellQueue q = queue(List.of(cell("finetune", 0), cell("kd", 0), cell("stl", 1)));
        assertEquals(cell("finetune", 0), q.next());
        assertEquals(cell("stl", 1), q.next());
        q.finished(cell("finetune", 0)); // failed or finished: the next one computes or reads the pretraining
        assertEquals(cell("kd", 0), q.next());
        assertNull(q.next());
    }

    @Test
    void theUnitIsPairSplitFoldAndSeed() {
        CellKey a = new CellKey("p", "finetune", SplitType.RANDOM, 0, 0);
        assertEquals(CellQueue.group(a), CellQueue.group(new CellKey("p", "kd", SplitType.RANDOM, 0, 0)));
        assertEquals(CellQueue.group(a), CellQueue.group(new CellKey("p", "kd", SplitType.RANDOM, 0, 0, 0.2)));
        for (CellKey b : List.of(new CellKey("q", "kd", SplitType.RANDOM, 0, 0), new CellKey("p", "kd", SplitType.SCAFFOLD, 0, 0),
                new CellKey("p", "kd", SplitType.RANDOM, 1, 0), new CellKey("p", "kd", SplitType.RANDOM, 0, 1))) {
            assertFalse(CellQueue.group(a).equals(CellQueue.group(b)), b.id());
        }
    }

    @Test
    void theTransferRunnerSaysWhichCellsSharePretraining(@TempDir Path dir) throws Exception {
        PairSpec pair = GridFixture.demoPair(dir, 60);
        TransferCellRunner r = new TransferCellRunner();
        Map<String, String> none = Map.of();
        for (String m : List.of("finetune", "kd", "gspkd")) {
            assertTrue(r.sharesPretraining(pair, m, none), m);
        }
        assertFalse(r.sharesPretraining(pair, "stl", Map.of("source_init", "pretrained")), "STL reads no source");
        for (String m : List.of("mtl", "gate", "gear", "gear-no-curv")) {
            assertFalse(r.sharesPretraining(pair, m, Map.of("source_init", "scratch")), m);
            assertTrue(r.sharesPretraining(pair, m, Map.of("source_init", "pretrained")), m);
            assertTrue(r.sharesPretraining(pair, m, Map.of("source_init", "both")), m);
        }
        // with the tuned defaults (TransferMethod.defaults()): MTL starts from the pretraining, GEAR from scratch
        assertTrue(r.sharesPretraining(pair, "mtl", none));
        assertFalse(r.sharesPretraining(pair, "gear", none));
    }

    @Test
    void theGridsWorkersTakeTheirCellsFromTheQueue(@TempDir Path dir) throws Exception {
        PairSpec pair = GridFixture.demoPair(dir, 60);
        GridConfig cfg = new GridConfig(List.of(pair), List.of("stl", "finetune", "kd", "gate"), List.of(SplitType.RANDOM), 3, 1,
                List.of(0L), 0.2, Map.of("epochs", "3"), null, null, FakeCellRunner.class.getName(), 2, Isolation.THREAD);
        List<String> started = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch gateStarted = new CountDownLatch(1);
        Supplier<CellRunner> runner = () -> new CellRunner() {
            @Override
            public CellResult run(Cell cell, Path cellDir) throws Exception {
                started.add(cell.method());
                if (cell.method().equals("gate")) {
                    gateStarted.countDown();
                }
                if (cell.method().equals("finetune")) { // "pretrains" until GATE has started (in plain order: after KD)
                    gateStarted.await(20, TimeUnit.SECONDS);
                }
                return FakeCellRunner.result(cell);
            }

            @Override
            public boolean sharesPretraining(PairSpec p, String method, Map<String, String> options) {
                return method.equals("finetune") || method.equals("kd");
            }
        };
        Grid.Outcome o = new Grid(cfg, dir.resolve("grid"), GridRunTest.QUIET).plots(false).runnerFactory(runner).run();
        assertEquals(4, o.ran());
        assertTrue(started.indexOf("gate") < started.indexOf("kd"), "KD waits behind GATE: " + started);
    }

    @Test
    void aTaskSetsCellsShareThePerSourcePretrainingsNotFineTuningsPooledOne(@TempDir Path dir) throws Exception {
        PairSpec pair = GridFixture.demoPair(dir, 60);
        PairSpec set = new PairSpec("set", pair.source(), pair.target(), null, List.of(pair.source()));
        TransferCellRunner r = new TransferCellRunner();
        assertFalse(r.sharesPretraining(set, "finetune", Map.of()), "the pooled pretraining is its own");
        assertTrue(r.sharesPretraining(set, "mtl", Map.of("source_init", "pretrained")));
        assertFalse(r.sharesPretraining(set, "gear", Map.of("source_init", "scratch")));
        assertFalse(r.sharesPretraining(set, "stl", Map.of()));
    }
}
