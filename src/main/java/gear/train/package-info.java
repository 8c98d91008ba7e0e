/**
 * Single-task (and multi-output) training of a {@link gear.nn.Dmpnn}: the chemprop v1 training loop
 * ({@link gear.train.Trainer}), its learning-rate schedule ({@link gear.train.NoamSchedule}),
 * per-epoch listeners ({@link gear.train.TrainListener}), resumable checkpoints
 * ({@link gear.train.Checkpoint}), the self-describing model file ({@link gear.train.ModelFile},
 * loaded as a {@link gear.train.TrainedModel}); its throughput benchmark is {@link gear.bench.TrainBench}.
 *
 * <p>Inputs are plain: featurized graphs and target matrices (NaN = missing), already split, plus
 * the standardization statistics of the training split. The CLI commands {@code train} and
 * {@code predict} are thin wrappers over {@link gear.train.Trainer#fit} and
 * {@link gear.train.ModelFile#load} + {@link gear.train.TrainedModel#predict}.
 */
package gear.train;
