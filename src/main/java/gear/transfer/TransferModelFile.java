package gear.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.data.BadInputException;
import gear.nn.SafeTensors;
import gear.train.ModelFile;
import gear.train.Provenance;
import gear.data.StandardScaler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * The transfer model file: the same container, header ({@link ModelFile#header}: format, version, kind,
 * featurizer) and checks on reading ({@link ModelFile#open}) as the D-MPNN file, with {@code model_type = transfer}. Metadata (strings;
 * JSON where noted): {@code method}; {@code options} (JSON, {@link TransferOptions#toJson}: every key of
 * {@link TransferSchema#SCHEMA}, the provenance of the hyperparameters); {@code seed};
 * {@code featurizer} (JSON as in ModelFile); {@code scalers} (JSON: {@code source} and {@code target}, each
 * {@code {mean:[μ], std:[σ]}} or null); {@code tasks} (JSON: {@code source}, {@code target} property names);
 * {@code provenance} (JSON, data_sha256 of the target file) and {@code source_sha256}. Tensors: every
 * weight of {@link TransferModel#params()} under its name ({@code source.*}, {@code target.*},
 * {@code shared.*}). Loading rebuilds the networks from method, options and seed and copies the weights,
 * so both tasks' predictions are identical to the saved model's.
 *
 * <p>Use from {@code gear predict --task source|target}:
 * <pre>{@code
 * if (TransferModelFile.isTransferModel(path)) {
 *     TransferModel m = TransferModelFile.load(path);
 *     double[] y = m.predict(Task.parse(task), graphs);   // original units of that task
 * }
 * }</pre>
 */
public final class TransferModelFile {
    /** Value of the {@code model_type} key. */
    public static final String MODEL_TYPE = "transfer";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TransferModelFile() {}

    /**
     * Writes the model atomically.
     *
     * @param sourceSha256 SHA-256 of the source data file ("" when unknown)
     */
    public static void save(Path file, TransferModel m, String sourceSha256) throws IOException {
        SafeTensors.write(file, new LinkedHashMap<>(m.params().asMap()), metadata(m, sourceSha256, MODEL_TYPE));
    }

    /** @return the metadata of {@code m} under the kind {@code modelType} (shared with {@link TransferEnsembleFile}) */
    static Map<String, String> metadata(TransferModel m, String sourceSha256, String modelType) throws IOException {
        Map<String, String> md = header(modelType, m.method().name(), m.options(), m.seed());
        ObjectNode sc = JSON.createObjectNode();
        sc.set("source", scalerJson(m.scaler(Task.SOURCE)));
        sc.set("target", scalerJson(m.scaler(Task.TARGET)));
        md.put("scalers", JSON.writeValueAsString(sc));
        ObjectNode tasks = JSON.createObjectNode();
        tasks.put("source", m.taskName(Task.SOURCE));
        tasks.put("target", m.taskName(Task.TARGET));
        md.put("tasks", JSON.writeValueAsString(tasks));
        md.put("provenance", JSON.writeValueAsString(m.provenance().toJson(JSON)));
        md.put("source_sha256", sourceSha256 == null ? "" : sourceSha256);
        return md;
    }

    /**
     * @return the header of a transfer model file of either family (two or k tasks): {@link ModelFile#header} of
     *     {@code modelType}, {@code method}, {@code options} (JSON), {@code seed}
     */
    public static Map<String, String> header(String modelType, String method, TransferOptions options, long seed)
            throws IOException {
        Map<String, String> md = ModelFile.header(modelType);
        md.put("method", method);
        md.put("options", JSON.writeValueAsString(options.toJson(JSON)));
        md.put("seed", Long.toString(seed));
        return md;
    }

    /** @return the options of a transfer model file's metadata ({@link #header}) */
    public static TransferOptions options(Map<String, String> md, Path file) throws IOException {
        return TransferOptions.fromJson(JSON.readTree(ModelFile.require(md, "options", file)));
    }

    /**
     * Copies a file's tensors into a freshly built model's parameters.
     *
     * @param model what the model is, for the message ("a gear model", "a 3-task gear model")
     * @throws BadInputException naming the file when it holds another number of tensors than the model has
     */
    public static void copyWeights(Path file, gear.nn.Params params, Map<String, Tensor> w, String model) {
        if (w.size() != params.asMap().size()) {
            throw new BadInputException(file + ": holds " + w.size() + " tensors, " + model
                    + " with these options needs " + params.asMap().size());
        }
        params.copyFrom(w);
    }

    /** @return a scaler of one property as {@code {mean:[μ], std:[σ]}} (JSON null for none) */
    public static JsonNode scalerJson(StandardScaler s) {
        if (s == null) {
            return JSON.nullNode();
        }
        ObjectNode n = JSON.createObjectNode();
        n.putArray("mean").add(s.mean(0));
        n.putArray("std").add(s.std(0));
        return n;
    }

    /**
     * @return the {@code model_type} of a gear model file ({@code dmpnn} or {@code transfer})
     * @throws BadInputException when the file is missing or not a gear model file
     */
    public static String modelType(Path file) {
        return ModelFile.modelType(file);
    }

    /** @return whether the file is a gear transfer model (false for a plain D-MPNN model) */
    public static boolean isTransferModel(Path file) {
        return MODEL_TYPE.equals(modelType(file));
    }

    /**
     * Reads a transfer model.
     *
     * @throws BadInputException naming the file when it is missing, corrupt, a plain D-MPNN model
     *     ({@code model_type dmpnn}: use {@link ModelFile#load}) or its weights do not fit its settings
     */
    public static TransferModel load(Path file) {
        SafeTensors.Content c = ModelFile.open(file, MODEL_TYPE);
        Map<String, String> md = c.metadata();
        try {
            TransferModel m = fresh(md, file, Long.parseLong(ModelFile.require(md, "seed", file)));
            copyWeights(file, m.params(), c.tensors(), "a " + m.method().name() + " model");
            return m;
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(file + ": corrupt transfer model file (" + e.getMessage() + ")", e);
        }
    }

    /**
     * @return a freshly initialized model of the method, options, scalers, tasks and provenance in {@code md},
     *     initialized with {@code seed} (its weights are copied in by the caller)
     */
    static TransferModel fresh(Map<String, String> md, Path file, long seed) throws IOException {
        TransferMethod method = Methods.get(ModelFile.require(md, "method", file));
        TransferOptions opts = options(md, file);
        JsonNode sc = JSON.readTree(ModelFile.require(md, "scalers", file));
        JsonNode tasks = JSON.readTree(ModelFile.require(md, "tasks", file));
        Provenance prov = Provenance.fromJson(JSON.readTree(ModelFile.require(md, "provenance", file)));
        return new TransferModel(method, opts, seed, scaler(sc.get("source")), scaler(sc.get("target")),
                tasks.path("source").asText(""), tasks.path("target").asText(""), prov);
    }

    /** @return the scaler of {@link #scalerJson} (null for JSON null) */
    public static StandardScaler scaler(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        return new StandardScaler(new double[] {n.get("mean").get(0).asDouble()}, new double[] {n.get("std").get(0).asDouble()});
    }
}
