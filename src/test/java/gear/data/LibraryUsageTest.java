package gear.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.TestData;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The data layer is usable on its own: load, split, scale with the gear.data API only. */
class LibraryUsageTest {
    @Test
    void loadSplitScale() {
        CsvLoader.Result loaded = CsvLoader.of(TestData.data("freesolv_hydration.csv"))
                .targetColumns(List.of("dG_hyd_expt_kcalmol")).policy(InvalidPolicy.SKIP).load();
        MoleculeDataset ds = loaded.dataset();
        assertEquals(642, loaded.report().rowsRead());
        Split split = SplitType.RANDOM.split(ds, SplitSizes.DEFAULT, 0);
        MoleculeDataset train = split.trainSet(ds);
        StandardScaler scaler = StandardScaler.fit(train);
        double[][] z = scaler.transform(train.targets());
        double mean = 0;
        for (double[] r : z) {
            mean += r[0];
        }
        assertEquals(0, mean / z.length, 1e-9, "standardized training targets have mean 0");
        double[] back = scaler.inverseTransform(z[0]);
        assertEquals(train.target(0, 0), back[0], 1e-9);
        MoleculeDataset test = split.testSet(ds);
        assertEquals(ds.size() - split.train().length - split.val().length, test.size());
        assertTrue(test.graph(0).nAtoms() > 0);
    }

    @Test
    void selectTargetsAndSubsetKeepProvenance() {
        MoleculeDataset ds = CsvLoader.of(TestData.data("freesolv_hydration.csv")).policy(InvalidPolicy.SKIP).load().dataset();
        assertEquals(List.of("dG_hyd_expt_kcalmol", "dG_expt_unc_kcalmol", "dG_hyd_calc_gaff_kcalmol", "dG_calc_unc_kcalmol"),
                ds.targetNames());
        MoleculeDataset one = ds.selectTargets(List.of("dG_hyd_calc_gaff_kcalmol"));
        assertEquals(ds.target(7, 2), one.target(7, 0));
        MoleculeDataset sub = one.subset(new int[] {9, 4});
        assertEquals(ds.rowIndex(9), sub.rowIndex(0));
        assertEquals(ds.sourceSha256(), sub.sourceSha256());
        assertEquals(ds.dataRowCount(), sub.dataRowCount());
        assertTrue(sub.where(1).contains("line " + (ds.rowIndex(4) + 2)), sub.where(1));
    }
}
