package gear.experiment.grid;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The other grid directories whose finished pair cells the task sets' comparison with their best single source reads
 * ({@link TaskSets}; docs/KTASKS.md), for {@code gear report} and {@code gear benchmark --summary-only}: those given to
 * {@code --pairs-from} when any are given, else those the grid recorded in its {@code config.json} ({@value Grid#PAIRS_FROM}),
 * else none. A recorded directory that no longer exists is listed in {@link #gone}: the comparison is then left out (with
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
        JsonNode recorded = config == null || !config.isObject() ? null : config.get(Grid.PAIRS_FROM);
        if (recorded == null || !recorded.isArray() || recorded.isEmpty()) {
            return NONE;
        }
        List<Path> dirs = new ArrayList<>();
        List<Path> gone = new ArrayList<>();
        for (JsonNode d : recorded) {
            Path p = Path.of(d.asText());
            (Files.isDirectory(p) ? dirs : gone).add(p);
        }
        return gone.isEmpty() ? new PairGrids(dirs, Origin.RECORDED, List.of())
                : new PairGrids(List.of(), Origin.RECORDED, gone);
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
