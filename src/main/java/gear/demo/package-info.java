/**
 * The project's own demo data set and the {@code gear demo} pipeline.
 *
 * <p>{@link gear.demo.Joback} estimates normal boiling points and critical temperatures with the
 * Joback–Reid group-contribution method; {@link gear.demo.MoleculeEnumerator} builds a few thousand
 * small molecules from fragments the method covers; {@link gear.demo.DemoData} labels them with the
 * estimates plus seeded Gaussian noise and writes the two CSV files of the demo (source task: boiling
 * point; target task: critical temperature); {@link gear.demo.Demo} runs the demo's stages in order.
 * No external data is read: the labels are group-contribution <em>estimates</em>, not measurements.
 */
package gear.demo;
