package gear.experiment.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.data.BadInputException;
import gear.data.SplitType;
import gear.nn.Torch;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task sets in the pairs file ({@code "sources": [...]}): parsing, round trip and refusals; a grid over one task set
 * runs k-task GEAR (its cell equals {@code gear transfer --task … --splits-file CELL/splits.json} with the cell's
 * settings), k-task finetune (pretraining to convergence by default), STL on the target alone, and fails a method
 * without a k-task form naming the available ones.
 */
class TaskSetGridTest {
    private static final String[] TOKENS = {"C", "CC", "O", "N", "C(C)", "C(=O)", "c1ccccc1", "C(O)", "CN", "Cl"};
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    static void write(Path file, String col, int n, long seed, double scale) throws Exception {
        Random r = new Random(seed);
        Set<String> seen = new LinkedHashSet<>();
        StringBuilder sb = new StringBuilder("smiles," + col + "\n");
        while (seen.size() < n) {
            StringBuilder s = new StringBuilder("C");
            int k = 1 + r.nextInt(7);
            for (int j = 0; j < k; j++) {
                s.append(TOKENS[r.nextInt(TOKENS.length)]);
            }
            if (seen.add(s.toString())) {
                sb.append(s).append(',').append(scale * s.length() + r.nextGaussian()).append('\n');
            }
        }
        Files.writeString(file, sb.toString());
    }

    static Path pairsFile(Path dir) throws Exception {
        write(dir.resolve("s1.csv"), "a", 70, 1, 2.0);
        write(dir.resolve("s2.csv"), "b", 60, 5, -1.0);
        write(dir.resolve("t.csv"), "c", 60, 5, 3.0);
        Path f = dir.resolve("pairs.json");
        Files.writeString(f, "{\"pairs\": [{\"id\": \"ks\", \"sources\": [{\"file\": \"s1.csv\", \"column\": \"a\"}, "
                + "{\"file\": \"s2.csv\", \"column\": \"b\"}], \"target\": {\"file\": \"t.csv\", \"column\": \"c\"}}]}");
        return f;
    }

    @Test
    void pairsFileReadsTaskSets(@TempDir Path dir) throws Exception {
        List<PairSpec> p = PairsFile.read(pairsFile(dir));
        assertTrue(p.get(0).isTaskSet());
        assertEquals(List.of("a", "b"), p.get(0).sources().stream().map(DataRef::column).toList());
        PairsFile.check(p, null);
        ObjectMapper m = new ObjectMapper();
        assertEquals(p, PairsFile.fromJson(PairsFile.toJson(p, m)));
        // a pair's JSON (part of every cell fingerprint) is unchanged: id, source, target
        PairSpec pair = new PairSpec("x", new DataRef("s.csv", "y"), new DataRef("t.csv", "z"), null);
        List<String> keys = new ArrayList<>();
        PairsFile.toJson(List.of(pair), m).get(0).fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("id", "source", "target"), keys);
        // refusals naming the file and the entry
        Path both = dir.resolve("both.json");
        Files.writeString(both, "[{\"id\": \"x\", \"source\": {\"file\": \"s1.csv\", \"column\": \"a\"}, \"sources\": "
                + "[{\"file\": \"s1.csv\", \"column\": \"a\"}, {\"file\": \"s2.csv\", \"column\": \"b\"}], "
                + "\"target\": {\"file\": \"t.csv\", \"column\": \"c\"}}]");
        BadInputException e = assertThrows(BadInputException.class, () -> PairsFile.read(both));
        assertTrue(e.getMessage().contains("both.json") && e.getMessage().contains("not both"), e.getMessage());
        Path one = dir.resolve("one.json");
        Files.writeString(one, "[{\"id\": \"x\", \"sources\": [{\"file\": \"s1.csv\", \"column\": \"a\"}], "
                + "\"target\": {\"file\": \"t.csv\", \"column\": \"c\"}}]");
        assertTrue(assertThrows(BadInputException.class, () -> PairsFile.read(one)).getMessage().contains("at least two"));
        Path noColumn = dir.resolve("nocol.json");
        Files.writeString(noColumn, "[{\"id\": \"x\", \"sources\": [{\"file\": \"s1.csv\", \"column\": \"a\"}, "
                + "{\"file\": \"s2.csv\"}], \"target\": {\"file\": \"t.csv\", \"column\": \"c\"}}]");
        assertTrue(assertThrows(BadInputException.class, () -> PairsFile.read(noColumn)).getMessage()
                .contains("sources 1: missing \"column\""));
    }

    @Test
    void gridRunsKTaskCells(@TempDir Path dir) throws Exception {
        Torch.init(1);
        List<PairSpec> pairs = PairsFile.read(pairsFile(dir));
        Map<String, String> o = smallOptions(2);
        o.put("source_init", "both"); // the warm start (GEAR's tuned default is scratch); the others ignore it
        GridConfig cfg = new GridConfig(pairs, List.of("gear", "stl", "kd", "finetune"), List.of(SplitType.RANDOM), 2, 1, List.of(0L),
                0.2, o, null, null, TransferCellRunner.class.getName(), 1, Isolation.THREAD);
        Path g = dir.resolve("grid");
        Grid.Outcome out = new Grid(cfg, g, QUIET).plots(false).run();
        assertEquals(List.of("ks.kd.random.f0.s0"), List.copyOf(out.failed().keySet()));
        assertTrue(out.failed().values().iterator().next().contains("not available across k tasks"), out.failed().toString());
        assertEquals(3, out.rows().size());
        for (ResultRow r : out.rows()) {
            assertEquals(dir.resolve("s1.csv") + " (a) + " + dir.resolve("s2.csv") + " (b)", r.source());
            assertTrue(Double.isFinite(r.result().testRmse()), r.toString());
            // the target split recorded in result.json is that of the run's splits.json (k-task gear and finetune, stl)
            assertEquals(TargetSplit.read(g.resolve("cells").resolve(r.cell())), r.targetSplit(), r.cell());
        }
        assertTrue(out.rows().stream().allMatch(r -> r.targetSplit() != null));
        Path cell = g.resolve("cells").resolve("ks.gear.random.f0.s0");
        JsonNode cellCfg = new ObjectMapper().readTree(cell.resolve("config.json").toFile());
        assertEquals(3, cellCfg.get("tasks").size());
        // the k-task GEAR cell warm-starts as a pair GEAR does with source_init both: each source's own pretraining,
        // through the grid's cache
        assertEquals("both", cellCfg.path("source_init").asText());
        JsonNode warm = cellCfg.path("pretraining").path("sources");
        assertEquals(2, warm.size(), cellCfg.path("pretraining").toString());
        assertEquals("a", warm.get(0).path("task").asText());
        assertTrue(warm.get(0).hasNonNull("cache") && warm.get(1).hasNonNull("cache"), warm.toString());
        // the kept epoch: result.json's best_epoch (what the convergence check reads, 0-based) is the run's config.json
        // results.best_epoch, for k-task cells (gear, finetune) as for a target-only cell (stl)
        for (ResultRow r : out.rows()) {
            JsonNode c = new ObjectMapper().readTree(g.resolve("cells").resolve(r.cell()).resolve("config.json").toFile());
            assertEquals(r.result().bestEpoch(), c.get("results").get("best_epoch").asInt(), r.cell());
        }
        // a k-task finetune cell pretrains to convergence unless the grid's options say otherwise
        JsonNode ft = new ObjectMapper().readTree(g.resolve("cells").resolve("ks.finetune.random.f0.s0").resolve("config.json")
                .toFile());
        assertEquals(0.1, ft.get("pretrain_val_fraction").asDouble());
        assertEquals(10, ft.get("pretrain_patience").asInt());
        assertEquals(2, ft.get("pretrain_epochs").asInt());
        // the cell is the k-task run of its split and settings
        Path again = dir.resolve("again");
        List<String> args = new ArrayList<>(List.of("transfer", "--task", dir.resolve("s1.csv") + ":a", "--task",
                dir.resolve("s2.csv") + ":b", "--task", dir.resolve("t.csv") + ":c", "--target", "c", "--splits-file",
                cell.resolve("splits.json").toString(), "--seed", "0", "--invalid", "skip", "--duplicates", "first",
                "-o", again.toString(), "-q"));
        o.forEach((k, v) -> args.addAll(List.of("--" + k.replace('_', '-'), v)));
        assertEquals(0, gear.cli.Main.run(args.toArray(new String[0])));
        double cellRmse = out.rows().stream().filter(r -> r.method().equals("gear")).findFirst().orElseThrow().result()
                .testRmse();
        double cliRmse = new ObjectMapper().readTree(again.resolve("config.json").toFile()).get("results").get("c")
                .get("test_rmse").asDouble();
        assertEquals(cliRmse, cellRmse, 1e-9 * cliRmse);
        assertEquals(Files.readString(cell.resolve("test_predictions.csv")), Files.readString(again.resolve("test_predictions.csv")));
        // per-task mean |R| at the target's test molecules: oracle from the cell's model file
        ResultRow gearRow = out.rows().stream().filter(r -> r.method().equals("gear")).findFirst().orElseThrow();
        gear.transfer.ktask.KTaskModel model = gear.transfer.ktask.KTaskModelFile.load(cell.resolve("model.gear"));
        gear.data.MoleculeDataset t = gear.data.CsvLoader.of(dir.resolve("t.csv")).policy(gear.data.InvalidPolicy.SKIP)
                .load().dataset();
        Map<String, Integer> rowOf = new java.util.HashMap<>();
        for (int i = 0; i < t.size(); i++) {
            rowOf.put(t.smiles(i), i);
        }
        List<gear.chem.MolGraph> test = new ArrayList<>();
        List<String> lines = Files.readAllLines(cell.resolve("test_predictions.csv"));
        assertEquals(gearRow.nTest() + 1, lines.size());
        for (String line : lines.subList(1, lines.size())) {
            test.add(t.graph(rowOf.get(line.split(",")[1]))); // by SMILES (the row numbers are the grid's)
        }
        double[] oracle = new double[3];
        for (int task = 0; task < 3; task++) {
            oracle[task] = gear.transfer.Diagnostics.evaluate(model.network(task), model.latent(task, test),
                    model.options().curvRoute()).meanAbsRicci();
            assertTrue(Double.isFinite(oracle[task]) && oracle[task] > 0, "task " + task + ": " + oracle[task]);
        }
        CellResult res = gearRow.result();
        assertEquals(List.of(oracle[0], oracle[1]), res.sourcesMeanAbsR());
        assertEquals(oracle[0], res.meanAbsR().get("source"));
        assertEquals(oracle[2], res.meanAbsR().get("target"));
        assertEquals(oracle[2], cellCfg.get("results").get("mean_abs_r").get("c").asDouble());
        assertEquals(res.meanAbsR(), ResultRow.fromJson(gearRow.toJson()).result().meanAbsR(), "results.json round trip");
        String[] header = Files.readAllLines(g.resolve("results.csv")).get(0).split(",");
        assertEquals("mean_abs_r_sources", header[header.length - 1]);
        assertTrue(out.rows().stream().filter(r -> !r.method().equals("gear")).allMatch(r -> r.result().meanAbsR().isEmpty()),
                "no curvature for finetune and stl");
    }

    /**
     * {@code --train-rmse} reaches task-set cells as it reaches pair cells: the target's training RMSE at the kept and
     * at the last epoch, the last epoch's validation RMSE, a {@code train_rmse} column in the cell's metrics.csv;
     * results unchanged. Oracle: the cell's model file (the kept epoch's weights) predicting the target's training
     * molecules of the cell's splits.json.
     */
    /**
     * With the real runner, a k-task GEAR cell and the pair GEAR cells of its sources (one in its grid, one in another
     * grid of the same options) record the same options in their config.json: the task sets' comparison compares them
     * all (none refused, none unknown), and another value in a pair cell's config.json is refused.
     */
    @Test
    void realCellsRecordTheOptionsTheComparisonChecks(@TempDir Path dir) throws Exception {
        Torch.init(1);
        TaskSetToyGrid.files(dir);
        Map<String, String> o = smallOptions(2);
        o.put("source_init", "both"); // the warm start, in pair and k-task cells alike (GEAR's tuned default is scratch)
        java.util.function.Function<String, GridConfig> cfg = f -> new GridConfig(PairsFile.read(dir.resolve(f)), List.of("gear"),
                List.of(SplitType.RANDOM), 3, 1, List.of(0L), 0.2, o, null, null, TransferCellRunner.class.getName(), 1,
                Isolation.THREAD);
        new Grid(cfg.apply("b.json"), dir.resolve("B"), QUIET).plots(false).run();
        Grid a = new Grid(cfg.apply("a.json"), dir.resolve("A"), QUIET).plots(false).pairsFrom(List.of(dir.resolve("B")));
        Grid.Outcome out = a.run();
        assertEquals(2, out.rows().size(), out.failed().toString());
        TaskSets.Result res = TaskSets.compute(out.rows(), a.taskSetInput(), new gear.experiment.stats.Bootstrap(10, 1),
                gear.train.Regression.INSTANCE);
        assertEquals(null, res.refusal());
        assertEquals(2, res.optionsCompared());
        assertEquals(0, res.optionsUnknown());
        // each from the cell's own config.json: every option of the transfer schema
        CellOptions read = new CellOptions();
        ResultRow ks = out.rows().stream().filter(r -> r.pair().equals("ks")).findFirst().orElseThrow();
        Map<String, String> kOpts = read.of(ks, a.dir().resolve("cells").resolve(ks.cell()), null);
        assertEquals(gear.transfer.TransferSchema.SCHEMA.options().size(), kOpts.size(), kOpts.toString());
        assertEquals("2", kOpts.get("epochs"));
        Path p1 = dir.resolve("B/cells/p1.gear.random.f0.s0");
        assertEquals(kOpts, new CellOptions().of(ResultsFiles.readCell(p1), p1, null));
        // the k-task cell's warm start is each source's pair warm start: the same cache entries (key fingerprints),
        // read rather than computed where the pair cell shares the grid's cache (p2, in grid A)
        JsonNode warm = new ObjectMapper().readTree(a.dir().resolve("cells").resolve(ks.cell()).resolve("config.json").toFile())
                .path("pretraining").path("sources");
        JsonNode pre1 = new ObjectMapper().readTree(p1.resolve("config.json").toFile()).path("pretraining");
        JsonNode pre2 = new ObjectMapper().readTree(a.dir().resolve("cells/p2.gear.random.f0.s0/config.json").toFile())
                .path("pretraining");
        assertEquals(pre1.path("cache").asText(), warm.get(0).path("cache").asText(), "source a: pair p1's entry");
        assertEquals(pre2.path("cache").asText(), warm.get(1).path("cache").asText(), "source b: pair p2's entry");
        assertTrue(warm.get(1).path("computed").asBoolean() != pre2.path("computed").asBoolean(), "computed once in grid A");
        com.fasterxml.jackson.databind.node.ObjectNode c = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper()
                .readTree(p1.resolve("config.json").toFile());
        c.put("w_curv", 0.5);
        Files.writeString(p1.resolve("config.json"), c.toString());
        String refusal = TaskSets.compute(out.rows(), a.taskSetInput(), new gear.experiment.stats.Bootstrap(10, 1),
                gear.train.Regression.INSTANCE).refusal();
        assertTrue(refusal != null && refusal.contains("w_curv " + kOpts.get("w_curv") + " against 0.5"), refusal);
    }

    @Test
    void taskSetCellsRecordTheTrainingRmse(@TempDir Path dir) throws Exception {
        Torch.init(1);
        List<PairSpec> pairs = PairsFile.read(pairsFile(dir));
        Map<String, String> o = smallOptions(3);
        Map<Boolean, Grid.Outcome> outs = new LinkedHashMap<>();
        for (boolean trainRmse : List.of(true, false)) {
            GridConfig cfg = new GridConfig(pairs, List.of("gear", "finetune"), List.of(SplitType.RANDOM), 2, 1, List.of(0L),
                    0.2, o, null, null, TransferCellRunner.class.getName(), 1, Isolation.THREAD, List.of(0.0),
                    GridConfig.DEFAULT_NOISE_SIGMA, trainRmse);
            Grid.Outcome out = new Grid(cfg, dir.resolve("grid-" + trainRmse), QUIET).plots(false).run();
            assertTrue(out.failed().isEmpty(), out.failed().toString());
            assertEquals(2, out.rows().size());
            outs.put(trainRmse, out);
        }
        gear.data.MoleculeDataset t = gear.data.CsvLoader.of(dir.resolve("t.csv")).policy(gear.data.InvalidPolicy.SKIP)
                .load().dataset();
        for (ResultRow r : outs.get(true).rows()) {
            CellResult c = r.result();
            Path cell = dir.resolve("grid-true").resolve("cells").resolve("ks." + r.method() + ".random.f0.s0");
            gear.transfer.ktask.KTaskModel model = gear.transfer.ktask.KTaskModelFile.load(cell.resolve("model.gear"));
            gear.data.Split split = gear.data.SplitsFile.read(cell.resolve("splits.json"), t);
            List<gear.chem.MolGraph> train = new ArrayList<>();
            double[] truth = new double[split.train().length];
            for (int i = 0; i < truth.length; i++) {
                train.add(t.graph(split.train()[i]));
                truth[i] = t.target(split.train()[i], 0);
            }
            double[] pred = model.predict(model.primary(), train);
            double se = 0;
            for (int i = 0; i < truth.length; i++) {
                se += (pred[i] - truth[i]) * (pred[i] - truth[i]);
            }
            double oracle = Math.sqrt(se / truth.length);
            assertEquals(oracle, c.trainRmse(), 1e-6 * oracle, r.method() + ": training RMSE of the kept epoch");
            assertTrue(Double.isFinite(c.trainRmseLast()) && Double.isFinite(c.valRmseLast()), r.method());
            assertTrue(Files.readAllLines(cell.resolve("metrics.csv")).get(0).contains(",train_rmse,"), r.method());
            ResultRow plain = outs.get(false).rows().stream().filter(x -> x.method().equals(r.method())).findFirst()
                    .orElseThrow();
            assertEquals(plain.result().testRmse(), c.testRmse(), 0.0, r.method() + ": recording it changes nothing");
            assertTrue(Double.isNaN(plain.result().trainRmse()), "not recorded without --train-rmse");
        }
    }

    /**
     * results.csv's {@code n_source} counts the source molecules a cell trained on, after every purge: with
     * {@code source_purge validation} the target's validation molecules too (a pair cell: its config.json
     * {@code n_source_train}; a task-set cell: its first source's {@code n_train}).
     */
    @Test
    void nSourceCountsWhatTheCellTrainedOn(@TempDir Path dir) throws Exception {
        Torch.init(1);
        pairsFile(dir);
        Path f = dir.resolve("pairs3.json");
        Files.writeString(f, "{\"pairs\": [{\"id\": \"p\", \"source\": {\"file\": \"s1.csv\", \"column\": \"a\"}, "
                + "\"target\": {\"file\": \"t.csv\", \"column\": \"c\"}}, {\"id\": \"k\", \"sources\": [{\"file\": "
                + "\"s1.csv\", \"column\": \"a\"}, {\"file\": \"s2.csv\", \"column\": \"b\"}], \"target\": {\"file\": "
                + "\"t.csv\", \"column\": \"c\"}}]}");
        Map<String, String> o = new LinkedHashMap<>(smallOptions(1));
        o.put("source_purge", "validation");
        GridConfig cfg = new GridConfig(PairsFile.read(f), List.of("mtl"), List.of(SplitType.RANDOM), 2, 1, List.of(0L),
                0.2, o, null, null, TransferCellRunner.class.getName(), 1, Isolation.THREAD);
        Path g = dir.resolve("grid");
        Grid.Outcome out = new Grid(cfg, g, QUIET).plots(false).run();
        assertTrue(out.failed().isEmpty(), out.failed().toString());
        ObjectMapper m = new ObjectMapper();
        JsonNode pair = m.readTree(g.resolve("cells/p.mtl.random.f0.s0/config.json").toFile());
        JsonNode set = m.readTree(g.resolve("cells/k.mtl.random.f0.s0/config.json").toFile());
        assertTrue(pair.get("n_source_purged").asInt() > 0, "the fixture's target shares validation molecules with s1");
        for (ResultRow r : out.rows()) {
            JsonNode c = r.cell().startsWith("p.") ? pair : set;
            int trained = r.cell().startsWith("p.") ? c.get("n_source_train").asInt() : c.get("tasks").get(0).get("n_train").asInt();
            assertEquals(trained, r.nSource(), r.cell());
        }
        // result.json holds the same count (the summary and results.csv read it back)
        ResultRow p = out.rows().stream().filter(r -> r.cell().startsWith("p.")).findFirst().orElseThrow();
        assertEquals(pair.get("n_source_train").asInt(), m.readTree(g.resolve("cells").resolve(p.cell()).resolve("result.json")
                .toFile()).get("n_source").asInt());
    }

    /**
     * The folds of one (task set, split type, seed) share one pretraining ({@code GRID_DIR/pretrain}) under {@code
     * source_purge test}: they hold the same test molecules, so the purge leaves their sources equal. Two task sets with the same sources get two
     * entries when their targets purge different source molecules (one target shares molecules with a source, the
     * other none).
     */
    @Test
    void foldsShareThePretrainingOfEqualSources(@TempDir Path dir) throws Exception {
        Torch.init(1);
        pairsFile(dir);
        write(dir.resolve("t0.csv"), "c", 60, 9, 3.0);
        StringBuilder br = new StringBuilder();
        for (String line : Files.readAllLines(dir.resolve("t0.csv"))) { // no source molecule holds Br
            br.append(line.startsWith("smiles") ? line : "Br" + line).append('\n');
        }
        Files.writeString(dir.resolve("tbr.csv"), br.toString());
        Path f = dir.resolve("pairs2.json");
        String sources = "\"sources\": [{\"file\": \"s1.csv\", \"column\": \"a\"}, {\"file\": \"s2.csv\", \"column\": \"b\"}]";
        Files.writeString(f, "{\"pairs\": [{\"id\": \"apart\", " + sources + ", \"target\": {\"file\": \"tbr.csv\", "
                + "\"column\": \"c\"}}, {\"id\": \"shared\", " + sources + ", \"target\": {\"file\": \"t.csv\", "
                + "\"column\": \"c\"}}]}");
        Map<String, String> o = new LinkedHashMap<>();
        o.put("epochs", "1");
        o.put("batch_size", "16");
        o.put("hidden_size", "16");
        o.put("latent_size", "4");
        o.put("pretrain_epochs", "2");
        o.put("source_purge", "test"); // the folds' validation parts differ: the default, validation, purges each its own
        GridConfig cfg = new GridConfig(PairsFile.read(f), List.of("finetune"), List.of(SplitType.RANDOM), 2, 2,
                List.of(0L), 0.2, o, null, null, TransferCellRunner.class.getName(), 1, Isolation.THREAD);
        Path g = dir.resolve("grid");
        Grid.Outcome out = new Grid(cfg, g, QUIET).plots(false).run();
        assertTrue(out.failed().isEmpty(), out.failed().toString());
        assertEquals(4, out.rows().size());
        ObjectMapper m = new ObjectMapper();
        Map<String, JsonNode> pre = new LinkedHashMap<>();
        for (String id : List.of("apart", "shared")) {
            for (int fold = 0; fold < 2; fold++) {
                String cell = id + ".finetune.random.f" + fold + ".s0";
                pre.put(cell, m.readTree(g.resolve("cells").resolve(cell).resolve("config.json").toFile()).get("pretraining"));
            }
        }
        for (String id : List.of("apart", "shared")) {
            JsonNode f0 = pre.get(id + ".finetune.random.f0.s0");
            JsonNode f1 = pre.get(id + ".finetune.random.f1.s0");
            assertEquals(f0.get("cache"), f1.get("cache"), id + ": one pretraining for the folds");
            assertTrue(f0.get("computed").asBoolean() != f1.get("computed").asBoolean(), pre.toString());
        }
        assertFalse(pre.get("apart.finetune.random.f0.s0").get("cache").equals(pre.get("shared.finetune.random.f0.s0")
                .get("cache")), "other purged sources: another pretraining");
        JsonNode apart = m.readTree(g.resolve("cells").resolve("apart.finetune.random.f0.s0").resolve("config.json").toFile());
        JsonNode shared = m.readTree(g.resolve("cells").resolve("shared.finetune.random.f0.s0").resolve("config.json")
                .toFile());
        assertEquals(0, apart.get("n_source_purged").asInt());
        assertTrue(shared.get("n_source_purged").asInt() > 0);
        try (var entries = Files.list(g.resolve(TransferCellRunner.PRETRAIN_DIR)).filter(Files::isDirectory)) {
            assertEquals(2, entries.count());
        }
    }

    /** @return the options of a small, fast k-task grid: {@code epochs} epochs, tiny networks, 2 pretraining epochs */
    private static Map<String, String> smallOptions(int epochs) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("epochs", Integer.toString(epochs));
        o.put("batch_size", "16");
        o.put("hidden_size", "16");
        o.put("latent_size", "4");
        o.put("common_size", "8");
        o.put("map_hidden", "8");
        o.put("curv_subset", "3");
        o.put("pretrain_epochs", "2");
        return o;
    }
}
