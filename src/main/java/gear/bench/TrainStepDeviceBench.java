package gear.bench;

import gear.chem.Chem;
import gear.chem.MolGraph;
import gear.nn.Adam;
import gear.nn.BatchGraph;
import gear.nn.Dmpnn;
import gear.nn.DmpnnConfig;
import gear.nn.DmpnnTrainStep;
import gear.nn.Tensors;
import gear.nn.Torch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * Throughput of the D-MPNN training step ({@link DmpnnTrainStep} forward + backward + {@link Adam}) on a
 * device, for the GPU check ({@code scripts/gpu-check.sh}), the step alone beside {@code gear bench train
 * --device} (the whole training loop: batch pipeline, schedule, epochs): the default model (d_h 300, depth 3,
 * FFN 2×300, batch 50, float32),
 * the first molecules of a CSV's first column (SMILES) with random standardized targets, 1 untimed and
 * {@code epochs} timed passes. Batch tensors are made on the timing thread (included in the time).
 *
 * <p>Usage: {@code java -cp gear.jar gear.bench.TrainStepDeviceBench CSV DEVICE [MOLECULES] [EPOCHS]}; prints
 * one JSON object.
 */
public final class TrainStepDeviceBench {
    private TrainStepDeviceBench() {}

    public static void main(String[] args) throws Exception {
        Path csv = Path.of(args[0]);
        Torch.init(1);
        Device device = Torch.device(args[1]);
        int max = args.length > 2 ? Integer.parseInt(args[2]) : 10000;
        int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<MolGraph> graphs = new ArrayList<>();
        for (String l : lines.subList(1, Math.min(lines.size(), max + 1))) {
            graphs.add(Chem.featurize(l.split(",", 2)[0].replace("\"", "")));
        }
        Dmpnn net = new Dmpnn(DmpnnConfig.defaults(1), 0);
        for (Tensor p : net.params().asMap().values()) {
            p.set_data(p.detach().to(device, p.scalar_type()));
        }
        DmpnnTrainStep step = new DmpnnTrainStep(net);
        Adam adam = new Adam(net.params(), 1e-3);
        Random r = new Random(1);
        List<BatchGraph.Arrays> batches = new ArrayList<>();
        List<double[]> targets = new ArrayList<>();
        for (int i = 0; i < graphs.size(); i += 50) {
            List<MolGraph> part = graphs.subList(i, Math.min(graphs.size(), i + 50));
            batches.add(BatchGraph.arrays(part));
            double[] y = new double[part.size()];
            for (int k = 0; k < y.length; k++) {
                y[k] = r.nextGaussian();
            }
            targets.add(y);
        }
        double[] seconds = new double[epochs];
        for (int e = -1; e < epochs; e++) {
            long t0 = System.nanoTime();
            for (int b = 0; b < batches.size(); b++) {
                try (PointerScope s = new PointerScope()) {
                    double[] y = targets.get(b);
                    BatchGraph batch = BatchGraph.of(batches.get(b), ScalarType.Float, device);
                    Tensor target = Tensors.of(y, y.length, 1).to(device, ScalarType.Float);
                    Tensor mask = torch.ones_like(target);
                    step.forward(batch, target, mask, null); // returns the loss as a double: synchronizes
                    step.backward(null);
                    adam.step();
                }
            }
            Tensors.toDoubles(net.params().asMap().values().iterator().next().sum()); // synchronize
            if (e >= 0) {
                seconds[e] = (System.nanoTime() - t0) / 1e9;
            }
        }
        double[] sorted = seconds.clone();
        java.util.Arrays.sort(sorted);
        double median = sorted[sorted.length / 2];
        System.out.printf(java.util.Locale.ROOT,
                "{\"bench\":\"train-step\",\"device\":\"%s\",\"molecules\":%d,\"epochs\":%d,\"median_epoch_s\":%.4f,\"mol_per_s\":%.1f}%n",
                args[1], graphs.size(), epochs, median, graphs.size() / median);
    }
}
