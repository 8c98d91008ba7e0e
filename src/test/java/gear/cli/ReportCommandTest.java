package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.experiment.report.ReportFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {

    @Test
    void writesReportHtmlInTheRunDirectoryByDefault(@TempDir Path tmp) throws Exception {
        Path dir = ReportFixtures.trainRun(tmp.resolve("run"), 5);
        MainTest.Result r = MainTest.run("report", dir.toString());
        assertEquals(0, r.code(), r.err());
        Path page = dir.resolve("report.html");
        assertTrue(Files.isRegularFile(page));
        assertEquals(page.toString(), r.out().strip());
        assertTrue(r.err().contains("2 images"), r.err());
        ReportFixtures.parse(page);
    }

    @Test
    void outputOptionAndBadDirectory(@TempDir Path tmp) throws Exception {
        Path dir = ReportFixtures.grid(tmp.resolve("grid"), 4);
        Path out = tmp.resolve("elsewhere/page.html");
        assertEquals(0, Main.run("report", dir.toString(), "-o", out.toString()));
        assertTrue(Files.isRegularFile(out));
        assertTrue(Files.notExists(dir.resolve("report.html")));
        MainTest.Result bad = MainTest.run("report", tmp.resolve("nope").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("nope") && bad.err().contains("not a directory"), bad.err());
        assertEquals(2, Main.run("report"));
    }
}
