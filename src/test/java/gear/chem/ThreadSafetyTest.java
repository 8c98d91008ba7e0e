package gear.chem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** The static {@link Chem} functions give the same results when called from several threads at once. */
class ThreadSafetyTest {
    private static final List<String> SMILES = List.of(
            "CC(=O)Oc1ccccc1C(=O)O", "C[C@H](N)O", "F/C=C/F", "[Na+].[Cl-]", "O=N(=O)c1ccccc1",
            "c1ccc2ccccc2c1", "C[C@H]1CC[C@@H](C)CC1", "[H]C([H])([H])[H]", "OC1CCCCC1=O", "CCN(CC)CC");

    @Test
    void parallelCallsAgreeWithSequentialOnes() throws Exception {
        List<MolGraph> ref = new ArrayList<>();
        List<String> refCanon = new ArrayList<>();
        List<String> refScaf = new ArrayList<>();
        for (String s : SMILES) {
            ref.add(Chem.featurize(s));
            refCanon.add(Chem.canonicalSmiles(s));
            refScaf.add(Chem.scaffold(s));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    for (int rep = 0; rep < 50; rep++) {
                        for (int i = 0; i < SMILES.size(); i++) {
                            String s = SMILES.get(i);
                            MolGraph g = Chem.featurize(s);
                            assertArrayEquals(ref.get(i).atomFeatures(), g.atomFeatures(), s);
                            assertArrayEquals(ref.get(i).bondFeatures(), g.bondFeatures(), s);
                            assertEquals(refCanon.get(i), Chem.canonicalSmiles(s), s);
                            assertEquals(refScaf.get(i), Chem.scaffold(s), s);
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : futures) {
                assertEquals(true, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
