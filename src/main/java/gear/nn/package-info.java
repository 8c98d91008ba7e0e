/**
 * Neural-network building blocks over libtorch (JavaCPP presets): runtime and thread settings
 * ({@link gear.nn.Torch}), array/tensor conversion ({@link gear.nn.Tensors}), named parameters
 * ({@link gear.nn.Params}), layers, the Adam optimizer, the safetensors file format, and the chemprop v1
 * D-MPNN: batches of molecule graphs ({@link gear.nn.BatchGraph}), the message passing encoder
 * ({@link gear.nn.DmpnnEncoder}), the feed-forward head ({@link gear.nn.FfnHead}) and the model
 * joining them ({@link gear.nn.Dmpnn}, hyperparameters in {@link gear.nn.DmpnnConfig}).
 *
 * <p>Memory discipline: every op returns a native object. Parameters and optimizer state are created
 * outside any {@link org.bytedeco.javacpp.PointerScope}; each training step runs inside one, so its
 * temporaries are freed when the step ends.
 */
package gear.nn;
