/**
 * Neural-network building blocks over libtorch (JavaCPP presets): runtime and thread settings
 * ({@link gear.nn.Torch}), array/tensor conversion ({@link gear.nn.Tensors}), named parameters
 * ({@link gear.nn.Params}), layers, the Adam optimizer, the safetensors file format, and the chemprop v1
 * D-MPNN: batches of molecule graphs ({@link gear.nn.BatchGraph}), the message passing encoder
 * ({@link gear.nn.DmpnnEncoder}), the feed-forward head ({@link gear.nn.FfnHead}) and the model
 * joining them ({@link gear.nn.Dmpnn}, hyperparameters in {@link gear.nn.DmpnnConfig}), and its training
 * step with a hand-derived backward pass and buffers kept across batches ({@link gear.nn.DmpnnTrainStep},
 * timed per phase by {@link gear.nn.PhaseTimer}), run data-parallel on several cores by
 * {@link gear.nn.EncoderLanes} (batch parts {@link gear.nn.BatchParts} on the threads of {@link gear.nn.Lanes}).
 *
 * <p>Memory discipline: every op returns a native object. Parameters and optimizer state are created
 * outside any {@link org.bytedeco.javacpp.PointerScope}; each training step runs inside one, so its
 * temporaries are freed when the step ends. {@link gear.nn.DmpnnTrainStep} keeps its activation and
 * gradient buffers outside the scopes too and only resizes them per batch. Pointer scopes are per thread: a lane
 * keeps its own scope for the length of a step ({@link gear.nn.Lanes#release()}).
 */
package gear.nn;
