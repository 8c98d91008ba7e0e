package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.chem.Chem;
import gear.chem.InvalidSmilesException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gear datasets overlap}: the same molecule, stereoisomers and other forms of a parent, counted and listed. */
class DatasetsOverlapTest {
    @TempDir
    Path dir;

    private static String c(String s) throws InvalidSmilesException {
        return Chem.canonicalSmiles(s);
    }

    private void write() throws IOException {
        Files.writeString(dir.resolve("src.csv"), "smiles,y\nC[C@H](N)O,1\nCCO,2\nCl.NCCc1ccccc1,3\nCCCC,4\nCC(N)O,\n");
        // OCC: the same as CCO; C[C@@H](N)O: a stereoisomer; NCCc1ccccc1: the parent of the salt; c1ccccc1: none;
        // CC(N)O: in the source file only without a value, so a stereoisomer (of C[C@H](N)O), not the same
        Files.writeString(dir.resolve("tgt.csv"), "smiles,z\nOCC,1\nC[C@@H](N)O,2\nNCCc1ccccc1,3\nc1ccccc1,4\nCC(N)O,5\n"
                + "C1CC,6\n");
    }

    @Test
    void countsEachTargetMoleculeInItsFirstClassAndListsTheTwins() throws Exception {
        write();
        Path out = dir.resolve("twins.csv");
        MainTest.Result r = MainTest.run("datasets", "overlap", dir.resolve("src.csv") + ":y", dir.resolve("tgt.csv") + ":z",
                "-o", out.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        // 5 valid target molecules (C1CC is skipped), 4 labelled source molecules; 1 same, 2 stereoisomers, 1 parent
        assertTrue(r.out().matches("(?s).*source-target\\s+5\\s+4\\s+1\\s+2\\s+1\\s+3 \\(60\\.00 %\\).*"), r.out());
        List<String> lines = Files.readAllLines(out);
        assertEquals("pair,target_row,target_smiles,source_smiles,kind", lines.get(0));
        assertEquals(List.of(
                "source-target,1," + c("C[C@@H](N)O") + "," + c("C[C@H](N)O") + ",stereoisomer",
                "source-target,2," + c("NCCc1ccccc1") + "," + c("Cl.NCCc1ccccc1") + ",same_parent",
                "source-target,4," + c("CC(N)O") + "," + c("C[C@H](N)O") + ",stereoisomer"), lines.subList(1, lines.size()));
    }

    @Test
    void pairsFileTaskSetsCompareEverySource() throws Exception {
        write();
        Files.writeString(dir.resolve("src2.csv"), "smiles,w\nc1ccccc1,1\n");
        Path pairs = dir.resolve("pairs.json");
        String src = dir.resolve("src.csv").toString();
        String tgt = dir.resolve("tgt.csv").toString();
        Files.writeString(pairs, "{\"pairs\": [{\"id\": \"p\", \"source\": {\"dataset\": \"" + src + "\", \"column\": \"y\"}, "
                + "\"target\": {\"dataset\": \"" + tgt + "\", \"column\": \"z\"}},\n"
                + "{\"id\": \"set\", \"sources\": [{\"dataset\": \"" + src + "\", \"column\": \"y\"}, {\"dataset\": \""
                + dir.resolve("src2.csv") + "\", \"column\": \"w\"}], \"target\": {\"dataset\": \"" + tgt + "\", \"column\": \"z\"}}]}");
        MainTest.Result r = MainTest.run("datasets", "overlap", "--pairs", pairs.toString(), "--data-dir", dir.toString(),
                "--pair-ids", "set");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().matches("(?s).*set:y\\s+5\\s+4\\s+1\\s+2\\s+1\\s+3 .*"), r.out());
        assertTrue(r.out().matches("(?s).*set:w\\s+5\\s+1\\s+1\\s+0\\s+0\\s+0 \\(0\\.00 %\\).*"), r.out());
        assertFalse(r.out().contains("\np "), r.out());
        MainTest.Result bad = MainTest.run("datasets", "overlap", "--pairs", pairs.toString(), "--data-dir", dir.toString(),
                "--pair-ids", "nope");
        assertEquals(2, bad.code(), bad.out() + bad.err());
        assertTrue(bad.err().contains("--pair-ids: no pair 'nope'"), bad.err());
    }

    @Test
    void badArgumentsAreBadInput() throws Exception {
        write();
        String s = dir.resolve("src.csv") + ":y";
        String t = dir.resolve("tgt.csv") + ":z";
        MainTest.Result one = MainTest.run("datasets", "overlap", s);
        assertEquals(2, one.code());
        assertTrue(one.err().contains("SOURCE:COLUMN TARGET:COLUMN"), one.err());
        MainTest.Result noColumn = MainTest.run("datasets", "overlap", s, dir.resolve("tgt.csv").toString());
        assertEquals(2, noColumn.code());
        assertTrue(noColumn.err().contains("expected DATA:COLUMN"), noColumn.err());
        MainTest.Result wrongColumn = MainTest.run("datasets", "overlap", s, dir.resolve("tgt.csv") + ":logS");
        assertEquals(2, wrongColumn.code());
        assertTrue(wrongColumn.err().contains("logS"), wrongColumn.err());
        MainTest.Result both = MainTest.run("datasets", "overlap", s, t, "--pairs", dir.resolve("p.json").toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("not both"), both.err());
        Path blocked = dir.resolve("file");
        Files.writeString(blocked, "x");
        MainTest.Result unwritable = MainTest.run("datasets", "overlap", s, t, "-o", blocked.resolve("twins.csv").toString());
        assertEquals(2, unwritable.code(), unwritable.out() + unwritable.err());
        assertFalse(unwritable.err().contains("\tat "), "no stack trace: " + unwritable.err());
    }
}
