package gear.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.TestData;
import gear.chem.MolGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheTest {
    @TempDir
    Path cache;

    private static MoleculeDataset freesolv() {
        return CsvLoader.of(TestData.data("freesolv_hydration.csv")).targetColumns(List.of("dG_hyd_expt_kcalmol"))
                .policy(InvalidPolicy.SKIP).load().dataset();
    }

    private static void assertSameGraph(MolGraph a, MolGraph b) {
        assertEquals(a.smiles(), b.smiles());
        assertEquals(a.nAtoms(), b.nAtoms());
        assertArrayEquals(a.atomFeatures(), b.atomFeatures());
        assertArrayEquals(a.bondFeatures(), b.bondFeatures());
        assertArrayEquals(a.bondBegin(), b.bondBegin());
        assertArrayEquals(a.bondEnd(), b.bondEnd());
    }

    @Test
    void memoryThenDiskThenCorruptRebuild() throws IOException {
        MoleculeDataset a = freesolv();
        FeatureCache.Stats s1 = FeatureCache.featurize(a, 2, cache);
        assertEquals(a.size(), s1.featurized());
        assertTrue(Files.isRegularFile(s1.cacheFile()));
        assertTrue(s1.warnings().isEmpty(), s1.warnings().toString());

        FeatureCache.Stats again = FeatureCache.featurize(a, 2, cache);
        assertEquals(a.size(), again.inMemory());
        assertEquals(0, again.featurized());
        MoleculeDataset sub = a.subset(new int[] {5, 3});
        assertSame(a.graph(3), sub.graph(1), "subsets share the in-memory graphs");

        MoleculeDataset b = freesolv();
        FeatureCache.Stats s2 = FeatureCache.featurize(b, 1, cache);
        assertEquals(b.size(), s2.fromDisk());
        assertEquals(0, s2.featurized());
        for (int i = 0; i < a.size(); i += 17) {
            assertSameGraph(a.graph(i), b.graph(i));
        }

        byte[] bytes = Files.readAllBytes(s1.cacheFile());
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(s1.cacheFile(), bytes);
        MoleculeDataset c = freesolv();
        FeatureCache.Stats s3 = FeatureCache.featurize(c, 1, cache);
        assertEquals(1, s3.warnings().size());
        assertTrue(s3.warnings().get(0).contains("rebuilding"), s3.warnings().get(0));
        assertEquals(c.size(), s3.featurized());
        FeatureCache.Stats s4 = FeatureCache.featurize(freesolv(), 1, cache);
        assertEquals(c.size(), s4.fromDisk(), "rebuilt file is valid again");

        Files.write(s1.cacheFile(), new byte[] {1, 2, 3});
        assertEquals(1, FeatureCache.featurize(freesolv(), 1, cache).warnings().size());
    }

    @Test
    void cacheKeyDependsOnContent(@TempDir Path dir) throws IOException {
        Path f1 = dir.resolve("a.csv");
        Path f2 = dir.resolve("b.csv");
        Files.writeString(f1, "smiles,y\nCCO,1\nCCN,2\n");
        Files.writeString(f2, "smiles,y\nCCO,1\nCCC,2\n");
        MoleculeDataset a = CsvLoader.load(f1);
        MoleculeDataset b = CsvLoader.load(f2);
        assertTrue(!FeatureCache.cacheFile(cache, a).equals(FeatureCache.cacheFile(cache, b)));
        FeatureCache.featurize(a, 1, cache);
        assertEquals(0, FeatureCache.featurize(b, 1, cache).fromDisk());
        assertEquals(16, FeatureCache.featurizerVersion().length());
    }

    @Test
    void lazyGraphAndInvalidInMemorySmiles(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.csv");
        Files.writeString(f, "smiles,y\nCCO,1\n");
        MoleculeDataset ds = CsvLoader.load(f);
        assertTrue(ds.graph(0).nAtoms() == 3);
        BadInputException e = assertThrows(BadInputException.class,
                () -> MoleculeDataset.of("mem", List.of("C1CC"), new double[][] {{1}}, List.of("y")));
        assertTrue(e.getMessage().contains("molecule 0"), e.getMessage());
    }
}
