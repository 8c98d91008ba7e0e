package gear.train;

import gear.data.StandardScaler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import gear.chem.MolGraph;
import gear.data.BadInputException;
import gear.nn.Dmpnn;
import gear.nn.DmpnnConfig;
import gear.nn.SafeTensors;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * The gear model file: a safetensors file (weights, readable by other ecosystems) whose
 * {@code __metadata__} makes it self-describing. Metadata keys (values are strings; JSON where noted):
 *
 * <ul>
 *   <li>{@code format} = {@code gear-model}, {@code format_version} = {@code 1}, {@code model_type} = {@code dmpnn};</li>
 *   <li>{@code hyperparameters} (JSON, {@link DmpnnConfig#toJson}); {@code training} (JSON, {@link TrainOptions#toJson});</li>
 *   <li>{@code featurizer} (JSON: name {@code chemprop-v1}, atom_fdim 133, bond_fdim 14);</li>
 *   <li>{@code scaler} (JSON, {@link StandardScaler#toJson}: type, means, stds per target; files written
 *       by earlier builds with {@code {mean, std}} are still read); {@code targets} (JSON array of names);</li>
 *   <li>{@code provenance} (JSON: data_sha256, seed, gear_version, libtorch_version, created).</li>
 * </ul>
 *
 * Tensors are the model's parameters under their {@link gear.nn.Params} names. Loading rebuilds the
 * network from the hyperparameters and copies the weights, so predictions are bit-identical.
 */
public final class ModelFile {
    /** Value of the {@code format} key. */
    public static final String FORMAT = "gear-model";
    /** The format version this build writes and reads. */
    public static final int VERSION = 1;
    /** Name of the featurizer this build's models use. */
    public static final String FEATURIZER = "chemprop-v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code model_type} of a single D-MPNN. */
    public static final String DMPNN = "dmpnn";

    private ModelFile() {}

    /**
     * The metadata every gear model file starts with, whatever its kind: {@code format},
     * {@code format_version}, {@code model_type} (the kind) and {@code featurizer}. The writer of each kind adds
     * its own keys (and {@code provenance}).
     */
    public static Map<String, String> header(String modelType) {
        Map<String, String> md = new LinkedHashMap<>();
        md.put("format", FORMAT);
        md.put("format_version", Integer.toString(VERSION));
        md.put("model_type", modelType);
        ObjectNode feat = JSON.createObjectNode();
        feat.put("name", FEATURIZER);
        feat.put("atom_fdim", MolGraph.ATOM_FDIM);
        feat.put("bond_fdim", MolGraph.BOND_FDIM);
        try {
            md.put("featurizer", JSON.writeValueAsString(feat));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return md;
    }

    /**
     * Reads a model file of any kind and checks what every kind shares: the format, the format version (a
     * file of another version is refused naming it), the kind ({@code model_type}) and the featurizer.
     *
     * @param modelType the kind the caller reads ({@link #DMPNN}, {@code transfer})
     * @throws BadInputException naming the file and the problem
     */
    public static SafeTensors.Content open(Path file, String modelType) {
        SafeTensors.Content c;
        try {
            c = SafeTensors.read(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException("model file " + file + " does not exist");
        } catch (IOException e) {
            String msg = e.getMessage() != null && e.getMessage().contains(file.toString()) ? e.getMessage()
                    : file + ": " + e.getMessage();
            throw new BadInputException("cannot read model file: " + msg, e);
        }
        Map<String, String> md = c.metadata();
        if (!FORMAT.equals(md.get("format"))) {
            throw new BadInputException(file + ": not a gear model file (format '" + md.get("format") + "')");
        }
        String version = md.get("format_version");
        if (!Integer.toString(VERSION).equals(version)) {
            throw new BadInputException(file + ": model file format version " + version
                    + " is not supported by this gear (reads version " + VERSION + "; a newer gear may read it)");
        }
        if (!modelType.equals(md.get("model_type"))) {
            throw new BadInputException(file + ": is a '" + md.get("model_type") + "' model, not a '" + modelType
                    + "' model" + (DMPNN.equals(modelType) ? " (a single D-MPNN)" : ""));
        }
        try {
            JsonNode feat = JSON.readTree(require(md, "featurizer", file));
            if (!FEATURIZER.equals(feat.path("name").asText()) || feat.path("atom_fdim").asInt() != MolGraph.ATOM_FDIM
                    || feat.path("bond_fdim").asInt() != MolGraph.BOND_FDIM) {
                throw new BadInputException(file + ": model was trained with featurizer " + feat
                        + ", this gear computes " + FEATURIZER + " (" + MolGraph.ATOM_FDIM + "/" + MolGraph.BOND_FDIM + ")");
            }
        } catch (IOException e) {
            throw new BadInputException(file + ": corrupt model file (" + e.getMessage() + ")", e);
        }
        return c;
    }

    /**
     * Writes the model atomically (temporary file, then rename).
     *
     * @throws IOException on a write failure (an existing file is left untouched)
     */
    public static void save(Path file, TrainedModel m) throws IOException {
        Map<String, String> md = header(DMPNN);
        md.put("hyperparameters", JSON.writeValueAsString(m.network().config().toJson(JSON)));
        if (m.options() != null) {
            md.put("training", JSON.writeValueAsString(m.options().toJson(JSON)));
        }
        md.put("scaler", m.scaler().toJsonString());
        ArrayNode targets = JSON.createArrayNode();
        m.targetNames().forEach(targets::add);
        md.put("targets", JSON.writeValueAsString(targets));
        md.put("provenance", JSON.writeValueAsString(m.provenance().toJson(JSON)));
        SafeTensors.write(file, new LinkedHashMap<>(m.network().params().asMap()), md);
    }

    /**
     * Reads a model file.
     *
     * @throws BadInputException naming the file when it is missing, truncated, corrupt, of another
     *     format or version, or its weights do not match its hyperparameters
     */
    public static TrainedModel load(Path file) {
        SafeTensors.Content c = open(file, DMPNN);
        Map<String, String> md = c.metadata();
        try {
            DmpnnConfig cfg = DmpnnConfig.fromJson(JSON.readTree(require(md, "hyperparameters", file)));
            JsonNode sc = JSON.readTree(require(md, "scaler", file));
            // current form: StandardScaler JSON; format-1 files written before the scalers were merged: {mean, std}
            StandardScaler scaler = sc.has("type") ? StandardScaler.fromJson(sc)
                    : new StandardScaler(doubles(sc.get("mean")), doubles(sc.get("std")));
            List<String> names = new ArrayList<>();
            for (JsonNode n : JSON.readTree(require(md, "targets", file))) {
                names.add(n.asText());
            }
            Provenance prov = Provenance.fromJson(JSON.readTree(require(md, "provenance", file)));
            TrainOptions opts = null;
            if (md.containsKey("training")) {
                JsonNode t = JSON.readTree(md.get("training"));
                opts = TrainOptions.fromJson(t);
            }
            Dmpnn net = new Dmpnn(cfg, 0);
            Map<String, Tensor> w = c.tensors();
            if (w.size() != net.params().asMap().size()) {
                throw new BadInputException(file + ": holds " + w.size() + " tensors, the model needs "
                        + net.params().asMap().size());
            }
            if (cfg.float64()) {
                w.replaceAll((k, v) -> v.to(cfg.dtype()));
            }
            net.params().copyFrom(w);
            return new TrainedModel(net, scaler, names, prov, opts);
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(file + ": corrupt model file (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads only the header of a model file and returns its {@code model_type} ({@code dmpnn} for
     * the models {@link #load} reads; other types are written by the transfer methods), so that a
     * caller can pick the right loader.
     *
     * @throws BadInputException when the file is missing, truncated or not a gear model file
     */
    public static String modelType(Path file) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            byte[] len = in.readNBytes(8);
            if (len.length < 8) {
                throw new BadInputException(file + ": truncated model file (" + len.length + " bytes; not a gear model file)");
            }
            long n = java.nio.ByteBuffer.wrap(len).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            long size = java.nio.file.Files.size(file);
            if (n <= 1 || n > 100_000_000L || 8 + n > size) {
                throw new BadInputException(file + ": corrupt or truncated model file (header length " + n + ", file size "
                        + size + " bytes)");
            }
            JsonNode h = JSON.readTree(in.readNBytes((int) n));
            JsonNode md = h == null ? null : h.get("__metadata__");
            if (md == null || !FORMAT.equals(md.path("format").asText())) {
                throw new BadInputException(file + ": not a gear model file (no '" + FORMAT + "' metadata)");
            }
            return md.path("model_type").asText("");
        } catch (NoSuchFileException e) {
            throw new BadInputException("model file " + file + " does not exist");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read model file: " + e.getMessage(), e);
        }
    }

    /**
     * @return the metadata value
     * @throws BadInputException naming the file and the missing key
     */
    public static String require(Map<String, String> md, String key, Path file) {
        String v = md.get(key);
        if (v == null) {
            throw new BadInputException(file + ": model file lacks the '" + key + "' metadata");
        }
        return v;
    }

    private static double[] doubles(JsonNode a) {
        if (a == null || !a.isArray()) {
            throw new IllegalArgumentException("expected an array of numbers");
        }
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).asDouble();
        }
        return d;
    }
}
