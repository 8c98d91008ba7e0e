/**
 * Geometry of latent manifolds: analytic derivatives of SiLU MLPs, pull-back metric, Christoffel symbols and the Ricci scalar (design/GEAR.md sections 2-3).
 */
package gear.geometry;
