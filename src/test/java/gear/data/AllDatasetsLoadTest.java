package gear.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.TestData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every registry data set of the mirror loads (skip policy) without crashing; bad rows are reported. */
@Tag("slow")
class AllDatasetsLoadTest {
    @Test
    void everyRegistrySetLoads() {
        for (DatasetInfo d : DatasetRegistry.load().datasets()) {
            CsvLoader.Result r = CsvLoader.of(TestData.data(d.file())).policy(InvalidPolicy.SKIP).load();
            assertEquals(d.rows(), r.report().rowsRead(), d.name());
            assertEquals(d.rows(), r.dataset().size() + r.report().badRows().size() + r.report().rowsWithoutValue(), d.name());
            assertTrue(r.dataset().size() > 0.8 * d.rows(), d.name() + ": " + r.report().summary());
            System.out.println(r.report().summary() + "; targets " + r.dataset().targetNames() + "; notes " + r.report().notes());
        }
    }
}
