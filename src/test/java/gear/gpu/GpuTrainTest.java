package gear.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.chem.MolGraph;
import gear.cli.Main;
import gear.data.StandardScaler;
import gear.demo.DemoData;
import gear.nn.Adam;
import gear.nn.Params;
import gear.train.Ensemble;
import gear.train.ModelFile;
import gear.train.TrainOptions;
import gear.transfer.TransferOptions;
import gear.transfer.TransferSchema;
import gear.transfer.ktask.KGear;
import gear.transfer.ktask.KTaskData;
import gear.transfer.ktask.KTaskModel;
import gear.transfer.ktask.KTaskModelFile;
import gear.transfer.ktask.KTaskTrainer;
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
 * {@code gear train} and k-task GEAR on CUDA against the CPU, float32: one optimizer step of a three-task GEAR model
 * (every loss term, diagnostic and weight gradient; the perturbations drawn alike on both devices), a
 * {@code gear train --device cuda --ensemble-size 2} run and a {@code gear transfer --task ... --target --device cuda}
 * run of a few epochs (predictions beside those of the CPU runs; the model files read back on the CPU predicting what
 * the device's runs wrote). Tagged {@code gpu}; skipped without a CUDA device; {@code -Dgear.gpuTest.device=cpu} runs
 * it with the CPU standing in.
 */
@Tag("gpu")
class GpuTrainTest {
    /** Relative float32 tolerance of a loss term, and of a gradient against its largest entry. */
    private static final double TERM_TOL = 1e-3;
    private static final double GRAD_TOL = 2e-3;
    private static final int K = 3;
    private static final int N = 16;

    @Test
    void kTaskGearStepMatchesCpu() {
        Device dev = GpuTrainStepTest.cuda();
        TransferOptions o = TransferOptions.defaults().with(TransferSchema.HIDDEN_SIZE, 64)
                .with(TransferSchema.LATENT_SIZE, 6).with(TransferSchema.COMMON_SIZE, 10)
                .with(TransferSchema.MAP_HIDDEN, 10).with(TrainOptions.BATCH_SIZE, N)
                .with(TransferSchema.CURV_SUBSET, 6).with(TransferSchema.W_CURV, 0.1)
                .with(TransferSchema.PERTURBATIONS, 2);
        List<String> names = new ArrayList<>();
        List<StandardScaler> scalers = new ArrayList<>();
        List<List<MolGraph>> graphs = new ArrayList<>();
        List<float[][]> labels = new ArrayList<>();
        Random r = new Random(5);
        for (int t = 0; t < K; t++) {
            names.add("p" + t);
            scalers.add(new StandardScaler(new double[] {0}, new double[] {1}));
            graphs.add(GpuTrainStepTest.molecules(N, 20 + t));
            float[][] y = new float[K][N];
            for (int s = 0; s < K; s++) {
                for (int i = 0; i < N; i++) { // its own task labelled, a few molecules also for the others
                    y[s][i] = s == t || i % 4 == s ? (float) r.nextGaussian() : Float.NaN;
                }
            }
            labels.add(y);
        }
        List<MolGraph> val = GpuTrainStepTest.molecules(4, 30);
        KTaskData d = new KTaskData(names, K - 1, graphs, labels, val, new double[] {0.1, -0.2, 0.3, 0.0});
        KTaskModel cpu = new KTaskModel(KGear.INSTANCE, o, 3, names, K - 1, scalers);
        KTaskModel gpu = new KTaskModel(KGear.INSTANCE, o, 3, names, K - 1, scalers).to(dev);
        for (Tensor p : gpu.params().asMap().values()) {
            assertEquals(dev.is_cuda(), p.is_cuda(), "weights on the device");
        }
        Map<String, Double> tc = step(cpu, d);
        Map<String, Double> tg = step(gpu, d);
        assertEquals(tc.keySet(), tg.keySet(), "terms and diagnostics");
        assertTrue(tc.keySet().containsAll(KGear.TERMS), tc.toString());
        for (String k : tc.keySet()) {
            double a = tc.get(k);
            double b = tg.get(k);
            assertTrue(Double.isFinite(a), k + " = " + a);
            assertEquals(a, b, TERM_TOL * Math.abs(a) + 1e-7, "term " + k);
        }
        for (String k : KGear.TERMS) {
            assertTrue(tc.get(k) > 0, k + " = " + tc.get(k));
        }
        GpuTrainStepTest.assertGradientsMatch(cpu.params().asMap(), gpu.params().asMap(), dev, GRAD_TOL);
    }

    /** One step on all molecules of every task; the gradients stay in the weights. */
    private static Map<String, Double> step(KTaskModel m, KTaskData d) {
        int[][] rows = new int[K][N];
        for (int t = 0; t < K; t++) {
            for (int i = 0; i < N; i++) {
                rows[t][i] = i;
            }
        }
        Params p = m.params();
        return new KTaskTrainer(m, 3, null).step(new Adam(p, 1e-4), d, rows, 0, 0);
    }

    @Test
    void trainAndKTaskRunsOnDevice(@TempDir Path dir) throws Exception {
        Device dev = GpuTrainStepTest.cuda();
        String name = dev.str().getString();
        DemoData.generate(dir.resolve("demo"), 0);
        String src = dir.resolve("demo").resolve(DemoData.SOURCE_FILE).toString();
        String tgt = dir.resolve("demo").resolve(DemoData.TARGET_FILE).toString();
        // gear train: an ensemble of two members, no dropout (the devices' generators differ)
        for (boolean onDev : new boolean[] {true, false}) {
            String device = onDev ? name : "cpu";
            assertEquals(0, Main.run("train", "-i", tgt, "-t", DemoData.TARGET_COLUMN, "-o",
                    dir.resolve(onDev ? "train-dev" : "train-cpu").toString(), "--epochs", "3", "--batch-size", "32", "--hidden-size",
                    "64", "--ensemble-size", "2",
                    "--cache-dir", "none", "--device", device, "-q"), "train on " + device);
        }
        Path trainDev = dir.resolve("train-dev");
        assertEquals(name, new com.fasterxml.jackson.databind.ObjectMapper().readTree(trainDev.resolve("config.json")
                .toFile()).path("device").asText(), "config.json records the device");
        // columns smiles, true, predicted, std
        List<MolGraph> graphs = new ArrayList<>();
        double[] written = compare(trainDev, dir.resolve("train-cpu"), 0, 1, 2, graphs);
        Ensemble e = ModelFile.loadEnsemble(trainDev.resolve("model.gear"));
        double[][] again = e.predict(graphs).mean();
        for (int i = 0; i < again.length; i++) {
            assertEquals(written[i], again[i][0], 1e-4 * (1 + Math.abs(written[i])), "train: row " + i + " read back on the CPU");
        }
        // gear transfer --task: GEAR across the demo's two tasks, the target evaluated
        for (boolean onDev : new boolean[] {true, false}) {
            String device = onDev ? name : "cpu";
            assertEquals(0, Main.run("transfer", "--task", src + ":" + DemoData.SOURCE_COLUMN, "--task", tgt + ":"
                    + DemoData.TARGET_COLUMN, "--target", DemoData.TARGET_COLUMN, "-o",
                    dir.resolve(onDev ? "k-dev" : "k-cpu").toString(),
                    "--epochs", "3", "--batch-size", "32", "--hidden-size", "64", "--latent-size", "8", "--common-size", "12",
                    "--curv-subset", "4", "--device", device, "-q"), "k-task transfer on " + device);
        }
        Path kDev = dir.resolve("k-dev");
        graphs.clear();
        // columns row, smiles, true, predicted
        written = compare(kDev, dir.resolve("k-cpu"), 1, 2, 3, graphs);
        KTaskModel m = KTaskModelFile.load(kDev.resolve("model.gear"));
        assertTrue(m.device().is_cpu(), "a model file is read on the CPU");
        double[] back = m.predict(m.names().indexOf(DemoData.TARGET_COLUMN), graphs);
        for (int i = 0; i < back.length; i++) {
            assertEquals(written[i], back[i], 1e-4 * (1 + Math.abs(written[i])), "k-task: row " + i + " read back on the CPU");
        }
    }

    /**
     * The device's run trains like the CPU's: its test predictions move by at most 1 % of the CPU model's error.
     *
     * @param graphs where the test molecules go
     * @return the device run's predictions
     */
    private static double[] compare(Path runDev, Path runCpu, int smiles, int truth, int predicted, List<MolGraph> graphs)
            throws Exception {
        List<String> pd = Files.readAllLines(runDev.resolve("test_predictions.csv"));
        List<String> pc = Files.readAllLines(runCpu.resolve("test_predictions.csv"));
        assertEquals(pc.size(), pd.size());
        assertTrue(pd.size() > 5, runDev + ": " + pd.size() + " lines");
        assertEquals(pc.get(0), pd.get(0), "header");
        double diff = 0;
        double err = 0;
        double[] written = new double[pd.size() - 1];
        for (int i = 1; i < pd.size(); i++) {
            String[] c = pc.get(i).split(",");
            String[] g = pd.get(i).split(",");
            assertEquals(c[smiles], g[smiles], "same test molecules");
            double y = Double.parseDouble(c[truth]);
            double a = Double.parseDouble(c[predicted]);
            double b = Double.parseDouble(g[predicted]);
            diff += (a - b) * (a - b);
            err += (a - y) * (a - y);
            graphs.add(gear.chem.Chem.featurize(g[smiles]));
            written[i - 1] = b;
        }
        assertTrue(err > 0 && Math.sqrt(diff) <= 0.01 * Math.sqrt(err), runDev + ": device vs CPU predictions: rms difference "
                + Math.sqrt(diff / written.length) + ", CPU rmse " + Math.sqrt(err / written.length));
        return written;
    }
}
