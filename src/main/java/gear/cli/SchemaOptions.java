package gear.cli;

import gear.config.Opt;
import gear.config.Schema;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Derives picocli options from a {@link Schema}: one option per {@link Opt} ({@code w_curv} →
 * {@code --w-curv}, its description, rule and default in {@code --help}), and reads back the ones given on
 * the command line as key → text, to be validated by the schema (so that a bad value gets the option's own
 * message and exit code 2).
 */
final class SchemaOptions {
    private SchemaOptions() {}

    /**
     * Adds every option of {@code schema} that the command does not already declare.
     *
     * @param helpOverrides replacement descriptions by key (e.g. a default that depends on another option)
     */
    static void add(CommandSpec spec, Schema schema, Map<String, String> helpOverrides) {
        for (Opt<?> o : schema.options()) {
            if (spec.findOption(o.flag()) != null) {
                continue;
            }
            String help = helpOverrides.getOrDefault(o.key(), o.help());
            spec.addOption(OptionSpec.builder(o.flag()).type(String.class).paramLabel(label(o)).description(help)
                    .build());
        }
    }

    private static String label(Opt<?> o) {
        if (!o.choices().isEmpty()) {
            return String.join("|", o.choices());
        }
        return o.type() == Integer.class || o.type() == Long.class ? "N" : "X";
    }

    /** @return the schema options given on the command line, key → text as given */
    static Map<String, String> explicit(CommandLine cl, Schema schema) {
        Map<String, String> m = new LinkedHashMap<>();
        CommandLine.ParseResult pr = cl.getParseResult();
        for (Opt<?> o : schema.options()) {
            if (pr != null && pr.hasMatchedOption(o.flag())) {
                m.put(o.key(), pr.matchedOptionValue(o.flag(), (String) null));
            }
        }
        return m;
    }
}
