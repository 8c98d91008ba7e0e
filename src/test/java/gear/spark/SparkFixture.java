package gear.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gear.TestData;
import gear.data.InvalidPolicy;
import gear.data.SplitType;
import gear.data.StandardScaler;
import gear.demo.DemoData;
import gear.experiment.grid.DataRef;
import gear.experiment.grid.Grid;
import gear.experiment.grid.GridConfig;
import gear.experiment.grid.Isolation;
import gear.experiment.grid.PairSpec;
import gear.nn.Dmpnn;
import gear.nn.DmpnnConfig;
import gear.nn.Torch;
import gear.run.PredictRun;
import gear.run.Predictor;
import gear.train.ModelFile;
import gear.train.Provenance;
import gear.train.TrainedModel;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Shared pieces of the Spark tests: a two-cell grid over the demo pair, a small model, 2,000 SMILES to predict. */
final class SparkFixture {
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    static final String FAKE = "gear.experiment.grid.FakeCellRunner";

    private SparkFixture() {}

    /** Two cells (stl and gear, fold 0) with the fake runner on threads. */
    static GridConfig twoCells(Path dataDir, String runner) throws IOException {
        DemoData.Result d = DemoData.generate(dataDir, 1);
        PairSpec p = new PairSpec("demo", new DataRef(d.source().path().toString(), DemoData.SOURCE_COLUMN),
                new DataRef(d.target().path().toString(), DemoData.TARGET_COLUMN), 100);
        return new GridConfig(List.of(p), List.of("stl", "gear"), List.of(SplitType.RANDOM), 2, 1, List.of(0L), 0.2, Map.of(),
                null, null, runner, 1, Isolation.THREAD);
    }

    /** Runs the grid on this machine and returns results.csv. */
    static String localGrid(GridConfig cfg, Path out) throws Exception {
        Grid.Outcome o = new Grid(cfg, out, QUIET).plots(false).run();
        assertEquals(Map.of(), o.failed());
        return Files.readString(out.resolve("results.csv"));
    }

    /** A float32 D-MPNN (hidden size 64) with seeded random weights, saved as a model file. */
    static Path model(Path dir) throws IOException {
        Torch.init(1);
        TrainedModel m = new TrainedModel(new Dmpnn(DmpnnConfig.defaults(1).withHiddenSize(64), 7),
                new StandardScaler(new double[] {-3}, new double[] {2}), List.of("logS"), Provenance.now("", 7), null);
        Path f = dir.resolve("model.gear");
        ModelFile.save(f, m);
        return f;
    }

    /** 2,000 rows of ESOL SMILES (repeated), with a bad SMILES every 400 rows and an extra column. */
    static Path smiles2000(Path dir) throws IOException {
        List<String> esol = Files.readAllLines(TestData.data("esol_delaney_logS.csv"));
        List<String> rows = new ArrayList<>(List.of("id,smiles"));
        for (int i = 0; i < 2000; i++) {
            String s = esol.get(1 + i % (esol.size() - 1)).split(",")[0];
            rows.add(i + "," + (i % 400 == 7 ? "C1CC(" : s));
        }
        Path f = dir.resolve("in2000.csv");
        Files.write(f, rows);
        return f;
    }

    /** Streams the prediction on this machine into {@code out}. */
    static List<String> localPredict(Path input, Path model, Path out) throws IOException {
        PredictRun.run(Predictor.load(model, null), input, "smiles", new PredictRun.Options().policy(InvalidPolicy.SKIP), out);
        return Files.readAllLines(out);
    }

    /** The data lines of every part file, in part order, and checks each part starts with the header. */
    static List<String> parts(Path outDir, String header) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> s = Files.list(outDir)) {
            for (Path p : s.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList()) {
                List<String> l = Files.readAllLines(p);
                assertEquals(header, l.get(0), p.toString());
                lines.addAll(l.subList(1, l.size()));
            }
        }
        return lines;
    }

    /**
     * Asserts that two prediction outputs agree: same rows, SMILES and reasons; predictions equal to 1e-5 relative
     * (float32: a molecule batched with other neighbours may round differently in the last bits).
     */
    static void assertSamePredictions(List<String> expected, List<String> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            String[] e = expected.get(i).split(",", 3);
            String[] a = actual.get(i).split(",", 3);
            assertEquals(e[0], a[0], "row " + i);
            assertEquals(e[2], a[2], "reason of row " + i);
            if (e[1].isEmpty()) {
                assertEquals("", a[1], "row " + i);
            } else {
                double x = Double.parseDouble(e[1]);
                assertEquals(x, Double.parseDouble(a[1]), 1e-5 * (1 + Math.abs(x)), "row " + i);
            }
        }
    }
}
