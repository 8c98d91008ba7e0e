/**
 * Evaluation shared by every layer that trains or reports: regression metrics ({@link gear.eval.Metrics}:
 * RMSE, MAE, R²) and the plots of a run or grid ({@link gear.eval.Plots}: learning curves, histograms, bar
 * charts, written as PNG through XChart; {@link gear.eval.ParityPlots}: parity plots; {@link gear.eval.ManifoldPlot}: scatter panels coloured by
 * a value with a colour bar, the latent-manifold picture) and the calibration of predicted standard
 * deviations ({@link gear.eval.Calibration}: miscalibration area, Spearman's ρ of error and uncertainty, z-scaling).
 *
 * <p>It sits below {@code train}, {@code transfer}, {@code run} and {@code experiment} and imports only
 * {@code data}, so that nothing imports upward.
 */
package gear.eval;
