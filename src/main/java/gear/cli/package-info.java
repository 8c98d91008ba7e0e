/**
 * The {@code gear} command line (picocli): one thin class per command over the library. The command
 * names and options are the contract of {@code design/CLI.md}.
 *
 * <p>Reusable option mixins for commands that train: {@link gear.cli.CommonOptions} ({@code --data-dir,
 * -q, -v, --config}; the options a run's {@code config.json} holds are derived from its schema by
 * {@link gear.cli.SchemaOptions}) and
 * {@link gear.cli.SplitOptions} ({@code --split-type, --split-sizes, --splits-file, --invalid}). Their
 * config-capable values are null unless given, so a command can layer defaults, a {@code config.json}
 * and explicit options ({@code explicit()} returns the given ones as snake_case JSON).
 */
package gear.cli;
