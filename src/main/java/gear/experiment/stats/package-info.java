/**
 * Statistics of benchmark grids on maintained libraries: the paired Wilcoxon signed-rank test
 * ({@link gear.experiment.stats.SignedRank}, Hipparchus, whose normal approximation is corrected where Apache
 * Commons Math 3.6.1's is not) and a seeded two-stage percentile bootstrap ({@link gear.experiment.stats.Bootstrap},
 * Apache Commons Math), with the conventions the libraries leave to the caller
 * (zero differences, exact or approximate p-values, the random stream) fixed and tested here. The
 * grid's comparisons of GEAR against the baselines use them ({@link gear.experiment.grid.Comparisons};
 * design/GEAR.md §6).
 */
package gear.experiment.stats;
