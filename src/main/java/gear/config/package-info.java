/**
 * The options schema: every option of the commands that train declared once ({@link gear.config.Opt}: key,
 * type, default, unit, description, validation) in a {@link gear.config.Schema}; validated values
 * ({@link gear.config.Values}) with a stable key/value and JSON form. The picocli options, {@code --config}
 * files, the grid's {@code --set} keys, {@code config.json} and model-file provenance are derived from it. An
 * unknown key is refused with the closest valid one ({@link gear.config.UnknownOptionException}). Depends on
 * nothing else of gear.
 */
package gear.config;
