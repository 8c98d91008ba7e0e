/**
 * Transfer-learning methods on the D-MPNN backbone (design/GEAR.md): STL, MTL, fine-tuning, KD, GSP-KD,
 * GATE and GEAR, each one class in {@code gear.transfer.method} behind {@link gear.transfer.TransferMethod},
 * found by the {@link gear.transfer.Methods} registry ({@code META-INF/services/gear.transfer.TransferMethod}).
 *
 * <ul>
 *   <li>{@link gear.transfer.TransferRun#run(gear.transfer.TransferSpec)} → {@link gear.transfer.TransferOutcome}:
 *       one pair, one method, one target split (the entry point of {@code gear transfer} and of the grid);</li>
 *   <li>{@link gear.transfer.TransferModel}: both tasks' {@link gear.transfer.TaskNetwork}s (embedding → encoder →
 *       φ → ψ → head) laid out as the method says, scalers, names; {@link gear.transfer.TransferModelFile}
 *       writes and reads it;</li>
 *   <li>{@link gear.transfer.TransferSchema}: every option of a transfer run, declared once; a run's values of them are
 *       a {@link gear.transfer.TransferOptions};</li>
 *   <li>{@link gear.transfer.Losses}: the loss terms and the GATE/GEAR composites; GEAR's geometric terms (l_metric,
 *       l_curv) in {@link gear.transfer.GeometryLosses};</li>
 *   <li>{@link gear.transfer.TransferTrainer}: a method's phases, each a {@link gear.transfer.TransferObjective}
 *       (paired batches, masks, the method's terms through {@link gear.transfer.StepContext}) run by the one
 *       training engine {@link gear.train.Engine};</li>
 *   <li>{@link gear.transfer.PhaseObjective} and {@link gear.transfer.PhaseStep}: the training step of every phase
 *       of two or k tasks (seeding, batch on the data-parallel lanes, weighted terms, hand-derived D-MPNN backward)
 *       and what a method sees of it; {@link gear.transfer.TaskSetData}: the training data of a pair or a task set
 *       (purge, cross-labels, scalers);</li>
 *   <li>{@link gear.transfer.Diagnostics}: curvature diagnostics of a model's latent manifolds;</li>
 *   <li>{@link gear.transfer.LatentPicture}: the picture of both latent manifolds in the common space M (one PCA
 *       basis, coloured by Ricci scalar and target value), for {@code gear curvature} and {@code gear report};</li>
 *   <li>{@link gear.transfer.RunFiles}: the files of a run directory;</li>
 *   <li>{@link gear.transfer.PretrainCache}: the source pretraining of finetune, KD and GSP-KD (and the warm start
 *       {@code source_init pretrained}), computed once per key and shared between runs and grid workers; what a
 *       pretraining reads (its held-out source validation share) and its key: {@link gear.transfer.Pretraining};</li>
 *   <li>{@link gear.transfer.TransferEnsemble}: N transfer models differing only by initialization seed
 *       ({@code gear transfer --ensemble-size N}, trained by {@link gear.transfer.TransferRun} with
 *       {@link gear.transfer.TransferEnsembles}: mean, spread, z-scaling on the target validation set);
 *       {@link gear.transfer.TransferEnsembleFile} writes and reads it (kind {@code transfer-ensemble}).</li>
 * </ul>
 */
package gear.transfer;
