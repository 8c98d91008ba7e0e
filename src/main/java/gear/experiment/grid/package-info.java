/**
 * The benchmark grid (design/GEAR.md §6): pairs × methods × split types × seeds × folds, each cell one
 * trained transfer model.
 *
 * <p>{@link gear.experiment.grid.PairsFile} reads the pairs; {@link gear.experiment.grid.Protocol}
 * resolves a cell's target split (20% test held out; k folds over the rest, optionally after a seeded
 * subsample) and purges the source of every target-test molecule; {@link gear.experiment.grid.Grid}
 * enumerates the cells, runs them through a {@link gear.experiment.grid.CellRunner} on several workers
 * (child JVMs by default, see {@link gear.experiment.grid.Isolation}), resumes after an interruption and
 * writes {@code results.csv}, {@code results.json}, {@code summary.md} and plots
 * ({@link gear.experiment.grid.ResultsFiles}, {@link gear.experiment.grid.Summary}).
 */
package gear.experiment.grid;
