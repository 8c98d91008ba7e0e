package gear.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.data.StandardScaler;
import gear.nn.Dmpnn;
import gear.nn.DmpnnConfig;
import gear.nn.Tensors;
import gear.nn.Torch;
import gear.train.ModelFile;
import gear.train.Provenance;
import gear.train.TrainedModel;
import gear.transfer.Methods;
import gear.transfer.Task;
import gear.transfer.TaskNetwork;
import gear.transfer.TransferModel;
import gear.transfer.TransferModelFile;
import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gear embed}: the embeddings round-trip (the readout fed to the D-MPNN head, the latent point z fed to a
 * transfer task's ψ∘φ and head, and φ(z) fed to ψ and the head reproduce {@code gear predict}'s numbers); bad rows get
 * empty cells and a reason; bad input exits 2 and leaves no output.
 */
class EmbedCommandTest {
    private static final String[] GOOD = {"CCO", "c1ccccc1O", "CC(=O)Nc1ccc(O)cc1", "ClC(Cl)(Cl)Cl", "N#Cc1ccccc1"};
    @TempDir
    static Path dir;
    static Path csv;

    @BeforeAll
    static void data() throws IOException {
        Torch.init(1);
        List<String> lines = new ArrayList<>(List.of("smiles,y"));
        for (int i = 0; i < GOOD.length; i++) {
            lines.add(GOOD[i] + "," + i);
            if (i == 2) {
                lines.add("not_a_smiles,1");
            }
        }
        csv = dir.resolve("mols.csv");
        Files.write(csv, lines);
    }

    /** Rows of a CSV written by predict or embed, split on commas (no quoting in these files). */
    private static List<String[]> rows(Path f) throws IOException {
        List<String[]> r = new ArrayList<>();
        for (String l : Files.readAllLines(f)) {
            r.add(l.split(",", -1));
        }
        return r;
    }

    private static int run(String... args) {
        return Main.run(args);
    }

    /** @return the embedding columns [from, from + n) of each good row, as a float tensor (B, n) */
    private static Tensor block(List<String[]> rows, int from, int n) {
        float[] f = new float[GOOD.length * n];
        int k = 0;
        for (String[] r : rows.subList(1, rows.size())) {
            if (!r[r.length - 1].isEmpty()) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                f[k * n + j] = Float.parseFloat(r[1 + from + j]);
            }
            k++;
        }
        assertEquals(GOOD.length, k);
        return Tensors.of(f, GOOD.length, n);
    }

    private static double[] predicted(Path preds) throws IOException {
        double[] y = new double[GOOD.length];
        int k = 0;
        for (String[] r : rows(preds).subList(1, rows(preds).size())) {
            if (r[r.length - 1].isEmpty()) {
                y[k++] = Double.parseDouble(r[1]);
            }
        }
        return y;
    }

    private static void assertClose(double[] want, double[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-4 * (1 + Math.abs(want[i])), what + ", molecule " + i);
        }
    }

    @Test
    void dmpnnReadoutFedToTheHeadReproducesThePrediction() throws IOException {
        TrainedModel m = new TrainedModel(new Dmpnn(DmpnnConfig.defaults(1).withHiddenSize(24), 5),
                new StandardScaler(new double[] {2}, new double[] {3}), List.of("y"), Provenance.now("", 5), null);
        Path model = dir.resolve("dmpnn.gear");
        ModelFile.save(model, m);
        Path emb = dir.resolve("dmpnn_emb.csv");
        Path preds = dir.resolve("dmpnn_pred.csv");
        assertEquals(0, run("embed", "--model", model.toString(), "-i", csv.toString(), "-o", emb.toString(), "-q"));
        assertEquals(0, run("predict", "--model", model.toString(), "-i", csv.toString(), "-o", preds.toString(), "-q"));
        List<String[]> r = rows(emb);
        assertEquals("smiles", r.get(0)[0]);
        assertEquals("h0", r.get(0)[1]);
        assertEquals("h23", r.get(0)[24]);
        assertEquals("reason", r.get(0)[25]);
        assertEquals(GOOD.length + 2, r.size());
        String[] bad = r.get(4);
        assertEquals("not_a_smiles", bad[0]);
        assertTrue(bad[1].isEmpty() && !bad[25].isEmpty(), "a bad row has empty cells and a reason");
        double[] y = new double[GOOD.length];
        try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
            double[] z = Tensors.toDoubles(m.network().head().forward(block(r, 0, 24).to(m.network().config().dtype()), false));
            for (int i = 0; i < y.length; i++) {
                y[i] = z[i] * 3 + 2;
            }
        }
        assertClose(predicted(preds), y, "head(h)");
    }

    @Test
    void transferLatentAndCommonPointsReproduceEachTasksPrediction() throws IOException {
        TransferOptions o = TransferOptions.defaults().with(TransferSchema.HIDDEN_SIZE, 16).with(TransferSchema.LATENT_SIZE, 4)
                .with(TransferSchema.COMMON_SIZE, 6).with(TransferSchema.MAP_HIDDEN, 8);
        StandardScaler ss = new StandardScaler(new double[] {-1}, new double[] {2});
        StandardScaler ts = new StandardScaler(new double[] {4}, new double[] {0.5});
        TransferModel m = new TransferModel(Methods.get("gear"), o, 7, ss, ts, "ys", "yt", Provenance.now("", 7));
        Path model = dir.resolve("gear.gear");
        TransferModelFile.save(model, m, "");
        Path emb = dir.resolve("gear_emb.csv");
        assertEquals(0, run("embed", "--model", model.toString(), "-i", csv.toString(), "-o", emb.toString(), "-q"));
        List<String[]> r = rows(emb);
        List<String> header = List.of(r.get(0));
        int width = 16 + 4 + 6;
        for (Task t : Task.values()) {
            String p = t.cliName() + "_";
            int base = t == Task.SOURCE ? 0 : width;
            assertEquals(p + "h0", header.get(1 + base));
            assertEquals(p + "z0", header.get(1 + base + 16));
            assertEquals(p + "phi0", header.get(1 + base + 20));
            Path preds = dir.resolve("gear_pred_" + t.cliName() + ".csv");
            assertEquals(0, run("predict", "--model", model.toString(), "--task", t.cliName(), "-i", csv.toString(), "-o",
                    preds.toString(), "-q"));
            double[] want = predicted(preds);
            TaskNetwork net = m.network(t);
            StandardScaler sc = m.scaler(t);
            try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                double[] fromZ = Tensors.toDoubles(net.predictFromLatent(block(r, base + 16, 4)));
                double[] fromX = Tensors.toDoubles(net.head().forward(net.psi().forward(block(r, base + 20, 6)), false));
                double[] fromH = Tensors.toDoubles(net.predictFromLatent(net.encoder().forward(block(r, base, 16), false)));
                for (int i = 0; i < want.length; i++) {
                    fromZ[i] = fromZ[i] * sc.std(0) + sc.mean(0);
                    fromX[i] = fromX[i] * sc.std(0) + sc.mean(0);
                    fromH[i] = fromH[i] * sc.std(0) + sc.mean(0);
                }
                assertClose(want, fromZ, t + " head(psi(phi(z)))");
                assertClose(want, fromX, t + " head(psi(x))");
                assertClose(want, fromH, t + " from h");
            }
        }
    }

    /**
     * The safetensors output holds the CSV's numbers exactly (one float32 tensor per block), the embedded molecules'
     * SMILES and input rows in order, and the skipped row with its reason.
     */
    @Test
    void safetensorsReadsBackEqualToTheCsv() throws IOException {
        TransferOptions o = TransferOptions.defaults().with(TransferSchema.HIDDEN_SIZE, 16).with(TransferSchema.LATENT_SIZE, 4)
                .with(TransferSchema.COMMON_SIZE, 6).with(TransferSchema.MAP_HIDDEN, 8);
        TransferModel m = new TransferModel(Methods.get("gear"), o, 3, new StandardScaler(new double[] {0}, new double[] {1}),
                new StandardScaler(new double[] {0}, new double[] {1}), "ys", "yt", Provenance.now("", 3));
        Path model = dir.resolve("gear_st.gear");
        TransferModelFile.save(model, m, "");
        Path emb = dir.resolve("st_emb.csv");
        Path st = dir.resolve("st_emb.safetensors");
        Path st2 = dir.resolve("st_emb2.bin");
        assertEquals(0, run("embed", "--model", model.toString(), "-i", csv.toString(), "-o", emb.toString(), "-q"));
        assertEquals(0, run("embed", "--model", model.toString(), "-i", csv.toString(), "-o", st.toString(), "-q"));
        assertEquals(0, run("embed", "--model", model.toString(), "-i", csv.toString(), "-o", st2.toString(), "-q",
                "--format", "safetensors"));
        assertEquals(2, run("embed", "--model", model.toString(), "-i", csv.toString(), "-o", dir.resolve("x").toString(),
                "-q", "--format", "parquet"));
        List<String[]> r = rows(emb);
        List<String> header = List.of(r.get(0));
        for (Path f : List.of(st, st2)) {
            gear.nn.SafeTensors.Content c = gear.nn.SafeTensors.read(f);
            assertEquals(List.of("source_h", "source_z", "source_phi", "target_h", "target_z", "target_phi", "row"),
                    List.copyOf(c.tensors().keySet()));
            assertEquals("[\"source_h\",\"source_z\",\"source_phi\",\"target_h\",\"target_z\",\"target_phi\"]",
                    c.metadata().get("blocks"));
            assertEquals("[\"CCO\",\"c1ccccc1O\",\"CC(=O)Nc1ccc(O)cc1\",\"ClC(Cl)(Cl)Cl\",\"N#Cc1ccccc1\"]",
                    c.metadata().get("smiles"));
            assertTrue(c.metadata().get("skipped").startsWith("[{\"row\":3,\"smiles\":\"not_a_smiles\",\"reason\":\"unparsable"),
                    c.metadata().get("skipped"));
            assertEquals(List.of(0L, 1L, 2L, 4L, 5L), java.util.Arrays.stream(Tensors.toLongs(c.tensors().get("row"))).boxed().toList());
            int checked = 0;
            for (Task t : Task.values()) {
                for (String b : List.of("h", "z", "phi")) {
                    String name = t.cliName() + "_" + b;
                    Tensor x = c.tensors().get(name);
                    assertEquals("Float", String.valueOf(x.scalar_type()));
                    int d = (int) x.size(1);
                    assertEquals(GOOD.length, x.size(0));
                    int first = header.indexOf(name + "0");
                    assertEquals(name + (d - 1), header.get(first + d - 1));
                    assertEquals(b.equals("h") ? 16 : b.equals("z") ? 4 : 6, d);
                    float[] v = Tensors.toFloats(x);
                    int k = 0;
                    for (String[] row : r.subList(1, r.size())) {
                        if (!row[row.length - 1].isEmpty()) {
                            continue;
                        }
                        for (int j = 0; j < d; j++) {
                            assertEquals(Float.parseFloat(row[first + j]), v[k * d + j], 0f, name + " molecule " + k);
                            checked++;
                        }
                        k++;
                    }
                }
            }
            assertEquals(GOOD.length * 2 * (16 + 4 + 6), checked);
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void badInputExitsTwoAndWritesNothing() throws IOException {
        Path out = dir.resolve("none.csv");
        assertEquals(2, run("embed", "--model", dir.resolve("missing.gear").toString(), "-i", csv.toString(), "-o",
                out.toString(), "-q"));
        Path notModel = dir.resolve("not_a_model.gear");
        Files.writeString(notModel, "hello");
        assertEquals(2, run("embed", "--model", notModel.toString(), "-i", csv.toString(), "-o", out.toString(), "-q"));
        assertFalse(Files.exists(out));
    }
}
