/**
 * The Java API: a small facade over the library for Java users ({@link gear.api.Gear}: load a model, predict and embed
 * SMILES, train and transfer from code). Models hold native libtorch tensors and are {@link java.lang.AutoCloseable}.
 * Nothing here depends on the command-line layer.
 */
package gear.api;
