/**
 * The {@code gear} command line (picocli): one thin class per command over the library. The command
 * names and options are the contract of {@code design/CLI.md}.
 */
package gear.cli;
