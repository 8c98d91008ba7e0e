package gear.experiment.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.data.StandardScaler;
import gear.nn.Torch;
import gear.train.Provenance;
import gear.transfer.Methods;
import gear.transfer.TransferModel;
import gear.transfer.TransferModelFile;
import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The report of a GEAR transfer run shows the latent-manifold picture with its reading text, drawn from the target
 * data named in config.json, else from test_predictions.csv; a run without transfer maps has no such section.
 */
class LatentSectionTest {
    static final String[] SMILES = {"CCO", "CCCO", "CCCCO", "CC(C)O", "c1ccccc1", "c1ccccc1O", "CC(=O)O", "CCN",
        "CCCN", "CCOC", "CCCl", "CCBr", "C1CCCCC1", "CC=O", "CCC#N", "c1ccncc1", "OCCO", "CCS", "CC(C)(C)O", "CCCCCC"};

    /**
     * A transfer run directory of an untrained model of {@code method} (hidden size 16, d_z 4, d_M 6): model.gear,
     * config.json naming target.csv (20 molecules, column yt), test_predictions.csv (the last 6).
     */
    static Path transferRun(Path dir, String method, boolean withTargetFile) throws Exception {
        Torch.init(1);
        Files.createDirectories(dir);
        TransferOptions o = TransferOptions.defaults().with(TransferSchema.HIDDEN_SIZE, 16).with(TransferSchema.LATENT_SIZE, 4)
                .with(TransferSchema.COMMON_SIZE, 6).with(TransferSchema.MAP_HIDDEN, 8);
        TransferModel m = new TransferModel(Methods.get(method), o, 5, new StandardScaler(new double[] {300}, new double[] {50}),
                new StandardScaler(new double[] {500}, new double[] {80}), "Tb_K", "yt", Provenance.now("", 5));
        TransferModelFile.save(dir.resolve("model.gear"), m, "");
        StringBuilder target = new StringBuilder("smiles,yt\n");
        StringBuilder preds = new StringBuilder("row,smiles,true,predicted\n");
        for (int i = 0; i < SMILES.length; i++) {
            target.append(SMILES[i]).append(',').append(400 + 10 * i).append('\n');
            if (i >= 14) {
                preds.append(i).append(',').append(SMILES[i]).append(',').append(400 + 10 * i).append(",500\n");
            }
        }
        target.append("CCCCCCC,\n"); // unlabelled: not drawn
        Path t = dir.resolve("target.csv");
        if (withTargetFile) {
            Files.writeString(t, target.toString());
        }
        Files.writeString(dir.resolve("test_predictions.csv"), preds.toString());
        Files.writeString(dir.resolve("config.json"), "{\"command\": \"transfer\", \"method\": \"" + method
                + "\", \"target\": " + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(t.toAbsolutePath()
                        .toString()) + ", \"target_column\": \"yt\"}");
        return dir;
    }

    @Test
    void gearRunShowsThePictureFromTheTargetData(@TempDir Path tmp) throws Exception {
        Path dir = transferRun(tmp.resolve("run"), "gear", true);
        RunReport.Summary s = RunReport.write(dir, dir.resolve("report.html"));
        assertTrue(s.sections().contains("Latent manifolds"), s.sections().toString());
        assertEquals(1, s.images());
        String html = Files.readString(s.file());
        assertTrue(html.contains("20 labelled molecules of the target data target.csv"), "all 20 labelled rows drawn");
        assertTrue(html.matches("(?s).*PC 1 explains \\d+\\.\\d %.*"), "the share of variance is stated");
        assertTrue(html.contains("An aligned pair of manifolds looks alike"));
        Document doc = ReportFixtures.parse(s.file()); // well-formed XHTML
        assertEquals(1, doc.getElementsByTagName("img").getLength());
    }

    @Test
    void withoutTheTargetFileTheTestMoleculesAreDrawn(@TempDir Path tmp) throws Exception {
        Path dir = transferRun(tmp.resolve("run"), "gear", false);
        RunReport.Summary s = RunReport.write(dir, dir.resolve("report.html"));
        assertEquals(1, s.images());
        assertTrue(Files.readString(s.file()).contains("6 test molecules of test_predictions.csv"));
    }

    @Test
    void aRunWithoutTransferMapsHasNoPicture(@TempDir Path tmp) throws Exception {
        Path dir = transferRun(tmp.resolve("run"), "stl", true);
        RunReport.Summary s = RunReport.write(dir, dir.resolve("report.html"));
        assertTrue(!s.sections().contains("Latent manifolds"), s.sections().toString());
        assertEquals(0, s.images());
    }
}
