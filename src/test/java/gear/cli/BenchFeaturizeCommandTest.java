package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gear bench featurize}: JSON lines on a small file, exit code 2 for a missing or bad file. */
class BenchFeaturizeCommandTest {
    @Test
    void printsOneJsonObjectPerPass(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("mols.csv");
        Files.writeString(csv, "name,SMILES\na,CCO\nb,c1ccccc1\nc,not_a_smiles\n");
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            rc = Main.run("bench", "featurize", "-i", csv.toString(), "--repeats", "2", "--warmup", "0");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, rc);
        String[] lines = buf.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(2, lines.length);
        JsonNode j = new ObjectMapper().readTree(lines[1]);
        assertEquals("featurize", j.get("bench").asText());
        assertEquals(3, j.get("molecules").asInt());
        assertEquals(1, j.get("failed").asInt());
        assertEquals(1, j.get("threads").asInt());
        assertTrue(j.get("molecules_per_second").asDouble() > 0);
    }

    @Test
    void missingFileIsBadInput(@TempDir Path dir) {
        assertEquals(2, Main.run("bench", "featurize", "--data-dir", dir.toString()));
        assertEquals(2, Main.run("bench", "featurize", "-i", dir.resolve("absent.csv").toString()));
    }

    @Test
    void fileWithoutSmilesColumnIsBadInput(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("x.csv");
        Files.writeString(csv, "a,b\n1,2\n");
        assertEquals(2, Main.run("bench", "featurize", "-i", csv.toString()));
    }
}
