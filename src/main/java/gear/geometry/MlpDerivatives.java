package gear.geometry;

import gear.nn.Tensors;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Analytic derivatives J, H, T of a {@link SiluMlp} by batched forward-mode recursion
 * (design/GEAR.md §3; GEAR, Ko et al., arXiv 2506.13015).
 *
 * <p>Starting from a⁽⁰⁾ = z with ∂a = I, ∂²a = 0, ∂³a = 0, an affine layer u = W a + b maps
 * (∂a, ∂²a, ∂³a) to (W ∂a, W ∂²a, W ∂³a), and the elementwise SiLU a = s(u) maps, per unit p,
 * <pre>
 *   ∂_i a   = s' ∂_i u
 *   ∂_ij a  = s'' ∂_i u ∂_j u + s' ∂_ij u
 *   ∂_ijk a = s''' ∂_i u ∂_j u ∂_k u + s'' (∂_ij u ∂_k u + ∂_ik u ∂_j u + ∂_jk u ∂_i u) + s' ∂_ijk u
 * </pre>
 * with σ the logistic function, s = uσ, s' = σ + uσ', s'' = 2σ' + uσ'', s''' = 3σ'' + uσ''',
 * σ' = σ(1−σ), σ'' = σ'(1−2σ), σ''' = σ'(1−6σ+6σ²).
 *
 * <p>Symmetry: second and third derivatives are carried in packed form over the index pairs i ≤ j
 * (d(d+1)/2 entries instead of d²) and triples i ≤ j ≤ k (d(d+1)(d+2)/6 instead of d³), and
 * unpacked by a gather only at the end; the first layer's zero H and T are skipped. Everything is
 * ordinary libtorch tensor algebra, so the results are differentiable with respect to the MLP weights
 * by one ordinary reverse-mode pass; no nested autograd graph is built.
 */
public final class MlpDerivatives implements DerivativeProvider {
    private final SiluMlp mlp;
    private final long[] p2i;
    private final long[] p2j;
    private final long[] unpack2;
    private final long[] t3i;
    private final long[] t3j;
    private final long[] t3k;
    private final long[] t3ij;
    private final long[] t3ik;
    private final long[] t3jk;
    private final long[] unpack3;

    /** @param mlp the map φ whose derivatives are computed */
    public MlpDerivatives(SiluMlp mlp) {
        this.mlp = mlp;
        int d = mlp.inDim();
        int n2 = d * (d + 1) / 2;
        p2i = new long[n2];
        p2j = new long[n2];
        int[][] pair = new int[d][d];
        int c = 0;
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                p2i[c] = i;
                p2j[c] = j;
                pair[i][j] = c;
                pair[j][i] = c;
                c++;
            }
        }
        unpack2 = new long[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                unpack2[i * d + j] = pair[i][j];
            }
        }
        int n3 = d * (d + 1) * (d + 2) / 6;
        t3i = new long[n3];
        t3j = new long[n3];
        t3k = new long[n3];
        t3ij = new long[n3];
        t3ik = new long[n3];
        t3jk = new long[n3];
        int[][][] triple = new int[d][d][d];
        c = 0;
        for (int i = 0; i < d; i++) {
            for (int j = i; j < d; j++) {
                for (int k = j; k < d; k++) {
                    t3i[c] = i;
                    t3j[c] = j;
                    t3k[c] = k;
                    t3ij[c] = pair[i][j];
                    t3ik[c] = pair[i][k];
                    t3jk[c] = pair[j][k];
                    int[][] perms = {{i, j, k}, {i, k, j}, {j, i, k}, {j, k, i}, {k, i, j}, {k, j, i}};
                    for (int[] p : perms) {
                        triple[p[0]][p[1]][p[2]] = c;
                    }
                    c++;
                }
            }
        }
        unpack3 = new long[d * d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < d; k++) {
                    unpack3[(i * d + j) * d + k] = triple[i][j][k];
                }
            }
        }
    }

    /** An int64 index tensor on the device of {@code like}. */
    private static Tensor index(long[] v, Tensor like) {
        Tensor t = Tensors.of(v, v.length);
        return like.is_cuda() ? t.to(like.device(), torch.ScalarType.Long) : t;
    }

    /** @return the MLP */
    public SiluMlp mlp() {
        return mlp;
    }

    @Override
    public Derivatives derivatives(Tensor z, int order) {
        if (order != 2 && order != 3) {
            throw new IllegalArgumentException("derivative order must be 2 or 3, got " + order);
        }
        if (z.dim() != 2 || z.size(1) != mlp.inDim()) {
            throw new IllegalArgumentException("latent points must have shape (B, " + mlp.inDim() + "), got "
                    + java.util.Arrays.toString(Tensors.shape(z)));
        }
        boolean third = order == 3;
        long b = z.size(0);
        int d = mlp.inDim();
        Tensor i2 = index(p2i, z);
        Tensor j2 = index(p2j, z);
        Tensor i3 = third ? index(t3i, z) : null;
        Tensor j3 = third ? index(t3j, z) : null;
        Tensor k3 = third ? index(t3k, z) : null;
        Tensor ij3 = third ? index(t3ij, z) : null;
        Tensor ik3 = third ? index(t3ik, z) : null;
        Tensor jk3 = third ? index(t3jk, z) : null;

        // Layout: the unit index p is last, so that an affine layer is one GEMM over all points and
        // derivative slots: (B·slots, q) × (q, p).
        Tensor a = z;
        Tensor jac = null; // (B, d, p): ∂_i a_p; null means the identity (input layer)
        Tensor hes = null; // (B, d(d+1)/2, p) packed; null means zero
        Tensor thr = null; // (B, d(d+1)(d+2)/6, p) packed; null means zero
        int layers = mlp.layers();
        for (int l = 0; l < layers; l++) {
            Tensor wt = mlp.weight(l).t(); // (q, p)
            Tensor u = torch.matmul(a, wt).add(mlp.bias(l));
            Tensor ju = jac == null ? wt.unsqueeze(0).expand(b, d, wt.size(1)) : torch.matmul(jac, wt);
            Tensor hu = hes == null ? null : torch.matmul(hes, wt);
            Tensor tu = thr == null ? null : torch.matmul(thr, wt);
            if (l + 1 == layers) {
                a = u;
                jac = ju;
                hes = hu;
                thr = tu;
                break;
            }
            Tensor sg = torch.sigmoid(u);
            Tensor one = torch.ones_like(sg);
            Tensor ds = sg.mul(one.sub(sg)); // σ'
            Tensor dds = ds.mul(one.sub(sg.mul(new Scalar(2.0)))); // σ''
            Tensor s1 = sg.add(u.mul(ds)).unsqueeze(1); // (B, 1, p)
            Tensor s2 = ds.mul(new Scalar(2.0)).add(u.mul(dds)).unsqueeze(1);
            Tensor ji = ju.index_select(1, i2);
            Tensor jj = ju.index_select(1, j2);
            Tensor hNew = s2.mul(ji).mul(jj);
            if (hu != null) {
                hNew = hNew.add(s1.mul(hu));
            }
            Tensor tNew = null;
            if (third) {
                // σ''' = σ'(1 − 6σ + 6σ²)
                Tensor ddds = ds.mul(one.sub(sg.mul(new Scalar(6.0))).add(sg.mul(sg).mul(new Scalar(6.0))));
                Tensor s3 = dds.mul(new Scalar(3.0)).add(u.mul(ddds)).unsqueeze(1);
                Tensor a3 = ju.index_select(1, i3);
                Tensor b3 = ju.index_select(1, j3);
                Tensor c3 = ju.index_select(1, k3);
                tNew = s3.mul(a3).mul(b3).mul(c3);
                if (hu != null) {
                    Tensor mixed = hu.index_select(1, ij3).mul(c3)
                            .add(hu.index_select(1, ik3).mul(b3))
                            .add(hu.index_select(1, jk3).mul(a3));
                    tNew = tNew.add(s2.mul(mixed));
                }
                if (tu != null) {
                    tNew = tNew.add(s1.mul(tu));
                }
            }
            a = torch.silu(u);
            jac = s1.mul(ju);
            hes = hNew;
            thr = tNew;
        }
        long m = mlp.outDim();
        Tensor hFull;
        if (hes == null) { // a single affine layer: φ is affine, H = 0
            hFull = torch.zeros(new long[] {b, m, d, d}, z.options());
        } else {
            hFull = hes.index_select(1, index(unpack2, z)).transpose(1, 2).reshape(b, m, d, d);
        }
        Tensor tFull = null;
        if (third) {
            if (thr == null) {
                tFull = torch.zeros(new long[] {b, m, d, d, d}, z.options());
            } else {
                tFull = thr.index_select(1, index(unpack3, z)).transpose(1, 2).reshape(b, m, d, d, d);
            }
        }
        return new Derivatives(a, jac.transpose(1, 2).contiguous(), hFull, tFull);
    }
}
