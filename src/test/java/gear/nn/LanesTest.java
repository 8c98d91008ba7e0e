package gear.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;

/** The lanes' scopes: a release queued without waiting, and background tasks behind it that run outside any scope. */
class LanesTest {
    @Test
    void backgroundTaskAfterReleaseRunsOutsideAnyScope() throws Exception {
        try (Lanes lanes = new Lanes(2)) {
            boolean[] scoped = new boolean[2];
            lanes.run(k -> scoped[k] = PointerScope.getInnerScope() != null);
            assertTrue(scoped[1], "lane 1 runs its step tasks in its own scope");
            lanes.release();
            // queued behind the release: the lane's scope is closed by then
            assertNull(lanes.background(PointerScope::getInnerScope).get());
            assertEquals(0, lanes.openScopes());
            lanes.run(k -> scoped[k] = PointerScope.getInnerScope() != null);
            assertTrue(scoped[1], "the next step's tasks open a new scope");
            assertEquals(1, lanes.openScopes());
            lanes.release();
            assertEquals(0, lanes.openScopes());
        }
        try (Lanes one = new Lanes(1)) {
            assertThrows(IllegalStateException.class, () -> one.background(() -> 1));
        }
    }
}
