/**
 * Statistics of benchmark grids on Apache Commons Math: the paired Wilcoxon signed-rank test
 * ({@link gear.experiment.stats.SignedRank}) and a seeded two-stage percentile bootstrap
 * ({@link gear.experiment.stats.Bootstrap}), with the conventions Commons Math leaves to the caller
 * (zero differences, exact or approximate p-values, the random stream) fixed and tested here. The
 * grid's comparisons of GEAR against the baselines use them ({@link gear.experiment.grid.Comparisons};
 * design/GEAR.md §6).
 */
package gear.experiment.stats;
