package gear.experiment.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.TestData;
import gear.data.DatasetPair;
import gear.data.DatasetRegistry;
import gear.data.MoleculeDataset;
import gear.data.SplitType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The shipped {@code pairs/public.json} against the registry and the public data. */
class PublicPairsTest {
    static final Path PUBLIC = Path.of("pairs", "public.json");

    @Test
    void coversTheNineRegistryPairsWithTheSameSetsAndColumns() {
        List<PairSpec> pairs = PairsFile.read(PUBLIC);
        List<DatasetPair> reg = DatasetRegistry.load().pairs();
        assertEquals(reg.size(), pairs.size());
        for (DatasetPair r : reg) {
            PairSpec p = pairs.stream().filter(x -> x.id().equals(r.id())).findFirst().orElseThrow(() -> new AssertionError(r.id()));
            assertEquals(new DataRef(r.source(), r.sourceColumn()), p.source(), r.id());
            assertEquals(new DataRef(r.target(), r.targetColumn()), p.target(), r.id());
        }
    }

    @Test
    void everyFileAndColumnExistsInThePublicData() {
        TestData.data("esol_delaney_logS.csv");
        PairsFile.check(PairsFile.read(PUBLIC), TestData.dataDir());
    }

    /** pairs/tasksets.json: every file and column exists; every set's target settings equal those of its pairs. */
    @Test
    void taskSetsNameExistingDataAndTheTargetSettingsOfTheirPairs() {
        TestData.data("esol_delaney_logS.csv");
        java.util.List<PairSpec> sets = PairsFile.read(Path.of("pairs", "tasksets.json"));
        PairsFile.check(sets, TestData.dataDir());
        java.util.List<PairSpec> all = new java.util.ArrayList<>(PairsFile.read(PUBLIC));
        all.addAll(sets);
        for (PairSpec s : sets) {
            if (s.sources().size() < 2) {
                continue;
            }
            for (DataRef src : s.sources()) {
                // the pair of this source and the same target, with the same subsample
                assertTrue(all.stream().anyMatch(p -> p.sources().size() == 1 && p.sources().get(0).equals(src)
                        && p.target().equals(s.target()) && java.util.Objects.equals(p.targetSubsample(), s.targetSubsample())),
                        s.id() + ": no pair of " + src + " with its target and subsample");
            }
        }
    }

    /** Loads every public pair and resolves the protocol (prints sizes); minutes on 2 cores. */
    @Test
    @Tag("slow")
    void protocolOnEveryPublicPair() {
        TestData.data("esol_delaney_logS.csv");
        List<PairSpec> pairs = PairsFile.read(PUBLIC);
        GridConfig cfg = new GridConfig(pairs, List.of("stl"), List.of(SplitType.RANDOM, SplitType.SCAFFOLD), 4, 4, List.of(0L), 0.2,
                Map.of(), TestData.dataDir(), null, "x", 1, Isolation.THREAD);
        Grid g = new Grid(cfg, Path.of("target", "grid-public"), System.out);
        for (PairSpec p : pairs) {
            for (SplitType t : cfg.splitTypes()) {
                long t0 = System.nanoTime();
                Protocol.Resolved r = g.protocol(p, t, 0);
                MoleculeDataset src = g.table(p.source());
                System.out.printf("%s %s: target %d, test %d, pool %d of %d, fold sizes %s, source %d, purged %d (%.1f s)%n", p.id(),
                        t.cliName(), g.table(p.target()).size(), r.test().length, r.pool().length, r.nonTest(),
                        r.folds().stream().map(f -> f.val().length).toList(), src.size(), r.purged(src.size()),
                        (System.nanoTime() - t0) / 1e9);
                assertTrue(r.test().length > 0 && r.pool().length > 0);
            }
        }
    }
}
