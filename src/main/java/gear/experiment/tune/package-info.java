/**
 * {@code gear tune}: hyperparameter tuning that is equal for every method (design/GEAR.md §6, "Tuning, where used,
 * gives every method the same number of trials on validation folds").
 *
 * <p>{@link gear.experiment.tune.SearchSpace} declares what is searched (ranges shared by every method, and per
 * method the ranges of the options it reads; {@link gear.experiment.tune.Param} one range);
 * {@link gear.experiment.tune.TuneConfig} the units (pairs × split types × seeds, resolved by the grid's
 * {@link gear.experiment.grid.Protocol}) and the successive-halving schedule; {@link gear.experiment.tune.Tuner}
 * runs the trials resumably (one directory and one {@link gear.experiment.grid.CellLock} per trial) through a
 * {@link gear.experiment.tune.TrialRunner} that sees the non-test pool only, and
 * {@link gear.experiment.tune.TuneReport} writes {@code trials.csv}, {@code summary.md} and {@code chosen.json},
 * which {@code gear benchmark --tuned} reads. Depends on {@code gear.experiment.grid}, never the other way.
 */
package gear.experiment.tune;
