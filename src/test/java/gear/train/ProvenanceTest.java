package gear.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The build version with its commit (gear_version in config.json and model files). */
class ProvenanceTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void versionCarriesTheCommitAndWhetherTheTreeWasDirty() {
        assertEquals("0.2.0+0123456789", Provenance.versionOf(props("version", "0.2.0", "commit", "0123456789",
                "dirty", "false")));
        assertEquals("0.2.0+0123456789.dirty", Provenance.versionOf(props("version", "0.2.0", "commit", "0123456789",
                "dirty", "true")));
    }

    @Test
    void aBuildWithoutGitKeepsTheVersionAlone() {
        // outside a git clone the filtered placeholders stay as written
        assertEquals("0.2.0", Provenance.versionOf(props("version", "0.2.0", "commit", "${git.commit.id.abbrev}",
                "dirty", "${git.dirty}")));
        assertEquals("0.2.0", Provenance.versionOf(props("version", "0.2.0")));
        assertEquals("unknown", Provenance.versionOf(props()));
    }

    /**
     * Where this build was made in a git clone (CI's clean checkout is one), the recorded commit is the clone's HEAD.
     * A linked worktree or a source archive builds without a commit, which the first assumption skips.
     */
    @Test
    void theBuildsCommitIsTheCheckoutsHead() throws Exception {
        String v = Provenance.buildVersion();
        assertTrue(v.matches("\\d+\\.\\d+.*"), v);
        assumeTrue(v.contains("+") && Files.isDirectory(Path.of(".git")),
                "built outside a git clone (" + v + "): no commit recorded");
        String head = gitHead();
        assumeTrue(head != null, "git is not on the PATH");
        String commit = v.substring(v.indexOf('+') + 1).replace(".dirty", "");
        assertEquals(10, commit.length(), v);
        assertTrue(head.startsWith(commit), "recorded " + commit + ", HEAD " + head);
    }

    private static String gitHead() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        }
    }
}
