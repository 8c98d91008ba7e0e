package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input of every kind ends in exit 2 with one line naming the file (and the row or tensor), never
 * a stack trace: unreadable or binary inputs, outputs that are directories or lie under a file, a
 * data directory that is a file, corrupt and NaN-weight model files, a target too small to train.
 */
class FailureExitCodesTest {
    @TempDir
    static Path dir;
    static Path csv;
    static Path model;
    static Path transferModel;

    @BeforeAll
    static void models() throws Exception {
        csv = dir.resolve("tgt.csv");
        Path src = dir.resolve("src.csv");
        TransferCommandTest.write(src, "a", 80, 1, 2.0);
        TransferCommandTest.write(csv, "b", 40, 2, 3.0);
        Path run = dir.resolve("train");
        assertEquals(0, Main.run("train", "-i", csv.toString(), "-o", run.toString(), "--epochs", "1", "--hidden-size", "16",
                "--cache-dir", "none", "-q"));
        model = run.resolve("model.gear");
        Path trun = dir.resolve("transfer");
        assertEquals(0, Main.run("transfer", "--source", src.toString(), "--source-column", "a", "--target", csv.toString(),
                "--target-column", "b", "--method", "gear", "-o", trun.toString(), "--epochs", "1", "--pretrain-epochs", "1",
                "--batch-size", "20", "--hidden-size", "16", "--latent-size", "4", "--common-size", "6", "--curv-subset", "4",
                "-q"));
        transferModel = trun.resolve("model.gear");
    }

    /** Asserts exit 2 and a one-line message on stderr that contains every given fragment. */
    static MainTest.Result bad(String[] args, String... fragments) {
        MainTest.Result r = MainTest.run(args);
        assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "stderr lacks '" + f + "':\n" + r.err());
        }
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception in"), "a stack trace:\n" + r.err());
        return r;
    }

    @Test
    void binaryInputToPredictAndCurvatureNamesTheFile() throws IOException {
        Path bin = dir.resolve("binary.csv");
        byte[] b = new byte[4096];
        new java.util.Random(1).nextBytes(b);
        Files.write(bin, b);
        bad(new String[] {"predict", "-i", bin.toString(), "--model", model.toString(), "-o", dir.resolve("p.csv").toString()},
                bin.toString(), "not UTF-8");
        bad(new String[] {"curvature", "-i", bin.toString(), "--model", transferModel.toString(), "-o",
            dir.resolve("c.csv").toString()}, bin.toString(), "not UTF-8");
    }

    @Test
    void unreadableInputNamesTheFile() throws IOException {
        Path f = dir.resolve("secret.csv");
        Files.copy(csv, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        try {
            Assumptions.assumeFalse(Files.isReadable(f), "skipped: running as root, permissions do not stop reads");
            bad(new String[] {"predict", "-i", f.toString(), "--model", model.toString(), "-o", dir.resolve("p.csv").toString()},
                    f.toString());
            bad(new String[] {"curvature", "-i", f.toString(), "--model", transferModel.toString(), "-o",
                dir.resolve("c.csv").toString()}, f.toString());
            bad(new String[] {"train", "-i", f.toString(), "-o", dir.resolve("r").toString()}, f.toString());
        } finally {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    @Test
    void outputThatIsADirectoryOrUnderAFileNamesThePath() throws IOException {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        Path outDir = Files.createDirectories(dir.resolve("out-dir"));
        bad(new String[] {"predict", "-i", csv.toString(), "--model", model.toString(), "-o", outDir.toString()},
                outDir.toString(), "is a directory");
        bad(new String[] {"predict", "-i", csv.toString(), "--model", model.toString(), "-o", file.resolve("p.csv").toString()},
                file.toString());
        bad(new String[] {"curvature", "-i", csv.toString(), "--model", transferModel.toString(), "-o", outDir.toString()},
                outDir.toString(), "is a directory");
        bad(new String[] {"train", "-i", csv.toString(), "-o", file.toString(), "--epochs", "1", "--cache-dir", "none", "-q"},
                file.toString());
        assertEquals("x", Files.readString(file), "the file in the way is untouched");
    }

    @Test
    void dataDirThatIsAFileIsRefused() throws IOException {
        Path file = dir.resolve("not-a-dir");
        Files.writeString(file, "x");
        bad(new String[] {"datasets", "check", "esol_delaney_logS", "--data-dir", file.toString()}, file.toString(),
                "--data-dir is a file");
        bad(new String[] {"datasets", "get", "esol_delaney_logS", "--data-dir", file.toString(), "--from", dir.toString()},
                file.toString());
    }

    /** @return a copy of {@code m} whose header text is rewritten by {@code edit} */
    static Path editHeader(Path m, Path out, java.util.function.UnaryOperator<String> edit) throws IOException {
        byte[] all = Files.readAllBytes(m);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String h = edit.apply(new String(all, 8, (int) n, StandardCharsets.UTF_8));
        byte[] hb = h.getBytes(StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOfRange(all, 8 + (int) n, all.length);
        ByteBuffer b = ByteBuffer.allocate(8 + hb.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(hb.length).put(hb).put(data);
        Files.write(out, b.array());
        return out;
    }

    /** @return a copy of {@code m} with the first weight of its data section set to NaN */
    static Path withNaN(Path m, Path out) throws IOException {
        byte[] all = Files.readAllBytes(m);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ByteBuffer.wrap(all, 8 + (int) n, 4).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN);
        Files.write(out, all);
        return out;
    }

    @Test
    void nanWeightModelsAreRefusedNamingFileAndTensor() throws IOException {
        Path nan = withNaN(model, dir.resolve("nan.gear"));
        bad(new String[] {"predict", "-i", csv.toString(), "--model", nan.toString(), "-o", dir.resolve("p.csv").toString()},
                nan.toString(), "non-finite weight");
        Path tnan = withNaN(transferModel, dir.resolve("tnan.gear"));
        bad(new String[] {"curvature", "-i", csv.toString(), "--model", tnan.toString(), "-o", dir.resolve("c.csv").toString()},
                tnan.toString(), "non-finite weight");
        assertFalse(Files.exists(dir.resolve("c.csv")));
    }

    @Test
    void headerClaimingAHugeHiddenSizeIsBadInputNotOutOfMemory() throws IOException {
        Path huge = editHeader(model, dir.resolve("huge.gear"),
                h -> h.replaceAll("(hidden_size\\\\\":)\\d+", "$11000000000"));
        assertTrue(Files.readString(huge, StandardCharsets.ISO_8859_1).contains("1000000000"), "header edited");
        bad(new String[] {"predict", "-i", csv.toString(), "--model", huge.toString(), "-o", dir.resolve("p.csv").toString()},
                huge.toString(), "hidden_size 1000000000");
        Path thuge = editHeader(transferModel, dir.resolve("thuge.gear"),
                h -> h.replaceAll("(hidden_size\\\\\":)\\d+", "$11000000000"));
        bad(new String[] {"curvature", "-i", csv.toString(), "--model", thuge.toString(), "-o", dir.resolve("c.csv").toString()},
                thuge.toString(), "hidden_size 1000000000");
    }

    @Test
    void trailingBytesInAModelFileAreRefused() throws IOException {
        Path t = dir.resolve("trailing.gear");
        Files.write(t, Files.readAllBytes(model));
        Files.write(t, new byte[] {0, 0, 0, 0}, java.nio.file.StandardOpenOption.APPEND);
        bad(new String[] {"predict", "-i", csv.toString(), "--model", t.toString(), "-o", dir.resolve("p.csv").toString()},
                t.toString(), "trailing bytes");
    }

    @Test
    void aTargetTooSmallToTrainIsRefusedNamingTheFile() throws Exception {
        Path tiny = dir.resolve("tiny.csv");
        Files.writeString(tiny, "smiles,b\nCCO,1\nCCN,2\n");
        bad(new String[] {"transfer", "--source", csv.toString(), "--source-column", "b", "--target", tiny.toString(),
            "--target-column", "b", "--method", "stl", "-o", dir.resolve("tiny-run").toString(), "--epochs", "1", "-q"},
                tiny.toString());
        assertFalse(Files.exists(dir.resolve("tiny-run").resolve("model.gear")), "no model of a run that cannot train");
    }

    @Test
    void aLongChainAndPseudoAtomsAreRowsNotCrashes() throws IOException {
        Path f = dir.resolve("chains.csv");
        Files.writeString(f, "smiles,y\nCCO,1\n" + "C".repeat(6000) + ",2\n[Xx]CC,3\n*C,4\nCC[R],5\nCCN,6\n");
        MainTest.Result r = MainTest.run("datasets", "check", f.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.out().contains("line 4 (data row 2): ") && r.out().contains("pseudo-atom"), r.out());
        assertTrue(r.out().contains("line 6 (data row 4)"), r.out());
        assertTrue(r.out().contains("6 data rows, 3 kept, 3 bad"), r.out());
        Path pred = dir.resolve("chains-pred.csv");
        MainTest.Result p = MainTest.run("predict", "-i", f.toString(), "--model", model.toString(), "-o", pred.toString(),
                "--invalid", "skip");
        assertEquals(0, p.code(), p.err());
        String[] chain = Files.readAllLines(pred).get(2).split(",", -1); // smiles, prediction, reason
        assertTrue(chain[0].startsWith("CCCCCCCC") && !chain[1].isEmpty() && chain[2].isEmpty(),
                "the 6,000-atom chain is predicted: " + String.join(",", chain).replaceAll("C{20,}", "C..."));
    }

    @Test
    @org.junit.jupiter.api.Tag("faults")
    void predictOntoAFullDiskKeepsTheEarlierPredictions() throws IOException {
        Path out = dir.resolve("full-disk").resolve("pred.csv");
        assertEquals(0, Main.run("predict", "-i", csv.toString(), "--model", model.toString(), "-o", out.toString()));
        byte[] before = Files.readAllBytes(out);
        gear.data.AtomicFiles.injectFaults(s -> new gear.data.AtomicFilesFaultTest.DiskFull(s, 100));
        try {
            bad(new String[] {"predict", "-i", csv.toString(), "--model", model.toString(), "-o", out.toString()},
                    out.toString(), "No space left on device");
        } finally {
            gear.data.AtomicFiles.injectFaults(null);
        }
        assertTrue(Arrays.equals(before, Files.readAllBytes(out)), "earlier predictions intact");
        try (var s = Files.list(out.getParent())) {
            assertEquals(1, s.count(), "no temporary file left");
        }
    }
}
