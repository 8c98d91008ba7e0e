/**
 * The one training engine of gear and single-task training on it: {@link gear.train.Engine} (chemprop's
 * {@link gear.train.NoamSchedule}, Adam, clipping, divergence detection, model selection and early stopping
 * through a {@link gear.train.TaskType}, resumable {@link gear.train.Checkpoint}s, per-epoch
 * {@link gear.train.TrainListener}s) drives an {@link gear.train.Objective} that returns named loss terms for a
 * batch. Single-task D-MPNN training is {@link gear.train.Trainer} (a {@link gear.train.DmpnnObjective}); every
 * transfer method's phases are objectives of {@code gear.transfer}. The self-describing model file is
 * {@link gear.train.ModelFile}, loaded as a {@link gear.train.TrainedModel}; the throughput benchmark is
 * {@link gear.bench.TrainBench}.
 *
 * <p>Inputs are plain: featurized graphs and target matrices (NaN = missing), already split, plus the
 * scaling statistics of the training split. The task types are {@link gear.train.Regression} and
 * {@link gear.train.MeanVariance} (a mean and a variance head, Gaussian NLL); an {@link gear.train.Ensemble} holds
 * models that differ in their initialization seed ({@link gear.train.UncertaintyOptions}).
 */
package gear.train;
