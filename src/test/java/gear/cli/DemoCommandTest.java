package gear.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest {

    @Test
    void demoWritesTheDataSetAndExitsZero(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("out");
        assertEquals(0, Main.run("demo", "-o", dir.toString(), "--data-only"));
        List<String> source = Files.readAllLines(dir.resolve("source_tb.csv"));
        List<String> target = Files.readAllLines(dir.resolve("target_tc.csv"));
        assertEquals("smiles,Tb_joback_K", source.get(0));
        assertEquals("smiles,Tc_joback_K", target.get(0));
        assertTrue(source.size() > 1500, "source rows " + source.size());
        assertEquals(401, target.size());
        assertTrue(Files.readString(dir.resolve("README.txt")).contains("NOT MEASUREMENTS"));
    }

    @Test
    void printsCountsAndSaysWhichStagesRan(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("seeded");
        MainTest.Result r = MainTest.run("demo", "--output-dir", dir.toString(), "--seed", "3", "--data-only");
        assertEquals(0, r.code(), r.err());
        int rows = Files.readAllLines(dir.resolve("source_tb.csv")).size() - 1;
        assertTrue(r.out().contains(rows + " molecules"), r.out());
        assertTrue(r.out().contains("400 molecules"), r.out());
        assertTrue(r.out().contains("stages run: data"), r.out());
        assertTrue(r.out().contains("seed 3"), r.out());
        // the seed reaches the data: same seed, same bytes
        Path again = tmp.resolve("again");
        assertEquals(0, Main.run("demo", "-o", again.toString(), "--seed", "3", "--data-only"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("target_tc.csv")), Files.readAllBytes(again.resolve("target_tc.csv")));
    }

    @Test
    void outputPathThatIsAFileIsBadInput(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        MainTest.Result r = MainTest.run("demo", "-o", file.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not a directory"), r.err());
    }

    @Test
    void defaultsAreGearDemoAndSeedZero() {
        DemoCommand cmd = new DemoCommand();
        new CommandLine(cmd).parseArgs();
        assertEquals(Path.of("gear-demo"), cmd.outputDir);
        assertEquals(0L, cmd.seed);
        assertEquals(2, Main.run("demo", "--seed", "notanumber"));
    }

    /** The whole demo at toy size: data, then STL, GATE and GEAR trained for one epoch; table and files. */
    @Test
    void trainsStlGateAndGearAndPrintsTheTable(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("full");
        MainTest.Result r = MainTest.run("demo", "-o", dir.toString(), "--epochs", "1", "--hidden-size", "32");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("stages run: data, train"), r.out());
        for (String m : new String[] {"stl", "gate", "gear"}) {
            assertTrue(r.out().contains("| " + m + " |"), r.out());
            assertTrue(Files.isRegularFile(dir.resolve("runs").resolve(m).resolve("model.gear")), m);
        }
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertEquals(4, csv.size(), csv.toString());
        for (String line : csv.subList(1, 4)) {
            double rmse = Double.parseDouble(line.split(",")[1]);
            assertTrue(rmse > 0 && Double.isFinite(rmse), line);
        }
        assertTrue(Files.size(dir.resolve("rmse.png")) > 1000);
        assertTrue(Files.readString(dir.resolve("summary.md")).contains("not measurements"));
    }
}
