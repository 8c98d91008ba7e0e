package gear.experiment.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rebuilds {@code gear …} command lines from a run's {@code config.json}, whatever shape the writing
 * command chose. Recognised, in this order:
 *
 * <ol>
 *   <li>an argument vector under {@code argv}, {@code args}, {@code arguments} or {@code command_line}
 *       (array of strings, or one string shown as is);</li>
 *   <li>a command name under {@code command} (or {@code subcommand}; a leading {@code gear } is
 *       dropped) and options under {@code options} (object), or else every other top-level field.
 *       Each option becomes {@code --kebab-case-name value}: arrays give several values, {@code true}
 *       a bare flag; {@code false}, null and nested objects are left out and listed.</li>
 * </ol>
 *
 * When the command is known, {@code gear COMMAND --config CONFIG} (the common option of CLI.md) is
 * offered as well. Values are quoted for a POSIX shell.
 */
public final class Reproduce {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=,+@%^-]+");
    private static final List<String> ARGV_KEYS = List.of("argv", "args", "arguments", "command_line", "commandLine");
    private static final Set<String> META = Set.of("command", "subcommand", "version", "gear_version", "gearVersion",
            "format", "format_version", "created", "provenance", "libtorch_version");

    private Reproduce() {}

    /**
     * The reconstruction.
     *
     * @param command the gear sub-command, or null if the config does not say
     * @param commandLines command lines to show, best first (may be empty)
     * @param omitted option names that could not be expressed on a command line
     */
    public record Result(String command, List<String> commandLines, List<String> omitted) {}

    /**
     * @param config the parsed config.json
     * @param configPath how to name the config file in the {@code --config} line (e.g. its path)
     */
    public static Result from(JsonNode config, String configPath) {
        List<String> lines = new ArrayList<>();
        List<String> omitted = new ArrayList<>();
        if (config == null || !config.isObject()) {
            return new Result(null, lines, omitted);
        }
        if (isGrid(config)) {
            return grid(config, configPath);
        }
        String command = null;
        for (String k : List.of("command", "subcommand")) {
            if (config.path(k).isTextual() && !config.path(k).asText().isBlank()) {
                command = config.path(k).asText().strip().replaceFirst("^gear\\s+", "");
                break;
            }
        }
        for (String k : ARGV_KEYS) {
            JsonNode a = config.get(k);
            if (a != null && a.isArray() && a.size() > 0) {
                List<String> words = new ArrayList<>();
                a.forEach(w -> words.add(w.asText()));
                if (!words.get(0).equals("gear")) {
                    words.add(0, "gear");
                }
                lines.add(join(words));
                break;
            }
            if (a != null && a.isTextual() && !a.asText().isBlank()) {
                lines.add(a.asText().strip().startsWith("gear") ? a.asText().strip() : "gear " + a.asText().strip());
                break;
            }
        }
        if (lines.isEmpty() && command != null) {
            JsonNode opts = config.path("options").isObject() ? config.get("options") : config;
            List<String> words = new ArrayList<>(List.of("gear"));
            words.addAll(List.of(command.split("\\s+")));
            Iterator<Map.Entry<String, JsonNode>> it = opts.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                JsonNode v = e.getValue();
                if (opts == config && (META.contains(key) || ARGV_KEYS.contains(key))) {
                    continue;
                }
                String flag = key.startsWith("-") ? key : "--" + kebab(key);
                if (v.isBoolean()) {
                    if (v.asBoolean()) {
                        words.add(flag);
                    } else {
                        omitted.add(key + " (false)");
                    }
                } else if (v.isValueNode() && !v.isNull()) {
                    words.add(flag);
                    words.add(v.asText());
                } else if (v.isArray() && allScalar(v) && v.size() > 0) {
                    words.add(flag);
                    v.forEach(x -> words.add(x.asText()));
                } else {
                    omitted.add(key);
                }
            }
            lines.add(join(words));
        }
        if (command != null) {
            List<String> words = new ArrayList<>(List.of("gear"));
            words.addAll(List.of(command.split("\\s+")));
            lines.add(join(words) + " --config " + quote(configPath));
        }
        return new Result(command, lines, omitted);
    }

    private static boolean allScalar(JsonNode a) {
        for (JsonNode x : a) {
            if (!x.isValueNode() || x.isNull()) {
                return false;
            }
        }
        return true;
    }

    /** {@code data_path}, {@code dataPath} and {@code data-path} all become {@code data-path}. */
    static String kebab(String key) {
        return key.replaceAll("([a-z0-9])([A-Z])", "$1-$2").replace('_', '-').toLowerCase(java.util.Locale.ROOT);
    }

    /** Quotes a word for a POSIX shell when it holds anything but safe characters. */
    static String quote(String w) {
        if (!w.isEmpty() && SAFE.matcher(w).matches()) {
            return w;
        }
        return "'" + w.replace("'", "'\\''") + "'";
    }

    private static String join(List<String> words) {
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(w.equals("gear") && b.length() == 0 ? w : quote(w));
        }
        return b.toString();
    }

    /** @return whether the config is a benchmark grid's ({@code pairs} array, {@code methods}, {@code split_types}) */
    static boolean isGrid(JsonNode config) {
        return config.path("pairs").isArray() && config.path("methods").isArray() && config.path("split_types").isArray();
    }

    /**
     * {@code gear benchmark} lines for a grid's config.json: the pairs are read back from the config file itself
     * ({@code --pairs} accepts any JSON object with a {@code pairs} array), every option follows its key, the task sets'
     * other pair grids ({@code pairs_from}) follow {@code --pairs-from}; one
     * line recomputes every cell into a new directory, one rewrites results, summary and plots from the finished
     * cells of the grid's own directory.
     *
     * @param configPath the grid's config.json as it should appear on the command line
     */
    static Result grid(JsonNode c, String configPath) {
        List<String> omitted = new ArrayList<>();
        List<String> w = new ArrayList<>(List.of("gear", "benchmark", "--pairs", configPath));
        w.addAll(List.of("--methods", joined(c.get("methods")), "--split-types", joined(c.get("split_types"))));
        for (String k : List.of("folds", "max_folds", "test_fraction")) {
            if (c.path(k).isValueNode() && !c.path(k).isNull()) {
                w.addAll(List.of("--" + kebab(k), c.get(k).asText()));
            }
        }
        if (c.path("seeds").isArray()) {
            w.addAll(List.of("--seeds", joined(c.get("seeds"))));
        }
        if (c.path("noise_fractions").isArray()) {
            w.addAll(List.of("--noise-fractions", joined(c.get("noise_fractions"))));
        }
        if (c.hasNonNull("noise_sigma")) {
            w.addAll(List.of("--noise-sigma", c.get("noise_sigma").asText()));
        }
        if (c.path("train_rmse").asBoolean(false)) {
            w.add("--train-rmse");
        }
        if (c.hasNonNull("data_dir")) {
            w.addAll(List.of("--data-dir", c.get("data_dir").asText()));
        }
        Iterator<Map.Entry<String, JsonNode>> it = c.path("options").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                w.addAll(List.of("--set", e.getKey() + "=" + e.getValue().asText()));
            } else {
                omitted.add("options." + e.getKey());
            }
        }
        String runner = c.path("runner").asText("");
        if (!runner.isEmpty() && !runner.equals(DEFAULT_RUNNER)) {
            w.addAll(List.of("--runner", runner));
        }
        for (String k : List.of("workers", "isolation")) {
            if (c.path(k).isValueNode() && !c.path(k).isNull()) {
                w.addAll(List.of("--" + k, c.get(k).asText()));
            }
        }
        if (c.path(gear.experiment.grid.Grid.PAIRS_FROM).isArray() && c.get(gear.experiment.grid.Grid.PAIRS_FROM).size() > 0) {
            w.addAll(List.of("--pairs-from", joined(c.get(gear.experiment.grid.Grid.PAIRS_FROM)))); // the task sets' pair cells
        }
        String base = join(w);
        String dir = Path.of(configPath).getParent() == null ? "." : Path.of(configPath).getParent().toString();
        List<String> lines = List.of(base + " -o " + quote(dir + "-rerun"), base + " --summary-only -o " + quote(dir));
        return new Result("benchmark", lines, omitted);
    }

    /** The grid's default cell runner (not repeated on the command line). */
    static final String DEFAULT_RUNNER = "gear.experiment.grid.TransferCellRunner";

    private static String joined(JsonNode a) {
        List<String> v = new ArrayList<>();
        a.forEach(x -> v.add(x.asText()));
        return String.join(",", v);
    }
}
