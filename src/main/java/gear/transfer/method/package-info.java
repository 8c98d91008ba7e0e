/**
 * The transfer methods, one class each behind {@link gear.transfer.TransferMethod} (design/GEAR.md §4–5):
 * {@link gear.transfer.method.Stl}, {@link gear.transfer.method.Mtl}, {@link gear.transfer.method.Finetune},
 * {@link gear.transfer.method.Kd}, {@link gear.transfer.method.GspKd}, {@link gear.transfer.method.Gate} and
 * {@link gear.transfer.method.Gear}, registered in {@code META-INF/services/gear.transfer.TransferMethod} and
 * found by {@link gear.transfer.Methods}. Each declares its modules, phases, loss terms with their weights,
 * diagnostics and options, and computes its terms for one batch from a {@link gear.transfer.StepContext}.
 */
package gear.transfer.method;
