package gear.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StandardScalerTest {
    static final double NaN = Double.NaN;

    @Test
    void fitsOnTrainRowsOnlyIgnoringNaN() {
        double[][] y = {{1, 10}, {3, NaN}, {NaN, 30}, {100, 1000}};
        StandardScaler s = StandardScaler.fit(y, new int[] {0, 1, 2}, List.of("a", "b"));
        assertArrayEquals(new double[] {2, 20}, s.means(), 1e-12);
        assertArrayEquals(new double[] {1, 10}, s.stds(), 1e-12); // population std of {1,3} and {10,30}
        assertTrue(s.warnings().isEmpty());
        double[] z = s.transform(new double[] {3, NaN});
        assertEquals(1.0, z[0], 1e-12);
        assertTrue(Double.isNaN(z[1]));
        assertArrayEquals(new double[] {100, 1000}, s.inverseTransform(s.transform(y[3])), 1e-9);
    }

    @Test
    void constantAndEmptyTargetsGetUnitStdWithWarning() {
        double[][] y = {{5, NaN}, {5, NaN}};
        StandardScaler s = StandardScaler.fit(y, new int[] {0, 1}, List.of("c", "e"));
        assertArrayEquals(new double[] {5, 0}, s.means(), 0);
        assertArrayEquals(new double[] {1, 1}, s.stds(), 0);
        assertEquals(2, s.warnings().size());
        assertTrue(s.warnings().get(0).contains("'c' is constant"), s.warnings().toString());
    }

    @Test
    void jsonRoundTripAndValidation() {
        StandardScaler s = new StandardScaler(new double[] {-3.05, 400.25}, new double[] {2.1, 0.1 + 0.2});
        StandardScaler r = StandardScaler.fromJson(s.toJsonString());
        assertArrayEquals(s.means(), r.means(), 0);
        assertArrayEquals(s.stds(), r.stds(), 0);
        assertThrows(BadInputException.class, () -> StandardScaler.fromJson("{\"type\":\"standard\",\"means\":[1],\"stds\":[0]}"));
        assertThrows(BadInputException.class, () -> StandardScaler.fromJson("{\"means\":[1]}"));
        assertThrows(BadInputException.class, () -> StandardScaler.fromJson("not json"));
        assertThrows(IllegalArgumentException.class, () -> s.transform(new double[] {1}));
    }
}
