package gear.cli;

import gear.data.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --pairs-from DIR[,DIR...]} of {@code gear benchmark} and {@code gear report} (a picocli mixin, declared once):
 * other grid directories whose finished pair cells supply the pair GEAR cells that the task sets' comparison with their
 * best single source reads ({@link gear.experiment.grid.TaskSets}; docs/KTASKS.md).
 */
final class PairsFromOption {
    @Option(names = "--pairs-from", split = ",", paramLabel = "DIR",
            description = "Task sets: other grid directories (repeatable or comma-separated) whose finished pair cells supply "
                    + "the pair GEAR cells of each set's best single source (matched by source and target, split type, seed "
                    + "and fold; their target splits and options must be the set's GEAR cell's, else exit 2). The grid's own pair cells are "
                    + "always used; gear benchmark records these directories in the grid's config.json (pairs_from), and "
                    + "gear report and gear benchmark (a rerun, which keeps them recorded, or --summary-only) read those "
                    + "recorded when this option is not given (this option wins and replaces them).")
    List<Path> dirs;

    /**
     * @return the directories given (empty when none)
     * @throws BadInputException naming a directory that does not exist
     */
    List<Path> dirs() {
        if (dirs == null) {
            return List.of();
        }
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                throw new BadInputException("--pairs-from " + d + ": not a directory (give a grid directory of gear benchmark)");
            }
        }
        return List.copyOf(dirs);
    }
}
