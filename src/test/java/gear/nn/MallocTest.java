package gear.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MallocTest {
    @Test
    void addsBothThresholdsToAnEnvironmentWithoutThem() {
        Map<String, String> env = new HashMap<>(Map.of("PATH", "/bin"));
        Malloc.apply(env);
        assertEquals(Map.of("PATH", "/bin", "MALLOC_TRIM_THRESHOLD_", "268435456", "MALLOC_MMAP_THRESHOLD_", "268435456"), env);
    }

    @Test
    void keepsAValueTheUserAlreadySet() {
        Map<String, String> env = new HashMap<>(Map.of("MALLOC_TRIM_THRESHOLD_", "0"));
        Malloc.apply(env);
        assertEquals("0", env.get("MALLOC_TRIM_THRESHOLD_"));
        assertEquals("268435456", env.get("MALLOC_MMAP_THRESHOLD_"));
    }

    /** The launcher script exports the same values, each only when the user has not set it. */
    @Test
    void theLauncherScriptExportsTheSameValues() throws Exception {
        String script = Files.readString(Path.of("gear"));
        for (Map.Entry<String, String> e : Malloc.defaults().entrySet()) {
            String k = e.getKey();
            assertTrue(script.contains(k + "=\"${" + k + ":-" + e.getValue() + "}\""), "gear launcher: " + k + " with a kept user value");
        }
    }

    @Test
    void describesOnlyTheAllocatorVariablesSorted() {
        assertEquals("glibc defaults", Malloc.describe(Map.of("PATH", "/bin")));
        assertEquals("MALLOC_ARENA_MAX=2 MALLOC_TRIM_THRESHOLD_=5",
                Malloc.describe(Map.of("MALLOC_TRIM_THRESHOLD_", "5", "PATH", "/bin", "MALLOC_ARENA_MAX", "2")));
    }
}
