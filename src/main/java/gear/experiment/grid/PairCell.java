package gear.experiment.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.data.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A finished pair cell that a task set's comparison with its best single source may match ({@link TaskSets}): its row,
 * where it lies and where it came from.
 *
 * @param row the cell's row
 * @param dir the cell's directory (null when unknown: a grid read from its {@code results.json})
 * @param grid its grid's directory (null when unknown)
 * @param origin {@link TaskSets#THIS_GRID} or the {@code --pairs-from} directory it was read from
 */
record PairCell(ResultRow row, Path dir, Path grid, String origin) {
    /** @return the cell's directory, else its id with its origin (for messages) */
    String where() {
        return dir != null ? dir.toString() : row.cell() + " (" + origin + ")";
    }

    /**
     * The finished cells of another grid directory ({@code --pairs-from}): every {@code cells/<id>/result.json};
     * without a {@code cells} directory, the rows of its {@code results.json}.
     *
     * @throws BadInputException when the directory holds neither, or a file cannot be read
     */
    static List<PairCell> read(Path dir) {
        Path cells = dir.resolve("cells");
        List<PairCell> out = new ArrayList<>();
        try {
            if (Files.isDirectory(cells)) {
                try (Stream<Path> s = Files.list(cells)) {
                    for (Path cd : s.sorted().toList()) {
                        ResultRow r = ResultsFiles.readCell(cd);
                        if (r != null) {
                            out.add(new PairCell(r, cd, dir, dir.toString()));
                        }
                    }
                }
                return out;
            }
            Path results = dir.resolve("results.json");
            if (Files.isRegularFile(results)) {
                JsonNode a = new ObjectMapper().readTree(results.toFile());
                for (JsonNode o : a) {
                    out.add(new PairCell(ResultRow.fromJson(o), null, dir, dir.toString()));
                }
                return out;
            }
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("--pairs-from " + dir + ": cannot read its cells: " + e.getMessage(), e);
        }
        throw new BadInputException("--pairs-from " + dir + ": not a grid directory (no cells/ and no results.json)");
    }
}
