package gear.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.CsvLoader;
import gear.data.MoleculeDataset;
import gear.data.Split;
import gear.data.SplitSizes;
import gear.data.SplitType;
import gear.nn.Torch;
import gear.run.RunDirectory;
import gear.run.TrainConfig;
import gear.run.TrainRun;
import gear.transfer.Methods;
import gear.transfer.ModelFiles;
import gear.transfer.RunFiles;
import gear.transfer.TransferOptions;
import gear.transfer.TransferRun;
import gear.transfer.TransferSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Java API of gear: load a model, predict and embed SMILES, train a D-MPNN and transfer between two tasks, from
 * code. Each call is a thin wrapper over the library calls the commands use, with the same run directories and files.
 *
 * <pre>{@code
 * try (Model m = Gear.train(Path.of("demo/target_tc.csv"), "Tc_joback_K", Path.of("tc_run"), Map.of("epochs", 5))) {
 *     double[][] y = m.predict(List.of("CCO", "c1ccccc1O"));        // one row per SMILES, one column per target
 *     double[][] h = m.embed(List.of("CCO"));                       // the D-MPNN readout
 * }
 * try (Model g = Gear.load(Path.of("demo/runs/gear/model.gear"));  // a transfer model: its target task
 *         Stream<String> lines = Files.lines(Path.of("many.smi"))) {
 *     g.predict(lines).forEach(row -> System.out.println(row[0])); // streamed in chunks
 * }
 * }</pre>
 */
public final class Gear {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Gear() {}

    /**
     * Loads a model file of either kind (for a transfer model, its target task).
     *
     * @throws gear.data.BadInputException naming the file when it is not a gear model file
     */
    public static Model load(Path file) {
        return load(file, null);
    }

    /**
     * Loads a model file; {@code task} ({@code source} or {@code target}) picks a transfer model's task (null: target;
     * must be null for a D-MPNN).
     */
    public static Model load(Path file, String task) {
        return load(file, task, 0);
    }

    /**
     * Loads a model file of any kind {@code gear predict} reads but k-task models: a D-MPNN or a transfer model, or an
     * ensemble of either ({@code --ensemble-size}) or a mean-variance D-MPNN, whose {@link Model#predict} is the mean
     * and {@link Model#predictWithStd} the mean and standard deviation; {@link Model#embed} uses member
     * {@code member} of an ensemble (0: the plain run of the seed; a plain file has only member 0).
     *
     * @throws gear.data.BadInputException naming the file when it is not such a model file or has no such member
     */
    public static Model load(Path file, String task, int member) {
        Torch.ensure();
        return new Model(ModelFiles.loadAll(file), task, member, file);
    }

    /**
     * Trains a D-MPNN as {@code gear train} does (random 80/10/10 split, chemprop v1 defaults) and writes the run
     * directory.
     *
     * @param csv training CSV (SMILES in the first column)
     * @param target the target column
     * @param runDir the run directory to write
     * @param options config.json keys and values overriding the defaults (e.g. {@code epochs}, {@code hidden_size},
     *     {@code seed}, {@code from}, {@code freeze_encoder})
     * @return the trained model
     */
    public static Model train(Path csv, String target, Path runDir, Map<String, ?> options) {
        ObjectNode n = JSON.createObjectNode();
        options.forEach((k, v) -> n.set(k, JSON.valueToTree(v)));
        n.put("data_path", csv.toAbsolutePath().normalize().toString());
        n.putArray("target_columns").add(target);
        n.put("output_dir", runDir.toAbsolutePath().normalize().toString());
        TrainConfig cfg = TrainConfig.resolve(null, n);
        try {
            TrainRun.Result r = TrainRun.run(cfg, new TrainRun.Options(false, true, false, null, 0,
                    new PrintStream(OutputStream.nullOutputStream())));
            return load(r.dir().file(RunDirectory.MODEL));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Transfers from a source task to a target task with one method, as {@code gear transfer} does (random 80/10/10
     * split of the target data) and writes the run directory.
     *
     * @param method {@code stl}, {@code mtl}, {@code finetune}, {@code kd}, {@code gspkd}, {@code gate} or {@code gear}
     * @param source source CSV
     * @param sourceColumn its property column
     * @param target target CSV
     * @param targetColumn its property column
     * @param runDir the run directory to write
     * @param options transfer option keys and values (as in {@code gear transfer --help}, snake_case, e.g. {@code epochs})
     * @param seed split and initialization seed
     * @return the trained transfer model (predicting its target task)
     */
    public static Model transfer(String method, Path source, String sourceColumn, Path target, String targetColumn,
            Path runDir, Map<String, String> options, long seed) {
        Torch.ensure();
        MoleculeDataset src = CsvLoader.of(source).targetColumns(List.of(sourceColumn)).load().dataset();
        MoleculeDataset tgt = CsvLoader.of(target).targetColumns(List.of(targetColumn)).load().dataset();
        Split split = SplitType.RANDOM.split(tgt, SplitSizes.of(List.of(0.8, 0.1, 0.1)), seed).requireTrainable(tgt);
        Path out = runDir.toAbsolutePath().normalize();
        RunFiles.prepare(out);
        TransferRun.run(new TransferSpec(Methods.get(method), src, sourceColumn, tgt, targetColumn, split,
                TransferOptions.defaults(Methods.get(method)).with(options), seed, out));
        return load(out.resolve(RunFiles.MODEL));
    }
}
