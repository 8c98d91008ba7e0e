package gear.experiment.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders a report in headless Chromium (Debian package {@code chromium}) with the network
 * disabled and checks from the DOM after load that the browser decoded every inlined image (the
 * page's own script writes the count to {@code data-images-loaded}). Skipped, with the reason, when
 * no Chromium is installed.
 */
class ChromiumRenderTest {

    static Optional<Path> chromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    @Test
    void everyImageDecodesInHeadlessChromium(@TempDir Path tmp) throws Exception {
        Optional<Path> exe = chromium();
        Assumptions.assumeTrue(exe.isPresent(),
                "no chromium on PATH (install the Debian package 'chromium'; .ci/run does)");
        Path dir = ReportFixtures.grid(tmp.resolve("grid"), 8);
        ReportFixtures.trainRun(dir.resolve("cells").resolve("c3"), 10); // a deeper run dir: more images
        assertEquals(6, ReportFixtures.pngCount(dir));
        render(exe.get(), dir, tmp);
    }

    /** The page of a grid with the noise, extrapolation and ablation studies: every study plot decodes too. */
    @Test
    void studyGridImagesDecodeInHeadlessChromium(@TempDir Path tmp) throws Exception {
        Optional<Path> exe = chromium();
        Assumptions.assumeTrue(exe.isPresent(),
                "no chromium on PATH (install the Debian package 'chromium'; .ci/run does)");
        gear.experiment.grid.StudyGridFixture.run(tmp);
        Path dir = tmp.resolve("grid");
        assertEquals(16, ReportFixtures.pngCount(dir), "2 noise, 7 extrapolation, 4 ablation plots and 3 headline plots");
        render(exe.get(), dir, tmp);
    }

    /** The page of a GEAR transfer run with the latent-manifold picture (computed by the report): it decodes. */
    @Test
    void latentManifoldPictureDecodesInHeadlessChromium(@TempDir Path tmp) throws Exception {
        Optional<Path> exe = chromium();
        Assumptions.assumeTrue(exe.isPresent(),
                "no chromium on PATH (install the Debian package 'chromium'; .ci/run does)");
        Path dir = LatentSectionTest.transferRun(tmp.resolve("run"), "gear", true);
        assertEquals(0, ReportFixtures.pngCount(dir), "the picture is not a file of the run: the report draws it");
        String dom = render(exe.get(), dir, tmp, 1);
        assertTrue(dom.contains("Latent manifolds"));
    }

    /**
     * The report of a 100-cell grid at a laptop's width (1280 px): the page is no wider than the window (wide
     * tables scroll inside their own box), every inlined image decodes, and the file is under 2 MB.
     */
    @Test
    void gridReportFitsALaptopScreen(@TempDir Path tmp) throws Exception {
        Optional<Path> exe = chromium();
        Assumptions.assumeTrue(exe.isPresent(),
                "no chromium on PATH (install the Debian package 'chromium'; .ci/run does)");
        Path dir = GridReportFixture.write(tmp.resolve("grid"));
        render(exe.get(), dir, tmp, 3);
        Path report = dir.resolve("report.html");
        assertTrue(Files.size(report) < 2_000_000);
        // with every collapsed block opened (the raw cells: 17 columns, long ids)
        Path open = dir.resolve("open.html");
        Files.writeString(open, Files.readString(report).replace("<details>", "<details open=\"open\">"));
        String dom = load(exe.get(), open, tmp, 3);
        Matcher page = Pattern.compile("data-page-width=\"(\\d+)\"").matcher(dom);
        Matcher view = Pattern.compile("data-view-width=\"(\\d+)\"").matcher(dom);
        assertTrue(page.find() && view.find(), "the page's script recorded its widths");
        int viewWidth = Integer.parseInt(view.group(1));
        assertTrue(viewWidth > 1000 && viewWidth <= 1280, "window width " + viewWidth);
        assertTrue(Integer.parseInt(page.group(1)) <= viewWidth, "page width " + page.group(1) + " > window " + viewWidth);
    }

    /** Renders the report of {@code dir} and checks that the browser decoded every image of the directory. */
    static void render(Path exe, Path dir, Path tmp) throws Exception {
        render(exe, dir, tmp, ReportFixtures.pngCount(dir));
    }

    /**
     * Renders the report of {@code dir} in a 1280 × 800 window and checks that the browser decoded the
     * {@code expected} inlined images.
     *
     * @return the DOM after load
     */
    static String render(Path exe, Path dir, Path tmp, long expected) throws Exception {
        return load(exe, RunReport.write(dir, dir.resolve("report.html")).file(), tmp, expected);
    }

    /** Loads a page in headless Chromium (1280 × 800) and checks the images decoded; returns the DOM after load. */
    static String load(Path exe, Path page, Path tmp, long expected) throws Exception {
        Path profile = Files.createDirectories(tmp.resolve("profile-" + page.getFileName()));
        Path dom = tmp.resolve("dom.html");
        Path err = tmp.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder(exe.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,800", "--user-data-dir=" + profile,
                "--virtual-time-budget=10000", "--dump-dom", page.toUri().toString());
        pb.redirectOutput(dom.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 120 s: " + Files.readString(err));
        }
        String out = Files.readString(dom, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "chromium exit code; stderr: " + Files.readString(err));
        Matcher loaded = Pattern.compile("data-images-loaded=\"(\\d+)\"").matcher(out);
        assertTrue(loaded.find(), "the page's script did not run; DOM starts: "
                + out.substring(0, Math.min(300, out.length())) + "; stderr: " + Files.readString(err));
        Matcher total = Pattern.compile("data-images-total=\"(\\d+)\"").matcher(out);
        assertTrue(total.find());
        assertEquals(expected, Long.parseLong(total.group(1)));
        assertEquals(expected, Long.parseLong(loaded.group(1)), "images the browser decoded");
        return out;
    }
}
