package gear.transfer.ktask;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The names of a k-task run's tasks, one rule for {@code gear transfer --task} and the task-set grid cells: a task is
 * named by its value column; where several tasks share a column (two files that both call their label {@code logS}),
 * each of those is named {@code STEM.COLUMN}, STEM its file's name without {@code .csv} ({@code aqsoldb.logS},
 * {@code esol.logS}), so that no name silently means one of several tasks; a name still repeated gets {@code _2},
 * {@code _3}, … in task order. The names go into the model file ({@code gear predict --task NAME}), {@code --target},
 * config.json and the checkpoints; the columns stay what is read from the files.
 */
public final class TaskNames {
    private TaskNames() {}

    /**
     * @param files each task's file (a path or a registry name; only its last component's stem is used)
     * @param columns each task's value column
     * @return each task's name, distinct
     */
    public static List<String> of(List<String> files, List<String> columns) {
        if (files.size() != columns.size()) {
            throw new IllegalArgumentException(files.size() + " files for " + columns.size() + " columns");
        }
        Map<String, Integer> count = new HashMap<>();
        columns.forEach(c -> count.merge(c, 1, Integer::sum));
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int t = 0; t < columns.size(); t++) {
            String c = columns.get(t);
            String base = count.get(c) > 1 ? stem(files.get(t)) + "." + c : c;
            String n = base;
            for (int i = 2; seen.contains(n); i++) {
                n = base + "_" + i;
            }
            seen.add(n);
            names.add(n);
        }
        return names;
    }

    /** @return the file a k-task run records for a task's data (config.json {@code tasks[].file}): its path, else its name */
    public static String file(gear.data.MoleculeDataset d) {
        return d.sourceFile().map(f -> f.toAbsolutePath().normalize().toString()).orElse(d.name());
    }

    /** @return the last component of a path or registry name without a {@code .csv} extension */
    static String stem(String file) {
        String s = file.replace('\\', '/');
        s = s.substring(s.lastIndexOf('/') + 1);
        return s.toLowerCase(Locale.ROOT).endsWith(".csv") && s.length() > 4 ? s.substring(0, s.length() - 4) : s;
    }
}
