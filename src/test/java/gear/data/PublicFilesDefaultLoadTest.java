package gear.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The public files that hold repeated molecules load with the default options (bad rows fail the
 * load, repeated molecules are kept with a warning), as chemprop trains on them; skipped with a reason
 * when the shared data directory is absent.
 */
class PublicFilesDefaultLoadTest {
    @ParameterizedTest
    @ValueSource(strings = {"esol_delaney_logS.csv", "qm8_excitations.csv", "qm9_subset.csv",
        "nist_tde_boiling_point.csv", "nist_tde_critical_temperature.csv"})
    void loadsWithDefaultOptions(String file) {
        CsvLoader.Result r = CsvLoader.of(TestData.data(file)).load(); // InvalidPolicy.FAIL, DuplicatePolicy.KEEP
        LoadReport rep = r.report();
        assertTrue(rep.clean(), rep.describeBadRows(5));
        assertEquals(rep.rowsRead(), r.dataset().size() + rep.rowsWithoutValue(), rep.summary());
        assertTrue(rep.warnings().stream().anyMatch(w -> w.contains("on more than one row")),
                file + " is known to hold repeated molecules: " + rep.warnings());
    }

    @ParameterizedTest
    @ValueSource(strings = {"esol_delaney_logS.csv"})
    void esolKeepsAllRowsSoChempropSplitIndicesApply(String file) {
        CsvLoader.Result r = CsvLoader.of(TestData.data(file)).targetColumns(java.util.List.of("logS_exp_molL")).load();
        assertEquals(1128, r.dataset().size());
        assertEquals(1127, r.dataset().rowIndex(1127));
    }
}
