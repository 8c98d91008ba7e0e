package gear.experiment.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.Hashing;
import gear.data.SplitType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Grids run by the code before the studies existed must resume under the new code: a clean cell keeps
 * its id and its configuration fingerprint. Pinned by literal values printed by the code of commit
 * ece4939 (before label noise) for this configuration, and by that version's formula re-stated here.
 * Since the fingerprint covers the resolved options, this holds for a runner that resolves none
 * ({@link CellRunners#AS_GIVEN}); cells of the transfer runner are run again once (docs/BENCHMARK.md).
 */
class GridCompatTest {
    static final PairSpec TB_TC = new PairSpec("tb-tc", new DataRef("nist_tde_boiling_point", "Tb_K"),
            new DataRef("/data/tc.csv", "Tc_K"), 1000);
    static final PairSpec AQSOL = new PairSpec("aqsol-esol", new DataRef("aqsoldb", "logS"), new DataRef("esol", "logS"), null);

    static Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("epochs", "30");
        o.put("w_curv", "0.001");
        return o;
    }

    static GridConfig oldStyle() {
        return new GridConfig(List.of(TB_TC, AQSOL), List.of("stl", "gear"), List.of(SplitType.RANDOM, SplitType.SCAFFOLD), 4, 4,
                List.of(0L, 1L), 0.2, options(), Path.of("/d"), null, "gear.experiment.grid.TransferCellRunner", 2,
                Isolation.PROCESS);
    }

    /** The fingerprint formula of commit ece4939, re-stated. */
    static String oldFingerprint(GridConfig c, CellKey key) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode o = m.createObjectNode();
        o.put("protocol", 1);
        o.set("pair", PairsFile.toJson(List.of(c.pair(key.pair())), m).get(0));
        o.put("cell", key.pair() + "." + key.method() + "." + key.splitType().cliName() + ".f" + key.fold() + ".s" + key.seed());
        o.put("folds", c.folds());
        o.put("test_fraction", c.testFraction());
        o.set("options", m.valueToTree(new java.util.TreeMap<>(c.options())));
        o.put("runner", c.runnerClass());
        return Hashing.sha256(o.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    @Test
    void cleanCellsKeepTheIdsAndFingerprintsOfTheOldCode() {
        GridConfig c = oldStyle();
        List<CellKey> cells = c.cells();
        assertEquals(64, cells.size());
        // literal values printed by the code of ece4939 for this configuration
        assertEquals("tb-tc.stl.random.f0.s0", cells.get(0).id());
        assertEquals("1df9add0a9f13976", c.fingerprint(cells.get(0), CellRunners.AS_GIVEN));
        assertEquals("tb-tc.gear.random.f0.s0", cells.get(1).id());
        assertEquals("1de4d309b6612bfb", c.fingerprint(cells.get(1), CellRunners.AS_GIVEN));
        assertEquals("aqsol-esol.gear.scaffold.f3.s1", cells.get(63).id());
        assertEquals("367dcd60d8a02c23", c.fingerprint(cells.get(63), CellRunners.AS_GIVEN));
        // the same configuration written with the new components (no noise, any sigma, training RMSE on)
        GridConfig explicit = new GridConfig(c.pairs(), c.methods(), c.splitTypes(), 4, 4, c.seeds(), 0.2, options(), c.dataDir(),
                null, c.runnerClass(), 2, Isolation.PROCESS, List.of(0.0), 3.0, true);
        assertEquals(cells, explicit.cells());
        for (CellKey k : cells) {
            assertEquals(k.pair() + "." + k.method() + "." + k.splitType().cliName() + ".f" + k.fold() + ".s" + k.seed(), k.id());
            assertEquals(oldFingerprint(c, k), c.fingerprint(k, CellRunners.AS_GIVEN), k.id());
            assertNotEquals(oldFingerprint(c, k), c.fingerprint(k), k.id()); // the transfer runner's resolved options
            assertEquals(c.fingerprint(k), explicit.fingerprint(k), k.id());
            assertEquals(k, CellKey.parse(k.id()));
        }
        // config.json of a clean grid has no study keys, and the old form parses
        ObjectNode json = c.toJson();
        assertFalse(json.has("noise_fractions") || json.has("noise_sigma") || json.has("train_rmse"), json.toString());
        GridConfig back = GridConfig.fromJson(json);
        assertEquals(List.of(0.0), back.noiseFractions());
        assertFalse(back.trainRmse());
        assertEquals(cells, back.cells());
        assertTrue(explicit.toJson().path("train_rmse").asBoolean());
    }

    @Test
    void noisyCellsHaveASuffixAndTheirOwnFingerprint() {
        GridConfig c = new GridConfig(List.of(TB_TC), List.of("stl", "gear"), List.of(SplitType.RANDOM), 4, 1, List.of(0L), 0.2,
                options(), null, null, "r", 1, Isolation.THREAD, List.of(0.0, 0.1, 0.2), 2.0, false);
        List<CellKey> cells = c.cells();
        assertEquals(List.of("tb-tc.stl.random.f0.s0", "tb-tc.gear.random.f0.s0", "tb-tc.stl.random.f0.s0.n0.1",
                "tb-tc.gear.random.f0.s0.n0.1", "tb-tc.stl.random.f0.s0.n0.2", "tb-tc.gear.random.f0.s0.n0.2"),
                cells.stream().map(CellKey::id).toList());
        for (CellKey k : cells) {
            assertEquals(k, CellKey.parse(k.id()));
        }
        for (double f : new double[] {0.05, 1, 0.125, 1e-4}) {
            CellKey k = new CellKey("p", "gear-no-curv", SplitType.VALUE, 2, 7, f);
            assertEquals(k, CellKey.parse(k.id()), k.id());
        }
        assertEquals("p.stl.value.f0.s1.n1", new CellKey("p", "stl", SplitType.VALUE, 0, 1, 1.0).id());
        assertEquals("p.stl.value.f0.s1.n0.0001", new CellKey("p", "stl", SplitType.VALUE, 0, 1, 1e-4).id());
        // the clean cell is the old cell; noisy cells differ from it and from each other, and depend on sigma
        assertEquals(oldFingerprint(c, cells.get(0)), c.fingerprint(cells.get(0)));
        assertNotEquals(c.fingerprint(cells.get(0)), c.fingerprint(cells.get(2)));
        assertNotEquals(c.fingerprint(cells.get(2)), c.fingerprint(cells.get(4)));
        GridConfig sigma3 = new GridConfig(c.pairs(), c.methods(), c.splitTypes(), 4, 1, c.seeds(), 0.2, options(), null, null, "r",
                1, Isolation.THREAD, List.of(0.0, 0.1, 0.2), 3.0, false);
        assertEquals(c.fingerprint(cells.get(0)), sigma3.fingerprint(cells.get(0)));
        assertNotEquals(c.fingerprint(cells.get(2)), sigma3.fingerprint(cells.get(2)));
        GridConfig back = GridConfig.fromJson(c.toJson());
        assertEquals(List.of(0.0, 0.1, 0.2), back.noiseFractions());
        assertEquals(cells, back.cells());
        assertEquals(c.fingerprint(cells.get(5)), back.fingerprint(cells.get(5)));
        // bad input
        for (String bad : List.of("p.stl.random.f0", "p.stl.random.f0.s0.x1", "p.stl.random.f0.s0.nabc", "p.stl.random.f0.s0.n1.5",
                "p.stl.random.f0.s0.n0.1.2")) {
            assertThrows(IllegalArgumentException.class, () -> CellKey.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new GridConfig(c.pairs(), c.methods(), c.splitTypes(), 4, 1, c.seeds(),
                0.2, options(), null, null, "r", 1, Isolation.THREAD, List.of(0.1, 0.1), 2.0, false));
        assertThrows(IllegalArgumentException.class, () -> new GridConfig(c.pairs(), c.methods(), c.splitTypes(), 4, 1, c.seeds(),
                0.2, options(), null, null, "r", 1, Isolation.THREAD, List.of(1.5), 2.0, false));
        assertThrows(IllegalArgumentException.class, () -> new GridConfig(c.pairs(), c.methods(), c.splitTypes(), 4, 1, c.seeds(),
                0.2, options(), null, null, "r", 1, Isolation.THREAD, List.of(0.1), -1, false));
    }
}
