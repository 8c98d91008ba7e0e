package gear.experiment.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.config.Opt;
import gear.data.BadInputException;
import gear.data.SplitType;
import gear.transfer.Methods;
import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cell's fingerprint covers its fully resolved options: a default changed in the code runs finished cells again,
 * and the same values given explicitly or by default reuse them.
 */
class GridFingerprintTest {
    static PairSpec pair;
    static final String TRANSFER = TransferCellRunner.class.getName();
    @TempDir
    Path out;

    @BeforeAll
    static void data(@TempDir Path dir) throws IOException {
        pair = GridFixture.demoPair(dir, 120);
    }

    /** A runner with one option {@code lr} of default {@code lrDefault} (as a runner's code declares it). */
    static Supplier<CellRunner> withDefault(String lrDefault, AtomicInteger calls) {
        return () -> new CellRunner() {
            @Override
            public CellResult run(Cell cell, Path dir) {
                calls.incrementAndGet();
                return FakeCellRunner.result(cell);
            }

            @Override
            public Map<String, String> resolvedOptions(PairSpec p, String method, Map<String, String> cellOptions) {
                Map<String, String> r = new TreeMap<>(Map.of("lr", lrDefault));
                r.putAll(cellOptions);
                return r;
            }
        };
    }

    static GridConfig grid(Map<String, String> options) {
        return new GridConfig(List.of(pair), List.of("stl", "gear"), List.of(SplitType.RANDOM), 3, 2, List.of(0L), 0.2, options,
                null, null, FakeCellRunner.class.getName(), 1, Isolation.THREAD);
    }

    @Test
    void aChangedDefaultRunsTheCellAgainAndEqualResolvedOptionsReuseIt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Grid.Outcome first = new Grid(grid(Map.of()), out, GridRunTest.QUIET).plots(false).runnerFactory(withDefault("1", calls)).run();
        assertEquals(4, first.ran());
        assertEquals(4, calls.get());

        // the default's value given explicitly: the same resolved options, every cell reused
        Grid.Outcome same = new Grid(grid(Map.of("lr", "1")), out, GridRunTest.QUIET).plots(false)
                .runnerFactory(withDefault("1", calls)).run();
        assertEquals(4, same.skipped());
        assertEquals(4, calls.get());

        // the default changed in the code, nothing given: the finished cells were trained otherwise
        BadInputException e = assertThrows(BadInputException.class, () -> new Grid(grid(Map.of()), out, GridRunTest.QUIET)
                .plots(false).runnerFactory(withDefault("2", calls)).run());
        assertTrue(e.getMessage().contains("4 finished cells") && e.getMessage().contains("--rerun-changed"), e.getMessage());
        Grid.Outcome again = new Grid(grid(Map.of()), out, GridRunTest.QUIET).plots(false).rerunChanged(true)
                .runnerFactory(withDefault("2", calls)).run();
        assertEquals(4, again.ran());
        assertEquals(8, calls.get());

        // the old value now given explicitly over the new default: those are the cells of the new default, rerun
        Grid.Outcome old = new Grid(grid(Map.of("lr", "1")), out, GridRunTest.QUIET).plots(false).rerunChanged(true)
                .runnerFactory(withDefault("2", calls)).run();
        assertEquals(4, old.ran());
        assertEquals(0, old.skipped());
        assertEquals(12, calls.get());
    }

    static GridConfig transferGrid(PairSpec p, List<String> methods, Map<String, String> options) {
        return new GridConfig(List.of(p), methods, List.of(SplitType.RANDOM), 3, 1, List.of(0L), 0.2, options, null, null,
                TRANSFER, 1, Isolation.THREAD);
    }

    static String fp(GridConfig c, String method) {
        return c.fingerprint(c.cells().stream().filter(k -> k.method().equals(method)).findFirst().orElseThrow());
    }

    @Test
    void theTransferRunnerResolvesEveryOption() {
        GridConfig none = transferGrid(pair, List.of("gear", "gear-no-curv"), Map.of("epochs", "3"));
        CellKey gear = none.cells().get(0);
        Map<String, String> resolved = new TransferCellRunner().resolvedOptions(pair, "gear", none.cellOptions(gear));
        for (Opt<?> o : TransferSchema.SCHEMA.options()) {
            // every option, at its value (source_purge at its default, validation, is not its legacy value)
            assertTrue(resolved.containsKey(o.key()), o.key() + " in " + resolved);
        }
        assertEquals("3", resolved.get("epochs"));
        String gearCurv = String.valueOf(TransferOptions.defaults(Methods.get("gear")).wCurv());
        assertEquals(gearCurv, resolved.get("w_curv"), "the method's default");
        assertEquals(TransferSchema.SCHEMA.options().size(), resolved.size(), "nothing but the options: " + resolved);
        // source_purge: the default (validation), given or not, is one cell; test, the value of the cells from before the
        // option, is another, whose form leaves the option out (those cells keep their fingerprints)
        assertEquals("validation", resolved.get("source_purge"));
        assertEquals(fp(none, "gear"), fp(transferGrid(pair, List.of("gear"), Map.of("epochs", "3", "source_purge",
                "validation")), "gear"));
        GridConfig legacy = transferGrid(pair, List.of("gear"), Map.of("epochs", "3", "source_purge", "test"));
        assertNotEquals(fp(none, "gear"), fp(legacy, "gear"));
        assertFalse(new TransferCellRunner().resolvedOptions(pair, "gear", legacy.cellOptions(legacy.cells().get(0)))
                .containsKey("source_purge"));
        // the checkpoints hash the same form: at test it is the form of before, with validation it names it
        com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
        assertTrue(!TransferOptions.defaults().with(TransferSchema.SOURCE_PURGE, "test").fingerprintJson(m)
                .has("source_purge"));
        assertEquals("validation", TransferOptions.defaults().fingerprintJson(m).get("source_purge").asText());

        // a default given explicitly, in either spelling, and device cpu: the same cell
        String defaultCurv = gearCurv;
        String gearSourceBatches = String.valueOf(TransferOptions.defaults(Methods.get("gear")).sourceBatches());
        for (Map<String, String> same : List.of(Map.of("epochs", "3", "w_curv", defaultCurv),
                Map.of("epochs", "3", "w-curv", defaultCurv, "device", "cpu"), Map.of("epochs", "3", "source_batches", gearSourceBatches))) {
            assertEquals(fp(none, "gear"), fp(transferGrid(pair, List.of("gear"), same), "gear"), same.toString());
        }
        // another value: another cell; the ablation variant sets its weight whatever the grid gives
        GridConfig other = transferGrid(pair, List.of("gear", "gear-no-curv"), Map.of("epochs", "3", "w_curv", "0.01"));
        assertNotEquals(fp(none, "gear"), fp(other, "gear"));
        assertEquals(fp(none, "gear-no-curv"), fp(other, "gear-no-curv"));
        assertNotEquals(fp(none, "gear"), fp(none, "gear-no-curv"));
        // the fingerprint of a grid with the runner class is the one the grid records
        assertEquals(none.fingerprint(gear, new TransferCellRunner()), none.fingerprint(gear));
        // tuned values: the cell's own values and their marker count, not the other methods' values
        Map<String, String> tuned = new LinkedHashMap<>(Map.of("epochs", "3"));
        tuned.put(Tuned.SOURCE, "abc");
        tuned.put(Tuned.key("stl", "w_curv"), "0.5");
        GridConfig t = transferGrid(pair, List.of("gear", "stl"), tuned);
        tuned.put(Tuned.key("stl", "w_curv"), "0.7");
        GridConfig t2 = transferGrid(pair, List.of("gear", "stl"), tuned);
        assertEquals(fp(t, "gear"), fp(t2, "gear"));
        assertNotEquals(fp(t, "stl"), fp(t2, "stl"));
        // a later stage's file for gear alone (--tuned A,B): gear and its variants move, stl keeps its cells
        tuned.put(Tuned.key("gear", "w_curv"), "0.01");
        GridConfig t3 = transferGrid(pair, List.of("gear", "gear-no-curv", "stl"), tuned);
        tuned.put(Tuned.sourceKey("gear"), "def");
        GridConfig t4 = transferGrid(pair, List.of("gear", "gear-no-curv", "stl"), tuned);
        assertNotEquals(fp(t3, "gear"), fp(t4, "gear"));
        assertNotEquals(fp(t3, "gear-no-curv"), fp(t4, "gear-no-curv"));
        assertEquals(fp(t3, "stl"), fp(t4, "stl"));
        // an unknown key is refused, naming it
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> fp(transferGrid(pair, List.of("gear"), Map.of("w_kurv", "1")), "gear"));
        assertTrue(bad.getMessage().contains("w_kurv"), bad.getMessage());
    }

    @Test
    void aTaskSetFinetuneCellResolvesItsOwnPretrainingDefaults() {
        PairSpec set = new PairSpec("set", pair.source(), pair.target(), null, List.of(pair.source()));
        Map<String, String> given = Map.of("epochs", "3");
        Map<String, String> resolved = new TransferCellRunner().resolvedOptions(set, "finetune", given);
        assertEquals(String.valueOf(gear.transfer.ktask.KFinetune.DEFAULT_PRETRAIN_VAL_FRACTION),
                resolved.get("pretrain_val_fraction"));
        assertEquals(String.valueOf(gear.transfer.ktask.KFinetune.DEFAULT_PRETRAIN_PATIENCE), resolved.get("pretrain_patience"));
        Map<String, String> explicit = Map.of("epochs", "3", "pretrain_val_fraction",
                String.valueOf(gear.transfer.ktask.KFinetune.DEFAULT_PRETRAIN_VAL_FRACTION), "pretrain_patience",
                String.valueOf(gear.transfer.ktask.KFinetune.DEFAULT_PRETRAIN_PATIENCE));
        assertEquals(fp(transferGrid(set, List.of("finetune"), given), "finetune"),
                fp(transferGrid(set, List.of("finetune"), explicit), "finetune"));
        // a method without a k-task form resolves as for a pair (its cell fails when it runs, not the grid's resume)
        assertEquals(new TransferCellRunner().resolvedOptions(pair, "kd", given),
                new TransferCellRunner().resolvedOptions(set, "kd", given));
        // the pair's finetune keeps the plain default (no source validation split)
        assertEquals(String.valueOf(TransferSchema.PRETRAIN_VAL_FRACTION.defaultValue()),
                new TransferCellRunner().resolvedOptions(pair, "finetune", given).get("pretrain_val_fraction"));
    }
}
