package gear.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.chem.MolGraph;
import gear.data.BadInputException;
import gear.nn.SafeTensors;
import gear.train.ModelFile;
import gear.train.Provenance;
import gear.data.StandardScaler;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * The transfer model file: the same safetensors container and {@code format = gear-model},
 * {@code format_version = 1} as {@link ModelFile}, with {@code model_type = transfer}. Metadata (strings;
 * JSON where noted): {@code method}; {@code options} (JSON, {@link TransferOptions#toJson}); {@code seed};
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
        Map<String, String> md = new LinkedHashMap<>();
        md.put("format", ModelFile.FORMAT);
        md.put("format_version", Integer.toString(ModelFile.VERSION));
        md.put("model_type", MODEL_TYPE);
        md.put("method", m.method().name());
        md.put("options", JSON.writeValueAsString(m.options().toJson(JSON)));
        md.put("seed", Long.toString(m.seed()));
        ObjectNode feat = JSON.createObjectNode();
        feat.put("name", ModelFile.FEATURIZER);
        feat.put("atom_fdim", MolGraph.ATOM_FDIM);
        feat.put("bond_fdim", MolGraph.BOND_FDIM);
        md.put("featurizer", JSON.writeValueAsString(feat));
        ObjectNode sc = JSON.createObjectNode();
        sc.set("source", scaler(m.scaler(Task.SOURCE)));
        sc.set("target", scaler(m.scaler(Task.TARGET)));
        md.put("scalers", JSON.writeValueAsString(sc));
        ObjectNode tasks = JSON.createObjectNode();
        tasks.put("source", m.taskName(Task.SOURCE));
        tasks.put("target", m.taskName(Task.TARGET));
        md.put("tasks", JSON.writeValueAsString(tasks));
        md.put("provenance", JSON.writeValueAsString(m.provenance().toJson(JSON)));
        md.put("source_sha256", sourceSha256 == null ? "" : sourceSha256);
        SafeTensors.write(file, new LinkedHashMap<>(m.params().asMap()), md);
    }

    private static JsonNode scaler(StandardScaler s) {
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
        Map<String, String> md = read(file).metadata();
        return md.get("model_type");
    }

    /** @return whether the file is a gear transfer model (false for a plain D-MPNN model) */
    public static boolean isTransferModel(Path file) {
        return MODEL_TYPE.equals(modelType(file));
    }

    private static SafeTensors.Content read(Path file) {
        SafeTensors.Content c;
        try {
            c = SafeTensors.read(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException("model file " + file + " does not exist");
        } catch (IOException e) {
            throw new BadInputException("cannot read model file " + file + ": " + e.getMessage(), e);
        }
        if (!ModelFile.FORMAT.equals(c.metadata().get("format"))) {
            throw new BadInputException(file + ": not a gear model file (format '" + c.metadata().get("format") + "')");
        }
        if (!Integer.toString(ModelFile.VERSION).equals(c.metadata().get("format_version"))) {
            throw new BadInputException(file + ": model file format version " + c.metadata().get("format_version")
                    + " is not supported by this gear (reads version " + ModelFile.VERSION + ")");
        }
        return c;
    }

    /**
     * Reads a transfer model.
     *
     * @throws BadInputException naming the file when it is missing, corrupt, a plain D-MPNN model
     *     ({@code model_type dmpnn}: use {@link ModelFile#load}) or its weights do not fit its settings
     */
    public static TransferModel load(Path file) {
        SafeTensors.Content c = read(file);
        Map<String, String> md = c.metadata();
        if (!MODEL_TYPE.equals(md.get("model_type"))) {
            throw new BadInputException(file + ": is a " + md.get("model_type") + " model, not a transfer model");
        }
        try {
            JsonNode feat = JSON.readTree(req(md, "featurizer", file));
            if (!ModelFile.FEATURIZER.equals(feat.path("name").asText())
                    || feat.path("atom_fdim").asInt() != MolGraph.ATOM_FDIM
                    || feat.path("bond_fdim").asInt() != MolGraph.BOND_FDIM) {
                throw new BadInputException(file + ": model was trained with featurizer " + feat + ", this gear computes "
                        + ModelFile.FEATURIZER);
            }
            TransferMethod method = Methods.get(req(md, "method", file));
            TransferOptions opts = TransferOptions.fromJson(JSON.readTree(req(md, "options", file)));
            long seed = Long.parseLong(req(md, "seed", file));
            JsonNode sc = JSON.readTree(req(md, "scalers", file));
            JsonNode tasks = JSON.readTree(req(md, "tasks", file));
            Provenance prov = Provenance.fromJson(JSON.readTree(req(md, "provenance", file)));
            TransferModel m = new TransferModel(method, opts, seed, scaler(sc.get("source")), scaler(sc.get("target")),
                    tasks.path("source").asText(""), tasks.path("target").asText(""), prov);
            Map<String, Tensor> w = c.tensors();
            if (w.size() != m.params().asMap().size()) {
                throw new BadInputException(file + ": holds " + w.size() + " tensors, a " + method.name()
                        + " model with these options needs " + m.params().asMap().size());
            }
            m.params().copyFrom(w);
            return m;
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(file + ": corrupt transfer model file (" + e.getMessage() + ")", e);
        }
    }

    private static StandardScaler scaler(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        return new StandardScaler(new double[] {n.get("mean").get(0).asDouble()}, new double[] {n.get("std").get(0).asDouble()});
    }

    private static String req(Map<String, String> md, String key, Path file) {
        String v = md.get(key);
        if (v == null) {
            throw new BadInputException(file + ": model file lacks the '" + key + "' metadata");
        }
        return v;
    }
}
