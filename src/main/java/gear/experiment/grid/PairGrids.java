package gear.experiment.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.data.BadInputException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The other grid directories whose finished pair cells the task sets' comparison with their best single source reads
 * ({@link TaskSets}; docs/KTASKS.md), for {@code gear report} and {@code gear benchmark} (a run, which keeps them in the
 * {@code config.json} it rewrites, or {@code --summary-only}): those given to {@code --pairs-from} when any are given, else
 * those the grid recorded in its {@code config.json} ({@value Grid#PAIRS_FROM}), else none. A recorded directory that no longer exists is listed in {@link #gone}: the comparison is then left out (with
 * fewer pair cells it would choose the best single source among fewer sources) and {@link #describe} says why.
 *
 * @param dirs the directories read (empty when none, or when a recorded one is gone)
 * @param origin where they come from
 * @param gone recorded directories that are not directories any more (empty unless {@code origin} is {@link Origin#RECORDED})
 */
public record PairGrids(List<Path> dirs, Origin origin, List<Path> gone) {
    /** Where the directories come from. */
    public enum Origin {
        /** {@code --pairs-from}: wins over those recorded. */
        GIVEN,
        /** The grid's {@code config.json} ({@value Grid#PAIRS_FROM}). */
        RECORDED,
        /** Neither. */
        NONE
    }

    /** No pair grid given or recorded. */
    public static final PairGrids NONE = new PairGrids(List.of(), Origin.NONE, List.of());

    public PairGrids {
        dirs = List.copyOf(dirs);
        gone = List.copyOf(gone);
    }

    /**
     * @param config the directory's parsed {@code config.json} (null: none)
     * @param given the {@code --pairs-from} directories (empty: none given)
     * @return the directories to read and where they come from
     */
    public static PairGrids of(JsonNode config, List<Path> given) {
        if (!given.isEmpty()) {
            return new PairGrids(given, Origin.GIVEN, List.of());
        }
        List<Path> recorded = recorded(config);
        if (recorded.isEmpty()) {
            return NONE;
        }
        List<Path> dirs = new ArrayList<>();
        List<Path> gone = new ArrayList<>();
        for (Path p : recorded) {
            (Files.isDirectory(p) ? dirs : gone).add(p);
        }
        return gone.isEmpty() ? new PairGrids(dirs, Origin.RECORDED, List.of())
                : new PairGrids(List.of(), Origin.RECORDED, gone);
    }

    /**
     * @param config a grid's parsed {@code config.json} (null: none)
     * @return the directories it records ({@value Grid#PAIRS_FROM}), in order, whether or not they still exist (empty: none)
     */
    public static List<Path> recorded(JsonNode config) {
        JsonNode recorded = config == null || !config.isObject() ? null : config.get(Grid.PAIRS_FROM);
        if (recorded == null || !recorded.isArray()) {
            return List.of();
        }
        List<Path> dirs = new ArrayList<>();
        for (JsonNode d : recorded) {
            dirs.add(Path.of(d.asText()));
        }
        return List.copyOf(dirs);
    }

    /**
     * @param gridDir a grid directory
     * @param strict throw when its config.json is not JSON ({@code --summary-only}, which leaves it as it is); else such a
     *     file counts as none (a run rewrites it)
     * @return the grid's config.json as written by an earlier run (null: none yet)
     * @throws BadInputException when {@code strict} and config.json is not JSON
     */
    public static JsonNode readConfig(Path gridDir, boolean strict) {
        Path f = gridDir.resolve("config.json");
        if (!Files.isRegularFile(f)) {
            return null;
        }
        try {
            return new ObjectMapper().readTree(f.toFile());
        } catch (IOException e) {
            if (!strict) {
                return null;
            }
            throw new BadInputException(f + ": not readable as JSON (" + e.getMessage().lines().findFirst().orElse("")
                    + "); run the grid again without --summary-only to rewrite it");
        }
    }

    /**
     * The pair grids a run of the grid records in the config.json it rewrites: those given to {@code --pairs-from}, else
     * those the earlier config.json records, kept (even those gone) and said on {@code log}, so that a resumed task-set
     * grid keeps its comparison with the best single source.
     *
     * @param gridDir the grid directory
     * @param given the {@code --pairs-from} directories (empty: none given)
     * @param log where keeping the recorded ones is said
     * @return the directories to record (empty: none)
     */
    public static List<Path> toRecord(Path gridDir, List<Path> given, PrintStream log) {
        if (!given.isEmpty()) {
            return given;
        }
        List<Path> kept = recorded(readConfig(gridDir, false));
        if (!kept.isEmpty()) {
            log.println("config.json: keeping the pair grids it records (" + Grid.PAIRS_FROM + "): " + join(kept)
                    + " (--pairs-from replaces them)");
        }
        return kept;
    }

    /** @return one sentence on which pair grids are read, or why none is (null when none was given or recorded) */
    public String describe() {
        return switch (origin) {
            case NONE -> null;
            case GIVEN -> "pair cells of the task sets from --pairs-from " + join(dirs);
            case RECORDED -> gone.isEmpty()
                    ? "pair cells of the task sets from the grid's config.json (" + Grid.PAIRS_FROM + "): " + join(dirs)
                    : "the grid's config.json (" + Grid.PAIRS_FROM + ") names pair grids that no longer exist: " + join(gone)
                            + "; the task sets' comparison with their best single source is left out (give the pair grids "
                            + "with --pairs-from DIR[,DIR...])";
        };
    }

    private static String join(List<Path> ps) {
        return String.join(", ", ps.stream().map(Path::toString).toList());
    }
}
