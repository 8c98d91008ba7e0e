package gear.train;

import gear.chem.MolGraph;
import gear.nn.DmpnnConfig;
import gear.nn.Torch;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * A FLOP floor for D-MPNN training: the dense-GEMM floating point operations of one training step
 * per molecule, and the machine's float32 GEMM rate, so that a measured throughput can be compared
 * with what the matrix products alone would allow.
 *
 * <p>Forward GEMM FLOPs of a molecule with A atoms and E = 2·bonds directed edges (D-MPNN of
 * Yang et al. 2019, hidden size h, depth D, FFN of L layers of width f, T outputs), counting a
 * multiply-add as 2 FLOPs:
 * <pre>
 *   W_i: 2·E·(133+14)·h      W_h: (D−1)·2·E·h·h      W_o: 2·A·(133+h)·h
 *   FFN: 2·(h·f + (L−2)·f·f + f·T)   (L ≥ 2; 2·h·T for L = 1)
 * </pre>
 * and a training step (forward, backward for inputs and weights) ≈ 3× the forward. Scatter/gather,
 * ReLU, the optimizer and the framework's overhead are not counted: the floor is optimistic.
 */
public final class TrainFlops {
    private TrainFlops() {}

    /** @return forward GEMM FLOPs of one molecule with {@code atoms} atoms and {@code bonds} bonds */
    public static double forwardFlops(DmpnnConfig c, double atoms, double bonds) {
        double h = c.hiddenSize();
        double e = 2 * bonds;
        double wi = 2 * e * (MolGraph.ATOM_FDIM + MolGraph.BOND_FDIM) * h;
        double wh = (c.depth() - 1) * 2 * e * h * h;
        double wo = 2 * atoms * (MolGraph.ATOM_FDIM + h) * h;
        return wi + wh + wo + ffnFlops(c);
    }

    /** @return forward GEMM FLOPs of the FFN head per molecule */
    private static double ffnFlops(DmpnnConfig c) {
        double h = c.hiddenSize();
        double f = c.ffnHiddenSize();
        return c.ffnNumLayers() == 1 ? 2 * h * c.numTasks()
                : 2 * (h * f + (c.ffnNumLayers() - 2) * f * f + f * c.numTasks());
    }

    /** @return {mean atoms, mean bonds} per molecule of {@code graphs} */
    private static double[] meanSize(List<MolGraph> graphs) {
        double atoms = 0;
        double bonds = 0;
        for (MolGraph g : graphs) {
            atoms += g.nAtoms();
            bonds += g.nBonds();
        }
        return new double[] {atoms / graphs.size(), bonds / graphs.size()};
    }

    /** @return mean training-step GEMM FLOPs per molecule (3× forward) over {@code graphs} */
    public static double trainFlopsPerMolecule(DmpnnConfig c, List<MolGraph> graphs) {
        double[] size = meanSize(graphs);
        return 3 * forwardFlops(c, size[0], size[1]);
    }

    /**
     * Mean dense-GEMM FLOPs per molecule of the training step as {@link gear.nn.DmpnnTrainStep} runs
     * it: W_h (D−1 forward products, their input and weight gradients: 3·(D−1)·2·E·h²), the message
     * block of W_o (3·2·A·h²), the forward bond block of W_i (2·E·14·h) and the FFN (3× forward). The
     * atom-feature products and the bond-block weight gradient are sparse row sums, not GEMMs, and
     * are not counted; W_i is applied per atom, not per edge. Smaller than
     * {@link #trainFlopsPerMolecule} (the chemprop formulation), so its floor is higher.
     */
    public static double stepGemmFlopsPerMolecule(DmpnnConfig c, List<MolGraph> graphs) {
        double[] size = meanSize(graphs);
        double a = size[0];
        double e = 2 * size[1];
        double h = c.hiddenSize();
        return 3 * (c.depth() - 1) * 2 * e * h * h + 3 * 2 * a * h * h + 2 * e * MolGraph.BOND_FDIM * h + 3 * ffnFlops(c);
    }

    /**
     * Measures float32 GEMM throughput of libtorch on the current thread setting: an
     * (m×k)·(k×n) product repeated for about {@code seconds} after a warm-up.
     *
     * @return FLOP/s (2·m·k·n per product)
     */
    public static double gemmFlopsPerSecond(int m, int k, int n, double seconds) {
        Torch.ensure();
        try (PointerScope scope = new PointerScope()) {
            Tensor a = torch.randn(m, k);
            Tensor b = torch.randn(k, n);
            for (int i = 0; i < 5; i++) {
                torch.matmul(a, b);
            }
            long reps = 0;
            long t0 = System.nanoTime();
            long deadline = t0 + (long) (seconds * 1e9);
            while (System.nanoTime() < deadline) {
                try (PointerScope inner = new PointerScope()) {
                    torch.matmul(a, b);
                }
                reps++;
            }
            double s = (System.nanoTime() - t0) / 1e9;
            return 2.0 * m * k * n * reps / s;
        }
    }
}
