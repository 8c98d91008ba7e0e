/**
 * Transfer-learning methods on the D-MPNN backbone (design/GEAR.md): STL, MTL, fine-tuning, KD, GSP-KD,
 * GATE and GEAR ({@link gear.transfer.Method}).
 *
 * <ul>
 *   <li>{@link gear.transfer.TransferRun#run(gear.transfer.TransferSpec)} → {@link gear.transfer.TransferOutcome}:
 *       one pair, one method, one target split (the entry point of {@code gear transfer} and of the grid);</li>
 *   <li>{@link gear.transfer.TransferModel}: both tasks' {@link gear.transfer.TaskNetwork}s (embedding → encoder →
 *       φ → ψ → head), scalers, names; {@link gear.transfer.TransferModelFile} writes and reads it;</li>
 *   <li>{@link gear.transfer.Losses}: every loss term and the GATE/GEAR composites;</li>
 *   <li>{@link gear.transfer.TransferTrainer}: the training loop (paired batches, masks, Noam, Adam,
 *       model selection on target validation RMSE, divergence detection);</li>
 *   <li>{@link gear.transfer.Diagnostics}: curvature diagnostics of a model's latent manifolds;</li>
 *   <li>{@link gear.transfer.RunFiles}: the files of a run directory.</li>
 * </ul>
 */
package gear.transfer;
