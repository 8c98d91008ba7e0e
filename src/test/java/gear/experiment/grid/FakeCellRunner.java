package gear.experiment.grid;

import gear.data.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test runner: deterministic numbers computed from the cell (its id, split arrays and source size),
 * no training. Counts its invocations ({@link #CALLS}, per JVM) and, when the system property
 * {@code gear.fake.log} names a file, appends each cell id to it (counting across processes). With
 * {@code gear.fake.exitAfter=N} the JVM exits with code 3 when N cells are already in the log
 * (simulates a killed run); with {@code gear.fake.sleepMs=T} each cell takes T ms; with {@code gear.fake.env=A,B}
 * the values of the environment variables A and B in the cell's process go to {@code env.txt} in the cell directory. Like the real runner it leaves {@code test_predictions.csv} (true values
 * of the cell's test molecules; "predictions" clamped to the training range plus a small offset, so
 * out-of-range molecules have larger errors) and {@code metrics.csv} (one row per epoch: val_rmse, and
 * train_rmse when the cell asks for it) in the cell directory.
 */
public class FakeCellRunner implements CellRunner {
    static final AtomicInteger CALLS = new AtomicInteger();
    /** Epochs of the fake per-epoch log. */
    static final int EPOCHS = 4;

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
        Long sleep = Long.getLong("gear.fake.sleepMs"); // a long cell, for kill and lock tests
        if (sleep != null) {
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        String envNames = System.getProperty("gear.fake.env"); // names of environment variables to record, comma-separated
        if (envNames != null) {
            StringBuilder sb = new StringBuilder();
            for (String k : envNames.split(",")) {
                sb.append(k).append('=').append(System.getenv(k) == null ? "(unset)" : System.getenv(k)).append('\n');
            }
            Files.writeString(cellDir.resolve("env.txt"), sb.toString(), StandardCharsets.UTF_8);
        }
        CellResult r = result(cell);
        writeFiles(cell, cellDir, r);
        return r;
    }

    /** The deterministic result of a cell. */
    static CellResult result(Cell cell) {
        long h = cell.id().hashCode() * 31L + Arrays.hashCode(cell.train()) * 17L + Arrays.hashCode(cell.val()) * 7L
                + Arrays.hashCode(cell.test()) + cell.source().size();
        double u = (Math.floorMod(h, 1000) + 0.5) / 1000.0;
        double rmse = 1 + u * (cell.method().equals("gear") ? 0.8 : 1.0);
        Map<String, Double> r = cell.method().equals("gear") ? Map.of("source", u, "target", 2 * u) : Map.of();
        if (!cell.trainRmse()) {
            return new CellResult(rmse, 0.8 * rmse, 1 - rmse / 10, 1.1 * rmse, (int) Math.floorMod(h, 30), 0.25, r);
        }
        double[][] c = curves(rmse, cell.method());
        return new CellResult(rmse, 0.8 * rmse, 1 - rmse / 10, c[0][1], 1, 0.25, r, c[1][1], c[1][EPOCHS - 1],
                c[0][EPOCHS - 1]);
    }

    /** {validation RMSE, training RMSE} per epoch: training falls, validation turns up after epoch 2 (overfitting). */
    static double[][] curves(double rmse, String method) {
        double over = method.equals("gear-no-curv") ? 0.3 : 0.1;
        double[][] c = new double[2][EPOCHS];
        for (int e = 0; e < EPOCHS; e++) {
            c[1][e] = rmse * (1.0 / (e + 1));
            c[0][e] = 1.1 * rmse + (e == 0 ? 0.2 : over * (e - 1));
        }
        return c;
    }

    private static void writeFiles(Cell cell, Path dir, CellResult r) throws IOException {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i : cell.train()) {
            lo = Math.min(lo, cell.target().target(i, 0));
            hi = Math.max(hi, cell.target().target(i, 0));
        }
        StringBuilder p = new StringBuilder("row,smiles,true,predicted\n");
        for (int k = 0; k < cell.test().length; k++) {
            int i = cell.test()[k];
            double t = cell.target().target(i, 0);
            double y = Math.min(hi, Math.max(lo, t)) + 0.01 * r.testRmse() * ((k % 5) - 2);
            p.append(i).append(",\"").append(cell.target().smiles(i)).append("\",").append(t).append(',').append(y).append('\n');
        }
        AtomicFiles.writeString(dir.resolve("test_predictions.csv"), p.toString());
        double[][] c = curves(r.testRmse(), cell.method());
        StringBuilder m = new StringBuilder("phase,epoch,reg,total" + (cell.trainRmse() ? ",train_rmse" : "")
                + ",val_rmse,lr,seconds,kept\n");
        for (int e = 0; e < EPOCHS; e++) {
            m.append("train,").append(e + 1).append(",0.5,0.7");
            if (cell.trainRmse()) {
                m.append(',').append(c[1][e]);
            }
            m.append(',').append(c[0][e]).append(String.format(Locale.ROOT, ",0.001,0.100,%d%n", e == 1 ? 1 : 0));
        }
        AtomicFiles.writeString(dir.resolve("metrics.csv"), m.toString());
    }
}
