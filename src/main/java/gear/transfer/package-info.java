/**
 * Transfer-learning methods on the D-MPNN backbone: STL, MTL, fine-tuning, KD, GSP-KD, GATE and GEAR
 * (design/GEAR.md), and their loss terms ({@link gear.transfer.Losses}).
 */
package gear.transfer;
