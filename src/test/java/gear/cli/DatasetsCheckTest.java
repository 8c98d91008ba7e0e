package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsCheckTest {
    @TempDir
    Path dir;

    @Test
    void cleanFileExitsZero() throws IOException {
        Path f = dir.resolve("ok.csv");
        Files.writeString(f, "smiles,y\nCCO,1\nCCN,2\n");
        MainTest.Result r = MainTest.run("datasets", "check", f.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("2 data rows, 2 kept, 0 bad"), r.out());
    }

    @Test
    void badRowsListedWithLinesAndExitTwo() throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "smiles,y\nCCO,1\nC1CC,2\nCCN,x\n");
        MainTest.Result r = MainTest.run("datasets", "check", f.toString(), "-t", "y");
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.out().contains(f + ": line 3 (data row 1): unparsable SMILES 'C1CC'"), r.out());
        assertTrue(r.out().contains(f + ": line 4 (data row 2): non-numeric target 'y' = 'x'"), r.out());
        assertTrue(r.out().contains("3 data rows, 1 kept, 2 bad"), r.out());
    }

    @Test
    void missingColumnIsBadInput() throws IOException {
        Path f = dir.resolve("ok.csv");
        Files.writeString(f, "smiles,y\nCCO,1\n");
        MainTest.Result r = MainTest.run("datasets", "check", f.toString(), "-t", "logS");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("available columns: smiles, y"), r.err());
    }

    @Test
    void namedDataSetInDataDir() {
        Path esol = TestData.data("esol_delaney_logS.csv");
        MainTest.Result r = MainTest.run("datasets", "check", "esol_delaney_logS", "--data-dir", esol.getParent().toString(),
                "-t", "logS_exp_molL");
        assertTrue(r.out().contains("1128 data rows"), r.out() + r.err());
        assertEquals(r.out().contains(" 0 bad") ? 0 : 2, r.code());
    }
}
