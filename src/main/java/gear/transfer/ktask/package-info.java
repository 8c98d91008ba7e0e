/**
 * GEAR (and the GATE, MTL and fine-tuning baselines) across k ≥ 2 tasks (issue 17; design in {@code docs/KTASKS.md}): k task networks (embedding, encoder,
 * φ_τ, ψ_τ, head; for GEAR nothing shared), one common flat space M, alignment through the leave-one-out mean point of
 * M at O(k) cost per batch, the metric loss per task and every task's Ricci scalar matched against the others'.
 *
 * <ul>
 *   <li>{@link gear.transfer.ktask.KTaskData}: the training data of k tasks (one primary task whose training set
 *       defines the epochs and whose validation score selects the epoch, and possibly further evaluated tasks:
 *       then the mean standardized validation RMSE selects);</li>
 *   <li>{@link gear.transfer.ktask.KTaskModel}: the k networks, scalers and task names;</li>
 *   <li>{@link gear.transfer.ktask.KLosses}: the k-task loss terms as pure tensor functions;</li>
 *   <li>{@link gear.transfer.ktask.KMethod}: a method across k tasks ({@link gear.transfer.ktask.KGear},
 *       and the baselines {@link gear.transfer.ktask.KGate}, {@link gear.transfer.ktask.KMtl} and
 *       {@link gear.transfer.ktask.KFinetune}, which pretrains on every non-evaluated task first), the terms of one
 *       batch through {@link gear.transfer.ktask.KStep};</li>
 *   <li>{@link gear.transfer.ktask.KTaskRun}: one run from k data sets (purge, cross-labels, scalers, training,
 *       test metrics per evaluated task, run directory with checkpoints and resume, {@code KTaskRunFiles});
 *       {@link gear.transfer.ktask.KTaskModelFile}: the model file;</li>
 *   <li>{@link gear.transfer.ktask.KTaskTrainer}: the phases as {@link gear.train.Objective}s of the one training
 *       engine {@link gear.train.Engine}.</li>
 * </ul>
 *
 * What a pair and a task set have in common is one code path in {@code gear.transfer}: the step
 * ({@link gear.transfer.PhaseObjective}, {@link gear.transfer.PhaseStep}; {@code --threads} as data-parallel lanes),
 * the networks ({@link gear.transfer.TaskNetwork#build}), the training data ({@link gear.transfer.TaskSetData}), the
 * pretraining cache and the model-file header.
 *
 * With k = 2 and the tasks in the order (source, target) every term equals the two-task method's
 * ({@link gear.transfer.method.Gear}, {@link gear.transfer.method.Gate}, {@link gear.transfer.method.Mtl}) and the initial weights, batches and random draws are the same, so the two
 * train the same model up to float32 round-off (KTaskGearTest, KTaskBaselinesTest).
 */
package gear.transfer.ktask;
