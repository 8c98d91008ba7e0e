/**
 * Experiments: metrics, plots, grids of runs, result files and reports.
 */
package gear.experiment;
