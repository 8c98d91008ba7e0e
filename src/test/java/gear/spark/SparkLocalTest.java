package gear.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.data.BadInputException;
import gear.data.InvalidPolicy;
import gear.experiment.grid.Grid;
import gear.experiment.grid.GridConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark engine in {@code local[2,3]} (tasks on two threads of this JVM, a failed task tried up to 3 times): a
 * grid gives the local run's results, resumes, and retries a failing task; a prediction gives the streaming
 * prediction's rows in part files.
 */
class SparkLocalTest {
    static JavaSparkContext sc;
    @TempDir
    static Path data;

    @BeforeAll
    static void start() {
        sc = SparkContexts.open("local[2,3]", "gear test");
    }

    @AfterAll
    static void stop() {
        if (sc != null) {
            sc.close();
        }
    }

    /** Executors are JVMs gear starts: they get glibc's allocator settings as the grid's workers do. */
    @Test
    void executorsGetTheMallocSettings() {
        gear.nn.Malloc.defaults().forEach((k, v) -> assertEquals(v, sc.getConf().get("spark.executorEnv." + k), k));
    }

    @Test
    void gridEqualsTheLocalRunAndResumes(@TempDir Path local, @TempDir Path spark) throws Exception {
        GridConfig cfg = SparkFixture.twoCells(data.resolve("demo"), SparkFixture.FAKE);
        String expected = SparkFixture.localGrid(cfg, local);
        SparkCellLauncher l = new SparkCellLauncher(sc);
        Grid.Outcome o = new Grid(cfg, spark, SparkFixture.QUIET).plots(false).launcher(l).run();
        assertEquals(Map.of(), o.failed());
        assertEquals(2, o.ran());
        assertEquals(expected, Files.readString(spark.resolve("results.csv")));
        assertTrue(Files.isRegularFile(spark.resolve("summary.md")));
        assertEquals(java.util.Set.of(ProcessHandle.current().pid()), l.taskPids(), "local mode: tasks in this JVM");
        Grid.Outcome again = new Grid(cfg, spark, SparkFixture.QUIET).plots(false).launcher(new SparkCellLauncher(sc)).run();
        assertEquals(2, again.skipped());
        assertEquals(0, again.ran());
    }

    @Test
    void failedTasksAreRetried(@TempDir Path out) throws Exception {
        GridConfig cfg = SparkFixture.twoCells(data.resolve("demo2"), FlakyCellRunner.class.getName());
        Grid.Outcome o = new Grid(cfg, out, SparkFixture.QUIET).plots(false).launcher(new SparkCellLauncher(sc)).run();
        assertEquals(Map.of(), o.failed(), "each cell fails once and succeeds on its retry");
        for (String id : List.of("demo.stl.random.f0.s0", "demo.gear.random.f0.s0")) {
            assertEquals(2, Files.readAllLines(out.resolve("cells").resolve(id).resolve(FlakyCellRunner.ATTEMPTS)).size(), id);
        }
    }

    @Test
    void predictionEqualsTheStreamingOne(@TempDir Path dir) throws Exception {
        Path model = SparkFixture.model(dir);
        Path in = SparkFixture.smiles2000(dir);
        List<String> local = SparkFixture.localPredict(in, model, dir.resolve("local.csv"));
        Path out = dir.resolve("parts");
        SparkPredict.Job job = new SparkPredict.Job(in, model, null, "smiles", InvalidPolicy.SKIP, out, "local[2]", 3);
        SparkPredict.Outcome o = SparkPredict.run(sc, job, SparkPredict.prepare(job));
        assertEquals(2000, o.rows());
        assertEquals(5, o.bad());
        assertTrue(o.parts() >= 3, "partitions: " + o.parts());
        assertTrue(Files.isRegularFile(out.resolve("_SUCCESS")));
        assertFalse(Files.exists(out.resolve("_temporary")));
        SparkFixture.assertSamePredictions(local.subList(1, local.size()), SparkFixture.parts(out, local.get(0)));
        // a second run into the same directory is refused; fail stops with the first bad row and leaves no part
        BadInputException again = assertThrows(BadInputException.class, () -> SparkPredict.prepare(job));
        assertTrue(again.getMessage().contains("holds part files"), again.getMessage());
        Path out2 = dir.resolve("fail");
        SparkPredict.Job fail = new SparkPredict.Job(in, model, null, "smiles", InvalidPolicy.FAIL, out2, "local[2]", 3);
        BadInputException e = assertThrows(BadInputException.class, () -> SparkPredict.run(sc, fail, SparkPredict.prepare(fail)));
        assertTrue(e.getMessage().contains("in2000.csv: line 9: unparsable SMILES 'C1CC('"), e.getMessage());
        try (var s = Files.list(out2)) {
            assertEquals(0, s.count(), "nothing written");
        }
    }
}
