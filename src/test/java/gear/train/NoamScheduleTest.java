package gear.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NoamScheduleTest {
    @Test
    void chempropDefaultsOnEsolSizedData() {
        // 902 training molecules, batch 50: 18 steps per epoch (floor), warm-up 36 steps, 540 in total
        long spe = NoamSchedule.stepsPerEpoch(902, 50);
        assertEquals(18, spe);
        NoamSchedule s = new NoamSchedule(2, 30, spe, 1e-4, 1e-3, 1e-4);
        assertEquals(36, s.warmupSteps());
        assertEquals(540, s.totalSteps());
        assertEquals(1e-4, s.lr(0), 1e-18);
        assertEquals(1e-4 + 9e-4 / 36, s.lr(1), 1e-15);
        assertEquals(1e-3, s.lr(36), 1e-15);
        assertEquals(1e-3 * Math.pow(0.1, 1.0 / 504), s.lr(37), 1e-15);
        assertEquals(1e-4, s.lr(540), 1e-15);
        assertEquals(1e-4, s.lr(600), 0);
        for (long k = 1; k <= 540; k++) {
            if (k <= 36) {
                assertTrue(s.lr(k) > s.lr(k - 1));
            } else {
                assertTrue(s.lr(k) < s.lr(k - 1));
            }
        }
    }

    @Test
    void noWarmupStartsAtMax() {
        NoamSchedule s = new NoamSchedule(0, 2, 5, 1e-4, 1e-3, 1e-5);
        assertEquals(1e-3, s.lr(0), 1e-18);
        assertEquals(1e-5, s.lr(10), 1e-17);
    }
}
