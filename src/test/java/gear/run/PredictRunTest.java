package gear.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gear.chem.MolGraph;
import gear.data.BadInputException;
import gear.data.InvalidPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming prediction with a fake model (atoms and bonds of each molecule, no libtorch): chunking and
 * featurization threads do not change the output, bad rows get empty predictions and a reason, fail stops without
 * writing, the output is never the input, and the model sees at most one chunk at a time.
 */
class PredictRunTest {
    @TempDir
    Path dir;

    /** A model predicting (atoms, bonds); records the largest batch it was given. */
    static final class CountingModel implements Predictor {
        final AtomicInteger maxBatch = new AtomicInteger();

        @Override
        public List<String> targetNames() {
            return List.of("atoms", "bonds, counted");
        }

        @Override
        public double[][] predict(List<MolGraph> graphs) {
            maxBatch.accumulateAndGet(graphs.size(), Math::max);
            double[][] out = new double[graphs.size()][];
            for (int i = 0; i < out.length; i++) {
                out[i] = new double[] {graphs.get(i).nAtoms(), graphs.get(i).nBonds()};
            }
            return out;
        }
    }

    static final String[] MOLS = {"CCO", "c1ccccc1", "CC(=O)O", "C1CC(", "", "N#N", "[Xe]", "CCCCCCCC", "O=C=O", "not a smiles"};

    Path input(int rows) throws IOException {
        StringBuilder sb = new StringBuilder("id,smiles,y\n");
        for (int i = 0; i < rows; i++) {
            sb.append(i).append(',').append(MOLS[i % MOLS.length]).append(",1\n");
        }
        Path p = dir.resolve("in.csv");
        Files.writeString(p, sb.toString());
        return p;
    }

    @Test
    void chunksAndThreadsDoNotChangeTheOutput() throws IOException {
        Path in = input(537);
        Path one = dir.resolve("one.csv");
        PredictRun.Result r1 = PredictRun.run(new CountingModel(), in, "smiles", new PredictRun.Options().chunkSize(10_000), one);
        CountingModel m = new CountingModel();
        Path many = dir.resolve("many.csv");
        PredictRun.Result r2 = PredictRun.run(m, in, "smiles", new PredictRun.Options().chunkSize(7).featurizeThreads(3), many);
        assertEquals(Files.readString(one), Files.readString(many));
        assertTrue(m.maxBatch.get() <= 7, "the model sees one chunk at a time: " + m.maxBatch.get());
        assertEquals(537, r1.rows());
        assertEquals(r1, r2);
        List<String> lines = Files.readAllLines(many);
        assertEquals("smiles,atoms,\"bonds, counted\",reason", lines.get(0));
        assertEquals(538, lines.size());
        assertEquals("CCO,3.0,2.0,", lines.get(1));
        assertEquals("c1ccccc1,6.0,6.0,", lines.get(2));
        assertTrue(lines.get(4).startsWith("C1CC(,,,\"unparsable SMILES 'C1CC('"), lines.get(4));
        assertEquals(",,,empty SMILES", lines.get(5));
        long bad = lines.stream().skip(1).filter(l -> !l.endsWith(",")).count();
        assertEquals(r2.bad(), bad);
        assertEquals(r2.rows() - r2.bad(), r2.predicted());
        assertEquals(PredictRun.BAD_ROWS_LISTED, r2.firstBadRows().size());
        assertEquals(4 + 1, r2.firstBadRows().get(0).line(), "line numbers count the header");
        try (var s = Files.list(dir)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(), "no temp files left");
        }
    }

    @Test
    void failStopsAtTheFirstBadRowAndKeepsAnEarlierOutput() throws IOException {
        Path in = input(30);
        Path out = dir.resolve("out.csv");
        Files.writeString(out, "earlier results\n");
        BadInputException e = assertThrows(BadInputException.class, () -> PredictRun.run(new CountingModel(), in, "smiles",
                new PredictRun.Options().policy(InvalidPolicy.FAIL).chunkSize(2), out));
        assertTrue(e.getMessage().contains("in.csv: line 5 (data row 3): unparsable SMILES 'C1CC('"), e.getMessage());
        assertEquals("earlier results\n", Files.readString(out), "nothing already written is lost");
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temp file left");
        }
    }

    @Test
    void refusesAnOutputThatIsTheInputAndBadFiles() throws IOException {
        Path in = input(5);
        String before = Files.readString(in);
        Path link = dir.resolve("link.csv");
        Files.createSymbolicLink(link, in);
        for (Path out : List.of(in, link, dir.resolve(".").resolve("in.csv"))) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> PredictRun.run(new CountingModel(), in, null, new PredictRun.Options(), out));
            assertTrue(e.getMessage().contains("the output is the input file"), e.getMessage());
        }
        assertEquals(before, Files.readString(in));
        assertThrows(BadInputException.class, () -> PredictRun.run(new CountingModel(), dir.resolve("absent.csv"), null,
                new PredictRun.Options(), dir.resolve("o.csv")));
        BadInputException col = assertThrows(BadInputException.class, () -> PredictRun.run(new CountingModel(), in, "SMILES",
                new PredictRun.Options(), dir.resolve("o.csv")));
        assertTrue(col.getMessage().contains("no column 'SMILES'"), col.getMessage());
        Path empty = dir.resolve("empty.csv");
        Files.writeString(empty, "smiles\n");
        assertThrows(BadInputException.class, () -> PredictRun.run(new CountingModel(), empty, null, new PredictRun.Options(),
                dir.resolve("o.csv")));
        assertFalse(Files.exists(dir.resolve("o.csv")));
    }

    @Test
    void progressLinesCarryRateAndEta() throws IOException {
        assertEquals("gear predict: 5,000 of 20,000 rows (25 %), 1,000 mol/s, ETA 0:00:15", PredictProgress.line(5000, 20000, 5));
        assertEquals("gear predict: 10 rows, 5 mol/s", PredictProgress.line(10, -1, 2));
        Path in = input(12);
        assertEquals(12, PredictProgress.countDataLines(in));
        Files.writeString(in, "smiles\nC\nCC");
        assertEquals(2, PredictProgress.countDataLines(in), "a last line without its line end counts");
        List<Long> seen = new ArrayList<>();
        PredictRun.run(new CountingModel(), input(25), null, new PredictRun.Options().chunkSize(10).progress(new PredictProgress() {
            @Override
            public void update(long rows) {
                seen.add(rows);
            }
        }), dir.resolve("p.csv"));
        assertEquals(List.of(10L, 20L, 25L), seen);
    }
}
