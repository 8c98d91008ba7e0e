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
 * ({@link gear.experiment.grid.ResultsFiles}, {@link gear.experiment.grid.Summary}). A worker holds its
 * cell's {@link gear.experiment.grid.CellLock} while it runs, and a child worker ends with its parent
 * ({@link gear.experiment.grid.GridWorker}); a {@link gear.experiment.grid.CellLauncher} runs the cells
 * elsewhere (a Spark cluster) with the same single-cell entry points. The summary's statistics (at least,
 * best baseline on validation, bootstrap intervals, Wilcoxon tests) are {@link gear.experiment.grid.Comparisons}; its
 * convergence check (the cells that selected an epoch in the last tenth of their budget) is
 * {@link gear.experiment.grid.Convergence}. For task sets, {@link gear.experiment.grid.TaskSets} compares k-task
 * GEAR with its best single source (pair cells of this and other grids, matched on equal target splits,
 * {@link gear.experiment.grid.TargetSplit}; the other grids named by {@code --pairs-from} or recorded in the grid's
 * config.json: {@link gear.experiment.grid.PairGrids}) and the k-task baselines with the same statistics.
 *
 * <p>The studies of §6 are cells of the same grid: label noise is a cell coordinate
 * ({@link gear.experiment.grid.CellKey#noise()}, corrupted in {@link gear.experiment.grid.Grid#cell}),
 * the GEAR ablation variants are method names ({@link gear.experiment.grid.Ablation}), and the value split
 * is a split type whose cells are read in and out of the training range
 * ({@link gear.experiment.grid.Extrapolation}); {@link gear.experiment.grid.Studies} and
 * {@link gear.experiment.grid.StudyPlots} summarise them.
 */
package gear.experiment.grid;
