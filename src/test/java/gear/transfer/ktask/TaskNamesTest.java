package gear.transfer.ktask;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link TaskNames}: columns where distinct, FILE_STEM.COLUMN where shared, then a counter. */
class TaskNamesTest {
    @Test
    void distinctColumnsAreTheNames() {
        assertEquals(List.of("Tb_K", "mp_C", "flashpoint_K"), TaskNames.of(List.of("d/nist.csv", "d/mp.csv", "d/fp.csv"),
                List.of("Tb_K", "mp_C", "flashpoint_K")));
    }

    @Test
    void sharedColumnsTakeTheirFilesStemsAndOnlyThey() {
        assertEquals(List.of("aqsoldb.logS", "esol.logS", "mp_C"), TaskNames.of(List.of("/data/aqsoldb.csv",
                "rel/esol.CSV", "mp.csv"), List.of("logS", "logS", "mp_C")));
        // a registry name has no extension; equal stems in two directories get a counter, in task order
        assertEquals(List.of("x.y", "x.y_2", "qm9.y"), TaskNames.of(List.of("a/x.csv", "b/x.csv", "qm9"),
                List.of("y", "y", "y")));
        // a name that a shared column's rule gives can equal a plain column: the later task gets the counter
        assertEquals(List.of("a.y", "a.y_2", "b.y"), TaskNames.of(List.of("z.csv", "a.csv", "b.csv"),
                List.of("a.y", "y", "y")));
    }
}
