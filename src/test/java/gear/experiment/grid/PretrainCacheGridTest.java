package gear.experiment.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gear.data.SplitType;
import gear.transfer.PretrainCache;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grid's pretraining cache ({@code GRID_DIR/pretrain/<fingerprint>/}): finetune, KD and GSP-KD of one pair,
 * split, fold and seed compute the source pretraining once and share it, also when their cells run at the same time
 * in separate JVMs; the shared entry's cells give the results of cells run without a cache.
 */
class PretrainCacheGridTest {
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    static PairSpec pair;
    @TempDir
    Path out;

    @BeforeAll
    static void data(@TempDir Path dir) throws IOException {
        pair = GridFixture.demoPair(dir, 80);
    }

    static GridConfig config(int workers, Isolation iso) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("epochs", "1");
        o.put("pretrain_epochs", "1");
        o.put("hidden_size", "16");
        o.put("latent_size", "4");
        return new GridConfig(List.of(pair), List.of("finetune", "kd", "gspkd"), List.of(SplitType.RANDOM), 2, 1, List.of(0L),
                0.2, o, null, null, TransferCellRunner.class.getName(), workers, iso);
    }

    /** @return per cell, whether it computed the pretraining; asserts one shared entry */
    static Map<String, Boolean> computed(Path grid) throws IOException {
        Map<String, Boolean> m = new LinkedHashMap<>();
        String fp = null;
        for (String method : List.of("finetune", "kd", "gspkd")) {
            Path cell = grid.resolve("cells").resolve("demo." + method + ".random.f0.s0");
            JsonNode p = new ObjectMapper().readTree(cell.resolve("config.json").toFile()).get("pretraining");
            m.put(method, p.get("computed").asBoolean());
            if (fp != null) {
                assertEquals(fp, p.get("cache").asText(), "one entry for the three methods");
            }
            fp = p.get("cache").asText();
        }
        try (var s = Files.list(grid.resolve(TransferCellRunner.PRETRAIN_DIR))) {
            List<Path> entries = s.filter(Files::isDirectory).toList();
            assertEquals(1, entries.size(), entries.toString());
            assertEquals(fp, entries.get(0).getFileName().toString());
            assertTrue(Files.isRegularFile(entries.get(0).resolve(PretrainCache.ENTRY)));
        }
        return m;
    }

    @Test
    void finetuneKdAndGspkdComputeThePretrainingOnce() throws Exception {
        Grid.Outcome o = new Grid(config(1, Isolation.THREAD), out.resolve("g"), QUIET).plots(false).run();
        assertTrue(o.failed().isEmpty(), o.failed().toString());
        Map<String, Boolean> c = computed(out.resolve("g"));
        assertEquals(1, c.values().stream().filter(b -> b).count(), c.toString());
        assertTrue(c.get("finetune"), "the first cell computes it, the others read it: " + c);
        // the rows carry the budgets of the convergence check: 1 epoch of each phase, the only one selected
        for (ResultRow r : o.rows()) {
            assertEquals(new Convergence.Budget(1, 1, 0, 1), r.budget(), r.cell());
        }
        Convergence.Result conv = Convergence.compute(o.rows());
        assertEquals(new Convergence.Count(Convergence.ALL, 3, 3), conv.targetAll());
        assertEquals(new Convergence.Count(Convergence.ALL, 3, 3), conv.pretraining().get(conv.pretraining().size() - 1));
    }

    /** Three cells wanting the same entry at once in three child JVMs: one computes it, two wait and read it. */
    @Test
    @Tag("slow")
    void concurrentChildJvmsComputeThePretrainingOnceWithTheSameResults() throws Exception {
        Grid.Outcome t = new Grid(config(1, Isolation.THREAD), out.resolve("t"), QUIET).plots(false).run();
        Grid.Outcome p = new Grid(config(3, Isolation.PROCESS), out.resolve("p"), QUIET).plots(false).run();
        assertTrue(t.failed().isEmpty() && p.failed().isEmpty(), t.failed() + " " + p.failed());
        Map<String, Boolean> c = computed(out.resolve("p"));
        assertEquals(1, c.values().stream().filter(b -> b).count(), c.toString());
        assertEquals(withoutSeconds(out.resolve("t/results.csv")), withoutSeconds(out.resolve("p/results.csv")));
    }

    /** @return the results table without its timing column */
    static List<String> withoutSeconds(Path csv) throws IOException {
        return withoutColumn(csv, "train_seconds");
    }

    /** @return the lines of a CSV without the named column (all of them where it has none) */
    static List<String> withoutColumn(Path csv, String column) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        int col = List.of(lines.get(0).split(",", -1)).indexOf(column);
        if (col < 0) {
            return lines;
        }
        return lines.stream().map(l -> {
            List<String> f = new java.util.ArrayList<>(List.of(l.split(",", -1)));
            f.remove(col);
            return String.join(",", f);
        }).toList();
    }
}
