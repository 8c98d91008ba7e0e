package gear.geometry;

import org.bytedeco.pytorch.Tensor;

/**
 * Anything that yields J, H (and optionally T) of an immersion z ↦ x at a batch of latent points: the
 * analytic SiLU-MLP recursion ({@link MlpDerivatives}), the nested-autograd baseline
 * ({@link AutogradDerivatives}) or a closed-form parametrization (sphere, torus, ... in the tests).
 * {@link Curvature} works on any provider.
 */
@FunctionalInterface
public interface DerivativeProvider {
    /**
     * @param z latent points, shape (B, d_z)
     * @param order 2 for (x, J, H) or 3 for (x, J, H, T)
     * @return the derivatives; see {@link Derivatives} for shapes and index order
     */
    Derivatives derivatives(Tensor z, int order);
}
