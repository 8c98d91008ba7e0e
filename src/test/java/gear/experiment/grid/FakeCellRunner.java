package gear.experiment.grid;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test runner: deterministic numbers computed from the cell (its id, split arrays and source size),
 * no training. Counts its invocations ({@link #CALLS}, per JVM) and, when the system property
 * {@code gear.fake.log} names a file, appends each cell id to it (counting across processes). With
 * {@code gear.fake.exitAfter=N} the JVM exits with code 3 when N cells are already in the log
 * (simulates a killed run).
 */
public class FakeCellRunner implements CellRunner {
    static final AtomicInteger CALLS = new AtomicInteger();

    @Override
    public CellResult run(Cell cell, Path cellDir) throws IOException {
        String logFile = System.getProperty("gear.fake.log");
        if (logFile != null) {
            Path log = Path.of(logFile);
            synchronized (FakeCellRunner.class) {
                long n = Files.exists(log) ? Files.readAllLines(log).size() : 0;
                String exit = System.getProperty("gear.fake.exitAfter");
                if (exit != null && n >= Long.parseLong(exit)) {
                    Runtime.getRuntime().halt(3);
                }
                Files.writeString(log, cell.id() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        }
        CALLS.incrementAndGet();
        return result(cell);
    }

    /** The deterministic result of a cell. */
    static CellResult result(Cell cell) {
        long h = cell.id().hashCode() * 31L + Arrays.hashCode(cell.train()) * 17L + Arrays.hashCode(cell.val()) * 7L
                + Arrays.hashCode(cell.test()) + cell.source().size();
        double u = (Math.floorMod(h, 1000) + 0.5) / 1000.0;
        double rmse = 1 + u * (cell.method().equals("gear") ? 0.8 : 1.0);
        Map<String, Double> r = cell.method().equals("gear") ? Map.of("source", u, "target", 2 * u) : Map.of();
        return new CellResult(rmse, 0.8 * rmse, 1 - rmse / 10, 1.1 * rmse, (int) Math.floorMod(h, 30), 0.25, r);
    }
}
