/**
 * Geometry of latent manifolds (design/GEAR.md §§2–3; GEAR: Ko et al., "Geometric Embedding Alignment
 * via Curvature Matching in Transfer Learning", arXiv 2506.13015).
 *
 * <p>A transfer map x = φ(z), a {@link gear.geometry.SiluMlp} from the latent chart (dimension d_z)
 * into a flat space M (dimension d_M &gt; d_z), makes the latent space an immersed Riemannian
 * manifold with the pulled-back metric g = JᵀJ. This package computes
 * <ul>
 *   <li>J = ∂x/∂z, H = ∂²x/∂z², T = ∂³x/∂z³ analytically by batched forward-mode recursion
 *       ({@link gear.geometry.MlpDerivatives}), or by nested autograd as a baseline
 *       ({@link gear.geometry.AutogradDerivatives}); any {@link gear.geometry.DerivativeProvider}
 *       (e.g. a closed-form parametrization) can be used instead;</li>
 *   <li>g, the Christoffel symbols and the Ricci scalar R by the intrinsic contracted formula or by the
 *       Gauss equation ({@link gear.geometry.Curvature}), with singular metrics reported in a
 *       {@link gear.geometry.CurvatureResult}; for a SiLU MLP the Gauss route runs on the MLP's rank-one
 *       factors without second derivatives ({@link gear.geometry.MlpGaussCurvature});</li>
 *   <li>the principal axes of points in M by libtorch's SVD ({@link gear.geometry.Pca}), for the picture of the
 *       latent manifolds;</li>
 *   <li>per-point diagnostics ({@link gear.geometry.LatentDiagnostics}); the cost benchmark is
 *       {@link gear.bench.CurvatureBenchmark}.</li>
 * </ul>
 *
 * <p>Index convention: tensors carry a leading batch index b; ambient index a (1..d_M) precedes latent
 * indices i, j, k (1..d_z): J[b,a,i], H[b,a,i,j], T[b,a,i,j,k], Γ^k_ij as [b,k,i,j]. Sign
 * convention: the round sphere S^n of radius r has R = n(n−1)/r² &gt; 0. Everything is ordinary
 * libtorch tensor algebra, differentiable with respect to the MLP weights by one backward pass.
 *
 * <p>Typical use in a curvature-matching loss:
 * <pre>{@code
 * CurvatureResult rs = Curvature.ricciScalar(phiSource, zSource, Curvature.Route.GAUSS);
 * CurvatureResult rt = Curvature.ricciScalar(phiTarget, zTarget, Curvature.Route.GAUSS);
 * Tensor lCurv = torch.mse_loss(rs.scalar(), rt.scalar()); // rs.singularCount() points are masked (R = 0)
 * }</pre>
 */
package gear.geometry;
