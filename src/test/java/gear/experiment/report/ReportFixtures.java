package gear.experiment.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.eval.ParityPlots;
import gear.eval.Plots;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;

/** Synthetic run and grid directories for the report tests, written with the project's own writers. */
public final class ReportFixtures {
    /** A string that would break an unescaped page. */
    public static final String HOSTILE = "<script>alert('x')</script> & <b>not bold</b> \"q\" \u0001";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportFixtures() {}

    /** A finished benchmark grid: config, results.json/csv, summary.md, plots, and two cells with plots. */
    public static Path grid(Path dir, int rows) throws IOException {
        Files.createDirectories(dir);
        ObjectNode cfg = JSON.createObjectNode();
        cfg.put("command", "benchmark");
        cfg.put("pairs", "pairs file.json");
        cfg.putArray("methods").add("stl").add("gear");
        cfg.putArray("split_types").add("random").add("scaffold");
        cfg.put("folds", 4);
        cfg.putArray("seeds").add(0).add(1);
        Files.writeString(dir.resolve("config.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(cfg));
        Random r = new Random(1);
        ArrayNode res = JSON.createArrayNode();
        StringBuilder csv = new StringBuilder("pair,method,split_type,fold,seed,n_train,test_rmse,test_mae,test_r2\n");
        String[] methods = {"stl", "gear"};
        for (int i = 0; i < rows; i++) {
            ObjectNode o = res.addObject();
            o.put("pair", "tc <- tb");
            o.put("method", methods[i % 2]);
            o.put("split_type", i % 4 < 2 ? "random" : "scaffold");
            o.put("fold", i / 4);
            o.put("seed", 0);
            o.put("n_train", 300 + i);
            double rmse = i == 1 ? 1.0e-7 : 10 + r.nextDouble() * 20;
            o.put("test_rmse", rmse);
            o.put("test_mae", rmse * 0.8);
            o.put("test_r2", i == 2 ? -0.5 : r.nextDouble());
            csv.append(String.join(",", "\"tc <- tb\"", o.get("method").asText(), o.get("split_type").asText(),
                    o.get("fold").asText(), "0", o.get("n_train").asText(), o.get("test_rmse").asText(),
                    o.get("test_mae").asText(), o.get("test_r2").asText())).append('\n');
        }
        Files.writeString(dir.resolve("results.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(res));
        Files.writeString(dir.resolve("results.csv"), csv.toString());
        Files.writeString(dir.resolve("summary.md"), """
                # Summary

                Mean ± std of **test RMSE** per pair, method and split type; `gear` vs *baselines*.

                | pair | method | split | RMSE |
                |---|---|:---:|---:|
                | tc <- tb | stl | random | 12.5 ± 1.0 |
                | tc <- tb | gear | random | 11.0 ± 0.9 |

                ## Relative change

                - random: -12.0 %
                - scaffold: -8.3 %

                1. first
                2. second

                """ + HOSTILE + "\n");
        Plots.bars(dir.resolve("rmse_bars.png"), "RMSE", "K", List.of("random", "scaffold"),
                Map.of("stl", new double[] {12.5, 14}, "gear", new double[] {11, 13}));
        Plots.lines(dir.resolve("curve.png"), "curve", "epoch", "loss",
                List.of(new Plots.Series("train", new double[] {1, 2, 3}, new double[] {3, 2, 1})), false);
        for (String c : new String[] {"c1", "c2"}) {
            Path cell = dir.resolve("cells").resolve(c);
            Files.createDirectories(cell);
            Files.writeString(cell.resolve("config.json"), "{\"command\":\"transfer\"}");
            ParityPlots.parity(cell.resolve("parity.png"), "parity " + c, "K",
                    Map.of("test", new double[][] {{1, 2, 3}, {1.1, 2.2, 2.9}}));
        }
        return dir;
    }

    /** A finished single-task training run: config, splits, model header, metrics, predictions, plots. */
    public static Path trainRun(Path dir, int epochs) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), """
                {"command": "train", "data_path": "data/my set.csv", "smiles_column": "smiles",
                 "target_column": "y", "epochs": 30, "splitSizes": [0.8, 0.1, 0.1], "quiet": false,
                 "cache": true, "model": {"depth": 3}}
                """);
        Files.writeString(dir.resolve("splits.json"), "{\"train\":[0,1,2,3,4,5,6,7],\"val\":[8],\"test\":[9,10]}");
        StringBuilder m = new StringBuilder("epoch,train_loss,val_rmse,lr\n");
        double[] val = new double[epochs];
        for (int e = 1; e <= epochs; e++) {
            val[e - 1] = 5.0 / e;
            m.append(e).append(',').append(1.0 / e).append(',').append(val[e - 1]).append(",0.001\n");
        }
        Files.writeString(dir.resolve("metrics.csv"), m.toString());
        Files.writeString(dir.resolve("test_predictions.csv"), "smiles,y,y_pred\nCCO,1.5,1.25\nCC,2.0,\nc1ccccc1,3.0,3.5\n");
        writeModelHeader(dir.resolve("model.gear"));
        double[] x = new double[epochs];
        for (int i = 0; i < epochs; i++) {
            x[i] = i + 1;
        }
        Plots.lines(dir.resolve("learning_curve.png"), "learning curve", "epoch", "RMSE",
                List.of(new Plots.Series("val", x, val)), true);
        ParityPlots.parity(dir.resolve("parity.png"), "parity", "K", Map.of("test", new double[][] {{1.5, 3}, {1.25, 3.5}}));
        return dir;
    }

    /** A safetensors file with gear-style metadata and one 2×3 float tensor (24 bytes of zeros). */
    static void writeModelHeader(Path file) throws IOException {
        ObjectNode h = JSON.createObjectNode();
        ObjectNode md = h.putObject("__metadata__");
        md.put("format", "gear-model");
        md.put("format_version", "1");
        md.put("provenance", "{\"data_sha256\":\"abc123\",\"seed\":7,\"gear_version\":\"0.1.0\"}");
        md.put("targets", "[\"y\"]");
        ObjectNode w = h.putObject("ffn.w");
        w.put("dtype", "F32");
        w.putArray("shape").add(2).add(3);
        w.putArray("data_offsets").add(0).add(24);
        byte[] header = JSON.writeValueAsString(h).getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + 24).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length).put(header);
        Files.write(file, b.array());
    }

    /** Parses the page as XML (the page is XHTML); fails on any well-formedness error. */
    public static Document parse(Path html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setValidating(false);
        f.setExpandEntityReferences(false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        var builder = f.newDocumentBuilder();
        builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
            @Override
            public void error(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXException {
                throw e;
            }
        });
        return builder.parse(html.toFile());
    }

    /** PNG files the report should show (same rule as {@link Figures}: up to 3 levels). */
    public static long pngCount(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir, Figures.MAX_DEPTH)) {
            return s.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".png")).count();
        }
    }
}
