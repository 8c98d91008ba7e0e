package gear.geometry;

import org.bytedeco.pytorch.Tensor;

/**
 * The value and the first three derivatives of an immersion x = φ(z) at a batch of B points.
 *
 * <p>Index convention (leading batch index b omitted): {@code J[a][i] = ∂x^a/∂z^i},
 * {@code H[a][i][j] = ∂²x^a/∂z^i∂z^j}, {@code T[a][i][j][k] = ∂³x^a/∂z^i∂z^j∂z^k}; a runs over the
 * d_M coordinates of the flat space M, i, j, k over the d_z latent coordinates. H is symmetric in
 * (i, j) and T in (i, j, k).
 *
 * @param x the points φ(z), shape (B, d_M); may be null for closed-form providers that do not need it
 * @param jacobian J, shape (B, d_M, d_z)
 * @param hessian H, shape (B, d_M, d_z, d_z)
 * @param third T, shape (B, d_M, d_z, d_z, d_z), or null when only second order was requested
 */
public record Derivatives(Tensor x, Tensor jacobian, Tensor hessian, Tensor third) {
    /** @return the batch size B */
    public long batch() {
        return jacobian.size(0);
    }

    /** @return the ambient dimension d_M */
    public long ambientDim() {
        return jacobian.size(1);
    }

    /** @return the latent dimension d_z */
    public long latentDim() {
        return jacobian.size(2);
    }
}
