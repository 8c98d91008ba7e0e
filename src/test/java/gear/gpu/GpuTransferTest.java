package gear.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.chem.MolGraph;
import gear.cli.Main;
import gear.data.StandardScaler;
import gear.demo.DemoData;
import gear.nn.Adam;
import gear.nn.Params;
import gear.train.Provenance;
import gear.train.TrainOptions;
import gear.transfer.Methods;
import gear.transfer.PairData;
import gear.transfer.Task;
import gear.transfer.TransferModel;
import gear.transfer.TransferModelFile;
import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;
import gear.transfer.TransferTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GEAR on CUDA against the CPU, float32: one optimizer step of the target phase (every loss term and every weight
 * gradient, the perturbations drawn alike on both devices) and a {@code gear transfer --device cuda} run of a few
 * epochs (its predictions beside those of the CPU run, and its model file read back on the CPU predicting what the
 * GPU run wrote). Tagged {@code gpu}; skipped without a CUDA device; {@code -Dgear.gpuTest.device=cpu} runs it with
 * the CPU standing in.
 */
@Tag("gpu")
class GpuTransferTest {
    /** Relative float32 tolerance of a loss term, and of a gradient against its largest entry. */
    private static final double TERM_TOL = 1e-3;
    private static final double GRAD_TOL = 2e-3;

    @Test
    void gearStepMatchesCpu() {
        Device dev = GpuTrainStepTest.cuda();
        TransferOptions o = TransferOptions.defaults().with(TransferSchema.HIDDEN_SIZE, 64)
                .with(TransferSchema.LATENT_SIZE, 6).with(TransferSchema.COMMON_SIZE, 10)
                .with(TransferSchema.MAP_HIDDEN, 10).with(TrainOptions.BATCH_SIZE, 16)
                .with(TransferSchema.CURV_SUBSET, 6).with(TransferSchema.W_CURV, 0.1)
                .with(TransferSchema.PERTURBATIONS, 2);
        List<MolGraph> src = GpuTrainStepTest.molecules(16, 11);
        List<MolGraph> tgt = GpuTrainStepTest.molecules(16, 12);
        Random r = new Random(5);
        float[] ys = new float[16];
        float[] yt = new float[16];
        float[] none = new float[16];
        for (int i = 0; i < 16; i++) {
            ys[i] = (float) r.nextGaussian();
            yt[i] = (float) r.nextGaussian();
            none[i] = i % 3 == 0 ? (float) r.nextGaussian() : Float.NaN; // a few molecules labelled for both tasks
        }
        PairData d = new PairData(src, ys, none, tgt, yt, none, List.of(), new double[0]);
        StandardScaler unit = new StandardScaler(new double[] {0}, new double[] {1});
        TransferModel cpu = new TransferModel(Methods.get("gear"), o, 3, unit, unit, "s", "t", Provenance.now("", 3));
        TransferModel gpu = new TransferModel(Methods.get("gear"), o, 3, unit, unit, "s", "t", Provenance.now("", 3)).to(dev);
        for (Tensor p : gpu.params().asMap().values()) {
            assertEquals(dev.is_cuda(), p.is_cuda(), "weights on the device");
        }
        Map<String, Double> tc = step(cpu, d);
        Map<String, Double> tg = step(gpu, d);
        assertEquals(tc.keySet(), tg.keySet(), "terms and diagnostics");
        for (String k : List.of("reg", "auto", "cons", "map", "metric", "curv", "total")) {
            double a = tc.get(k);
            double b = tg.get(k);
            assertTrue(Double.isFinite(a) && a > 0, k + " = " + a);
            assertEquals(a, b, TERM_TOL * Math.abs(a) + 1e-7, "term " + k);
        }
        GpuTrainStepTest.assertGradientsMatch(cpu.params().asMap(), gpu.params().asMap(), dev, GRAD_TOL);
    }

    /** One target-phase step (both networks, paired batch of 16 + 16); the gradients stay in the weights. */
    private static Map<String, Double> step(TransferModel m, PairData d) {
        int[] all = new int[16];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        Params p = m.params();
        return new TransferTrainer(m, 3, null).step(p, new Adam(p, 1e-4), d, all, all, 0, 1, 0, 0.0);
    }

    @Test
    void transferRunOnDevice(@TempDir Path dir) throws Exception {
        Device dev = GpuTrainStepTest.cuda();
        DemoData.generate(dir.resolve("demo"), 0);
        Path runDev = dir.resolve("dev");
        Path runCpu = dir.resolve("cpu");
        String name = dev.str().getString();
        for (Path[] run : new Path[][] {{runDev}, {runCpu}}) {
            String device = run[0] == runDev ? name : "cpu";
            int code = Main.run("transfer", "--source", dir.resolve("demo").resolve(DemoData.SOURCE_FILE).toString(),
                    "--source-column", DemoData.SOURCE_COLUMN, "--target",
                    dir.resolve("demo").resolve(DemoData.TARGET_FILE).toString(), "--target-column", DemoData.TARGET_COLUMN,
                    "--method", "gear", "-o", run[0].toString(), "--epochs", "3", "--batch-size", "32", "--hidden-size",
                    "64", "--latent-size", "8", "--common-size", "12", "--curv-subset", "4", "--device", device, "-q");
            assertEquals(0, code, "transfer on " + device);
        }
        assertEquals(name, new com.fasterxml.jackson.databind.ObjectMapper().readTree(runDev.resolve("config.json").toFile())
                .path("device").asText(), "config.json records the device");
        List<String[]> pd = rows(runDev.resolve("test_predictions.csv"));
        List<String[]> pc = rows(runCpu.resolve("test_predictions.csv"));
        assertEquals(pc.size(), pd.size());
        // the device's run trains like the CPU's: its predictions move by a small share of the model's error
        double diff = 0;
        double err = 0;
        List<MolGraph> graphs = new ArrayList<>();
        double[] written = new double[pd.size()];
        for (int i = 0; i < pd.size(); i++) {
            double y = Double.parseDouble(pc.get(i)[2]);
            double a = Double.parseDouble(pc.get(i)[3]);
            double b = Double.parseDouble(pd.get(i)[3]);
            assertEquals(pc.get(i)[1], pd.get(i)[1], "same test molecules");
            diff += (a - b) * (a - b);
            err += (a - y) * (a - y);
            graphs.add(gear.chem.Chem.featurize(pd.get(i)[1]));
            written[i] = b;
        }
        assertTrue(err > 0 && Math.sqrt(diff) <= 0.01 * Math.sqrt(err),
                "device vs CPU predictions: rms difference " + Math.sqrt(diff / pd.size()) + ", CPU rmse "
                        + Math.sqrt(err / pd.size()));
        // the model file is device-independent: read on the CPU it predicts what the device's run wrote
        TransferModel m = TransferModelFile.load(runDev.resolve("model.gear"));
        assertTrue(m.device().is_cpu(), "a model file is read on the CPU");
        double[] again = m.predict(Task.TARGET, graphs);
        for (int i = 0; i < again.length; i++) {
            assertEquals(written[i], again[i], 1e-4 * (1 + Math.abs(written[i])), "row " + i + " read back on the CPU");
        }
        // and gear curvature of it on the device
        assertEquals(0, Main.run("curvature", "--model", runDev.resolve("model.gear").toString(), "-i",
                dir.resolve("demo").resolve(DemoData.TARGET_FILE).toString(), "-o", dir.resolve("k.csv").toString(),
                "--device", name));
        assertTrue(Files.readAllLines(dir.resolve("k.csv")).size() > 1);
    }

    /** Rows of a test_predictions.csv ({@code row,smiles,true,predicted}), header left out (no quoted commas here). */
    private static List<String[]> rows(Path csv) throws Exception {
        List<String[]> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv);
        assertTrue(lines.get(0).startsWith("row,smiles,true,predicted"), lines.get(0));
        for (String l : lines.subList(1, lines.size())) {
            out.add(l.split(","));
        }
        return out;
    }
}
