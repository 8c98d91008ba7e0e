package gear.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gear.chem.MolGraph;
import gear.nn.BatchGraph;
import gear.nn.Dmpnn;
import gear.nn.DmpnnConfig;
import gear.nn.DmpnnTrainStep;
import gear.nn.Tensors;
import gear.nn.Torch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The D-MPNN training step (hand-derived forward and backward, {@link DmpnnTrainStep}) on CUDA against the
 * same step on the CPU, float32: the loss and every weight gradient agree to float32 round-off. Tagged
 * {@code gpu}: excluded by default, run by {@code scripts/gpu-check.sh}; skipped where no CUDA device is
 * usable (the CPU build).
 */
@Tag("gpu")
class GpuTrainStepTest {
    /**
     * The CUDA device, or a skip without one. {@code -Dgear.gpuTest.device=cpu} runs the tests with the CPU
     * in place of CUDA (a check of the tests themselves on a machine without a GPU).
     */
    static Device cuda() {
        Torch.init(1);
        if ("cpu".equals(System.getProperty("gear.gpuTest.device"))) {
            return Torch.device("cpu");
        }
        assumeTrue(Torch.cudaAvailable(), "no CUDA device (CPU build or no GPU): skipped");
        return Torch.device("cuda");
    }

    /** Random ring molecules with random atom and bond features of the chemprop layout. */
    static List<MolGraph> molecules(int count, long seed) {
        Random r = new Random(seed);
        List<MolGraph> out = new ArrayList<>();
        for (int m = 0; m < count; m++) {
            int n = 3 + r.nextInt(8);
            float[] x = new float[n * MolGraph.ATOM_FDIM];
            for (int a = 0; a < n; a++) {
                for (int k = 0; k < 8; k++) {
                    x[a * MolGraph.ATOM_FDIM + r.nextInt(MolGraph.ATOM_FDIM)] = 1;
                }
                x[a * MolGraph.ATOM_FDIM + MolGraph.ATOM_FDIM - 1] = 0.12f;
            }
            int[] begin = new int[n];
            int[] end = new int[n];
            float[] bonds = new float[n * MolGraph.BOND_FDIM];
            for (int k = 0; k < n; k++) {
                begin[k] = k;
                end[k] = (k + 1) % n;
                bonds[k * MolGraph.BOND_FDIM + 1 + r.nextInt(MolGraph.BOND_FDIM - 1)] = 1;
            }
            out.add(new MolGraph("ring" + n, n, x, begin, end, bonds));
        }
        return out;
    }

    /** Moves every parameter of {@code net} to the device in place (the Java tensors keep their identity). */
    static void moveTo(Dmpnn net, Device device) {
        for (Tensor p : net.params().asMap().values()) {
            p.set_data(p.detach().to(device, p.scalar_type()));
        }
    }

    @Test
    void trainStepMatchesCpu() {
        Device cuda = cuda();
        DmpnnConfig cfg = new DmpnnConfig(300, 3, 0.0, 300, 2, 1, false);
        Dmpnn cpu = new Dmpnn(cfg, 7);
        Dmpnn gpu = new Dmpnn(cfg, 7);
        moveTo(gpu, cuda);
        DmpnnTrainStep cpuStep = new DmpnnTrainStep(cpu);
        DmpnnTrainStep gpuStep = new DmpnnTrainStep(gpu);
        List<MolGraph> mols = molecules(50, 3);
        double[] y = new double[mols.size()];
        double[] m = new double[mols.size()];
        Random r = new Random(4);
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextGaussian();
            m[i] = 1;
        }
        try (PointerScope s = new PointerScope()) {
            BatchGraph.Arrays a = BatchGraph.arrays(mols);
            Tensor target = Tensors.of(y, y.length, 1).to(torch.ScalarType.Float);
            Tensor mask = Tensors.of(m, m.length, 1).to(torch.ScalarType.Float);
            double lc = cpuStep.forward(BatchGraph.of(a, torch.ScalarType.Float), target, mask, null);
            cpuStep.backward(null);
            double lg = gpuStep.forward(BatchGraph.of(a, torch.ScalarType.Float, cuda), target.to(cuda, torch.ScalarType.Float),
                    mask.to(cuda, torch.ScalarType.Float), null);
            gpuStep.backward(null);
            assertEquals(lc, lg, 1e-4 * Math.abs(lc), "loss");
            Map<String, Tensor> pc = cpu.params().asMap();
            Map<String, Tensor> pg = gpu.params().asMap();
            for (String k : pc.keySet()) {
                assertEquals(cuda.is_cuda(), pg.get(k).grad().is_cuda(), k + " gradient on the device");
                double e = relErr(pg.get(k).grad(), pc.get(k).grad());
                assertTrue(e <= 1e-4, k + " gradient rel err " + e);
            }
        }
    }

    /** max|a − b| / max|b| over all entries (a may live on any device). */
    static double relErr(Tensor a, Tensor b) {
        double[] x = Tensors.toDoubles(a);
        double[] y = Tensors.toDoubles(b);
        double num = 0;
        double den = 1e-30;
        for (int i = 0; i < x.length; i++) {
            num = Math.max(num, Math.abs(x[i] - y[i]));
            den = Math.max(den, Math.abs(y[i]));
        }
        return num / den;
    }

    /**
     * Every weight's gradient on the device against the CPU's: defined on both or neither, on the device, within
     * {@code tol} relative to its largest entry ({@link #relErr}); most weights have a non-zero gradient.
     */
    static void assertGradientsMatch(java.util.Map<String, Tensor> pc, java.util.Map<String, Tensor> pg,
            org.bytedeco.pytorch.Device dev, double tol) {
        int nonZero = 0;
        for (String k : pc.keySet()) {
            Tensor gc = pc.get(k).grad();
            Tensor gg = pg.get(k).grad();
            org.junit.jupiter.api.Assertions.assertEquals(gc.defined(), gg.defined(), k + " has a gradient on both devices");
            if (!gc.defined()) {
                continue;
            }
            org.junit.jupiter.api.Assertions.assertEquals(dev.is_cuda(), gg.is_cuda(), k + " gradient on the device");
            double e = relErr(gg, gc);
            org.junit.jupiter.api.Assertions.assertTrue(e <= tol, k + " gradient rel err " + e);
            nonZero += Tensors.toDoubles(gc.abs().max())[0] > 0 ? 1 : 0;
        }
        org.junit.jupiter.api.Assertions.assertTrue(nonZero > pc.size() / 2,
                "most weights have a non-zero gradient: " + nonZero + " of " + pc.size());
    }
}
