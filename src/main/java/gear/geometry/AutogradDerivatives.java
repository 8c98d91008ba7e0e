package gear.geometry;

import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * The naive baseline: J, H and T of x = φ(z) by repeated reverse-mode differentiation,
 * {@code torch::autograd::grad(..., create_graph = true)} once per output component, the way a direct
 * implementation of GEAR's intrinsic curvature does it (grad of grad of grad). Used to check
 * {@link MlpDerivatives} and as the reference in {@code gear bench curvature}.
 *
 * <p>Cost: d_M calls for J, d_M·d_z for H and d_M·d_z² for T, each a backward pass through a graph
 * that keeps growing (every call records its own backward graph so that the result stays
 * differentiable with respect to the weights). Points of the batch are independent, so each call
 * differentiates the batch sum of one component and gets that component's gradient at every point.
 */
public final class AutogradDerivatives implements DerivativeProvider {
    private final UnaryOperator<Tensor> map;

    /** @param map φ: (B, d_z) → (B, d_M), built from differentiable tensor operations */
    public AutogradDerivatives(UnaryOperator<Tensor> map) {
        this.map = map;
    }

    /** @return the baseline for a SiLU MLP */
    public static AutogradDerivatives of(SiluMlp mlp) {
        return new AutogradDerivatives(mlp::forward);
    }

    @Override
    public Derivatives derivatives(Tensor z, int order) {
        if (order != 2 && order != 3) {
            throw new IllegalArgumentException("derivative order must be 2 or 3, got " + order);
        }
        Tensor zz = z.detach().clone().requires_grad_(true);
        Tensor x = map.apply(zz);
        int m = (int) x.size(1);
        int d = (int) zz.size(1);
        Tensor[][] jac = new Tensor[m][];
        for (int a = 0; a < m; a++) {
            jac[a] = columns(grad(x.select(1, a), zz), d);
        }
        Tensor[][][] hes = new Tensor[m][d][];
        for (int a = 0; a < m; a++) {
            for (int i = 0; i < d; i++) {
                hes[a][i] = columns(grad(jac[a][i], zz), d);
            }
        }
        Tensor[][][][] thr = null;
        if (order == 3) {
            thr = new Tensor[m][d][d][];
            for (int a = 0; a < m; a++) {
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        thr[a][i][j] = columns(grad(hes[a][i][j], zz), d);
                    }
                }
            }
        }
        // assemble: J (B, m, d), H (B, m, d, d), T (B, m, d, d, d)
        TensorVector jRows = new TensorVector();
        TensorVector hRows = new TensorVector();
        TensorVector tRows = new TensorVector();
        for (int a = 0; a < m; a++) {
            jRows.push_back(torch.stack(new TensorVector(jac[a]), 1));
            TensorVector hi = new TensorVector();
            TensorVector ti = new TensorVector();
            for (int i = 0; i < d; i++) {
                hi.push_back(torch.stack(new TensorVector(hes[a][i]), 1));
                if (thr != null) {
                    TensorVector tij = new TensorVector();
                    for (int j = 0; j < d; j++) {
                        tij.push_back(torch.stack(new TensorVector(thr[a][i][j]), 1));
                    }
                    ti.push_back(torch.stack(tij, 1));
                }
            }
            hRows.push_back(torch.stack(hi, 1));
            if (thr != null) {
                tRows.push_back(torch.stack(ti, 1));
            }
        }
        Tensor j = torch.stack(jRows, 1);
        Tensor h = torch.stack(hRows, 1);
        Tensor t = thr == null ? null : torch.stack(tRows, 1);
        return new Derivatives(x, j, h, t);
    }

    /** ∂(Σ_b y_b)/∂z with create_graph; zeros where y does not depend on z. */
    private static Tensor grad(Tensor y, Tensor z) {
        if (!y.requires_grad()) {
            return torch.zeros_like(z);
        }
        TensorVector g = torch.grad(new TensorVector(y.sum()), new TensorVector(z), new TensorVector(),
                new BoolOptional(true), true, true);
        Tensor r = g.get(0);
        return r.defined() ? r : torch.zeros_like(z);
    }

    private static Tensor[] columns(Tensor g, int d) {
        Tensor[] c = new Tensor[d];
        for (int i = 0; i < d; i++) {
            c[i] = g.select(1, i);
        }
        return c;
    }
}
