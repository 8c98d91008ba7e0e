package gear.spark;

import gear.experiment.grid.Cell;
import gear.experiment.grid.CellResult;
import gear.experiment.grid.FakeCellRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A test runner whose first attempt at each cell fails (recorded in the cell's {@value #ATTEMPTS}), later ones succeed. */
public class FlakyCellRunner extends FakeCellRunner {
    /** One line per attempt. */
    static final String ATTEMPTS = "attempts.txt";

    @Override
    public CellResult run(Cell cell, Path cellDir) throws IOException {
        Path f = cellDir.resolve(ATTEMPTS);
        boolean first = !Files.exists(f);
        Files.writeString(f, "attempt\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        if (first) {
            throw new IOException("simulated failure of the first attempt at " + cell.id());
        }
        return super.run(cell, cellDir);
    }
}
