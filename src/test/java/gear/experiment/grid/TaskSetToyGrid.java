package gear.experiment.grid;

import gear.data.SplitType;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A toy task-set grid and its pairs, on three small generated files (sources s1, s2 and target t): grid A holds the
 * task set {@code ks} (s1 + s2 → t) and the pair {@code p2} (s2 → t), grid B the pair {@code p1} (s1 → t), grid C the
 * pair p1 with another target subsample (another target split). Random split, seeds 0–3, fold 0 of 3. The cells' numbers
 * come from {@link Runner}'s table:
 *
 * <pre>
 *   seed                     0     1     2     3
 *   ks gear   test          10    11    12    13
 *   ks mtl    test          10.5  12    12.5  14
 *   ks stl    test          12    13    14    15
 *   p1 gear   test / val    12/1  13/1  14/3  15/1
 *   p2 gear   test / val     9/2  10/2  11/0.5 12/2
 * </pre>
 *
 * On validation the best single source is p1 at seeds 0, 1, 3 and p2 at seed 2; on test it would be p2 everywhere.
 */
public final class TaskSetToyGrid {
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    /** Seeds of the toy grids. */
    public static final List<Long> SEEDS = List.of(0L, 1L, 2L, 3L);

    private TaskSetToyGrid() {}

    /** The table's runner: test and validation scores by pair, method and seed; no training. */
    public static final class Runner implements CellRunner {
        static final double[] KS_GEAR = {10, 11, 12, 13};
        static final double[] KS_MTL = {10.5, 12, 12.5, 14};
        static final double[] KS_STL = {12, 13, 14, 15};
        static final double[][] P1 = {{12, 13, 14, 15}, {1, 1, 3, 1}};
        static final double[][] P2 = {{9, 10, 11, 12}, {2, 2, 0.5, 2}};

        /** Used by the grid (by class name). */
        public Runner() {}

        @Override
        public CellResult run(Cell cell, Path cellDir) {
            int s = (int) cell.seed();
            double test;
            double val = 1;
            String key = cell.pair().id() + "." + cell.method();
            switch (key) {
                case "ks.gear" -> test = KS_GEAR[s];
                case "ks.mtl" -> test = KS_MTL[s];
                case "ks.stl" -> test = KS_STL[s];
                case "p1.gear" -> {
                    test = P1[0][s];
                    val = P1[1][s];
                }
                case "p2.gear" -> {
                    test = P2[0][s];
                    val = P2[1][s];
                }
                default -> test = 20 + s;
            }
            return new CellResult(test, test, 0.5, val, 1, 0.1, Map.of());
        }
    }

    /** Writes the data files and the pairs files a.json, b.json and c.json into {@code dir}. */
    public static void files(Path dir) throws Exception {
        TaskSetGridTest.write(dir.resolve("s1.csv"), "a", 70, 1, 2.0);
        TaskSetGridTest.write(dir.resolve("s2.csv"), "b", 60, 5, -1.0);
        TaskSetGridTest.write(dir.resolve("t.csv"), "c", 60, 7, 3.0);
        String s1 = "{\"file\": \"s1.csv\", \"column\": \"a\"}";
        String s2 = "{\"file\": \"s2.csv\", \"column\": \"b\"}";
        String t = "{\"file\": \"t.csv\", \"column\": \"c\"}";
        Files.writeString(dir.resolve("a.json"), "{\"pairs\": [{\"id\": \"ks\", \"sources\": [" + s1 + ", " + s2 + "], \"target\": "
                + t + "}, {\"id\": \"p2\", \"source\": " + s2 + ", \"target\": " + t + "}]}");
        Files.writeString(dir.resolve("b.json"), "{\"pairs\": [{\"id\": \"p1\", \"source\": " + s1 + ", \"target\": " + t + "}]}");
        Files.writeString(dir.resolve("c.json"), "{\"pairs\": [{\"id\": \"p1\", \"source\": " + s1 + ", \"target\": " + t
                + ", \"target_subsample\": 40}]}");
    }

    /** The grid configuration of a pairs file written by {@link #files}, with the given methods. */
    public static GridConfig config(Path pairsFile, List<String> methods) {
        return config(pairsFile, methods, Map.of("epochs", "3"));
    }

    /** The grid configuration of a pairs file written by {@link #files}, with the given methods and options. */
    public static GridConfig config(Path pairsFile, List<String> methods, Map<String, String> options) {
        return new GridConfig(PairsFile.read(pairsFile), methods, List.of(SplitType.RANDOM), 3, 1, SEEDS, 0.2,
                options, null, null, Runner.class.getName(), 1, Isolation.THREAD);
    }

    /** Runs a toy grid into {@code out} (its cells in this JVM) and returns it. */
    public static Grid run(Path pairsFile, List<String> methods, Path out, List<Path> pairsFrom) throws Exception {
        return run(config(pairsFile, methods), out, pairsFrom);
    }

    /** Runs a toy grid of the given configuration into {@code out} (its cells in this JVM) and returns it. */
    public static Grid run(GridConfig cfg, Path out, List<Path> pairsFrom) throws Exception {
        Grid g = new Grid(cfg, out, QUIET).runnerFactory(Runner::new).plots(false).pairsFrom(pairsFrom);
        g.run();
        return g;
    }
}
