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
 * <p>Ensembles and mean-variance models ({@link Ensemble} of more than one member, a {@link MeanVariance} model, or
 * a recalibrated one) are the kind {@code model_type} = {@value #ENSEMBLE} (same format version; a plain single
 * regression model is still written as {@value #DMPNN}, byte for byte as before, and builds that predate the kind
 * refuse it naming it). Their header adds {@code task_type} ({@code regression} or {@code mve}),
 * {@code ensemble_size} N, {@code member_seeds} (JSON array of the members' initialization seeds) and, when fitted,
 * {@code calibration} (JSON: {@code z_scale} per target, fitted on the validation set). With N &gt; 1 the tensors
 * of member i are stored under {@code member.i.} + the parameter name; hyperparameters, scaler and targets are
 * shared.
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
    /** {@code model_type} of an ensemble of D-MPNNs or a mean-variance D-MPNN. */
    public static final String ENSEMBLE = "dmpnn-ensemble";

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
     * Writes an ensemble atomically: a plain single regression model without recalibration exactly as
     * {@link #save(Path, TrainedModel)} ({@value #DMPNN}), anything else as the kind {@value #ENSEMBLE}.
     *
     * @param seeds the members' initialization seeds (recorded), one per member
     * @throws IOException on a write failure (an existing file is left untouched)
     */
    public static void save(Path file, Ensemble e, long[] seeds) throws IOException {
        TrainedModel m = e.first();
        if (e.size() == 1 && !m.hasVariance() && e.zScale() == null) {
            save(file, m);
            return;
        }
        Map<String, String> md = header(ENSEMBLE);
        md.put("hyperparameters", JSON.writeValueAsString(m.network().config().toJson(JSON)));
        if (m.options() != null) {
            md.put("training", JSON.writeValueAsString(m.options().toJson(JSON)));
        }
        md.put("scaler", m.scaler().toJsonString());
        ArrayNode targets = JSON.createArrayNode();
        m.targetNames().forEach(targets::add);
        md.put("targets", JSON.writeValueAsString(targets));
        md.put("provenance", JSON.writeValueAsString(m.provenance().toJson(JSON)));
        md.put("task_type", m.taskType().name());
        md.put("ensemble_size", Integer.toString(e.size()));
        ArrayNode sd = JSON.createArrayNode();
        for (long v : seeds) {
            sd.add(v);
        }
        md.put("member_seeds", JSON.writeValueAsString(sd));
        if (e.zScale() != null) {
            ObjectNode cal = JSON.createObjectNode();
            ArrayNode z = cal.putArray("z_scale");
            for (double v : e.zScale()) {
                z.add(v);
            }
            cal.put("fitted_on", "validation");
            md.put("calibration", JSON.writeValueAsString(cal));
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < e.size(); i++) {
            String prefix = e.size() == 1 ? "" : "member." + i + ".";
            for (Map.Entry<String, Tensor> t : e.members().get(i).network().params().asMap().entrySet()) {
                tensors.put(prefix + t.getKey(), t.getValue());
            }
        }
        SafeTensors.write(file, tensors, md);
    }

    /**
     * Reads a model file holding one model (any version; a mean-variance model included).
     *
     * @throws BadInputException naming the file when it is missing, truncated, corrupt, of another
     *     format or version, its weights do not match its hyperparameters, or it holds an ensemble of more than
     *     one member (read those with {@link #loadEnsemble})
     */
    public static TrainedModel load(Path file) {
        Ensemble e = loadEnsemble(file);
        if (e.size() > 1) {
            throw new BadInputException(file + ": is an ensemble of " + e.size() + " models; this needs a single model "
                    + "(gear predict reads ensembles)");
        }
        return e.first();
    }

    /**
     * Reads a D-MPNN model file of either kind as an ensemble (a {@value #DMPNN} file: one member, no
     * recalibration).
     *
     * @throws BadInputException naming the file and the problem
     */
    public static Ensemble loadEnsemble(Path file) {
        SafeTensors.Content c = open(file, ENSEMBLE.equals(modelType(file)) ? ENSEMBLE : DMPNN);
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
            TaskType type = TaskType.parse(md.getOrDefault("task_type", "regression"));
            int size = Integer.parseInt(md.getOrDefault("ensemble_size", "1"));
            if (size < 1) {
                throw new BadInputException(file + ": ensemble_size " + size + " (must be at least 1)");
            }
            Map<String, Tensor> all = c.tensors();
            List<TrainedModel> members = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                Dmpnn net = new Dmpnn(cfg, 0);
                int need = net.params().asMap().size();
                Map<String, Tensor> w = new LinkedHashMap<>();
                if (size == 1) {
                    w.putAll(all); // as format 1 always read it: a wrong name fails in copyFrom
                } else {
                    for (String k : net.params().asMap().keySet()) {
                        Tensor t = all.get("member." + i + "." + k);
                        if (t != null) {
                            w.put(k, t);
                        }
                    }
                }
                if (cfg.float64()) {
                    w.replaceAll((k, v) -> v.to(cfg.dtype()));
                }
                if (w.size() != need || all.size() != need * size) {
                    throw new BadInputException(file + ": holds " + all.size() + " tensors, the model needs "
                            + need + (size > 1 ? " for each of its " + size + " members" : ""));
                }
                net.params().copyFrom(w);
                members.add(new TrainedModel(net, scaler, names, prov, opts, type));
            }
            double[] z = null;
            if (md.containsKey("calibration")) {
                z = doubles(JSON.readTree(md.get("calibration")).get("z_scale"));
            }
            return new Ensemble(members, z);
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
