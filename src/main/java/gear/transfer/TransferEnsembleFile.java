package gear.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import gear.data.BadInputException;
import gear.nn.SafeTensors;
import gear.train.ModelFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;

/**
 * The model file of a {@link TransferEnsemble}: the kind {@code model_type} = {@value #MODEL_TYPE} (same container,
 * header and format version as {@link TransferModelFile}), with member 0's metadata (method, options, seed, scalers,
 * tasks, provenance, source_sha256) and {@code ensemble_size} N, {@code member_seeds} (JSON array of the members'
 * initialization seeds) and, when fitted, {@code z_scale} (the target task's recalibration factor). The weights of
 * member i are stored under {@code member.i.} + the parameter name. A one-member ensemble is written as a plain
 * {@value TransferModelFile#MODEL_TYPE} file, as before; {@link #load} reads both kinds.
 */
public final class TransferEnsembleFile {
    /** Value of the {@code model_type} key. */
    public static final String MODEL_TYPE = "transfer-ensemble";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TransferEnsembleFile() {}

    /** Writes the ensemble atomically (one member without recalibration: a plain transfer model file). */
    public static void save(Path file, TransferEnsemble e, String sourceSha256) throws IOException {
        if (e.size() == 1 && !Double.isFinite(e.zScale())) {
            TransferModelFile.save(file, e.first(), sourceSha256);
            return;
        }
        Map<String, String> md = TransferModelFile.metadata(e.first(), sourceSha256, MODEL_TYPE);
        md.put("ensemble_size", Integer.toString(e.size()));
        ArrayNode sd = JSON.createArrayNode();
        for (long s : e.seeds()) {
            sd.add(s);
        }
        md.put("member_seeds", JSON.writeValueAsString(sd));
        if (Double.isFinite(e.zScale())) {
            md.put("z_scale", Double.toString(e.zScale()));
        }
        Map<String, Tensor> w = new LinkedHashMap<>();
        for (int i = 0; i < e.size(); i++) {
            for (Map.Entry<String, Tensor> t : e.members().get(i).params().asMap().entrySet()) {
                w.put("member." + i + "." + t.getKey(), t.getValue());
            }
        }
        SafeTensors.write(file, w, md);
    }

    /** @return whether the file is a transfer ensemble ({@value #MODEL_TYPE}) */
    public static boolean isEnsemble(Path file) {
        return MODEL_TYPE.equals(ModelFile.modelType(file));
    }

    /**
     * Reads a transfer model file of either kind as an ensemble (a {@value TransferModelFile#MODEL_TYPE} file: one
     * member, no recalibration).
     *
     * @throws BadInputException naming the file when it is missing, corrupt or its weights do not fit its settings
     */
    public static TransferEnsemble load(Path file) {
        if (TransferModelFile.isTransferModel(file)) {
            TransferModel m = TransferModelFile.load(file);
            return new TransferEnsemble(List.of(m), new long[] {m.seed()}, Double.NaN);
        }
        SafeTensors.Content c = ModelFile.open(file, MODEL_TYPE);
        Map<String, String> md = c.metadata();
        try {
            int size = Integer.parseInt(ModelFile.require(md, "ensemble_size", file));
            JsonNode sd = JSON.readTree(ModelFile.require(md, "member_seeds", file));
            if (size < 1 || !sd.isArray() || sd.size() != size) {
                throw new BadInputException(file + ": ensemble_size " + size + " does not match member_seeds " + sd);
            }
            String z = md.get("z_scale");
            Map<String, Tensor> all = c.tensors();
            List<TransferModel> members = new ArrayList<>();
            long[] seeds = new long[size];
            for (int i = 0; i < size; i++) {
                seeds[i] = sd.get(i).asLong();
                TransferModel m = TransferModelFile.fresh(md, file, seeds[i]);
                Map<String, Tensor> w = new LinkedHashMap<>();
                for (String k : m.params().asMap().keySet()) {
                    Tensor t = all.get("member." + i + "." + k);
                    if (t == null) {
                        throw new BadInputException(file + ": member " + i + " lacks the weight tensor " + k);
                    }
                    w.put(k, t);
                }
                m.params().copyFrom(w);
                members.add(m);
            }
            if (all.size() != size * members.get(0).params().asMap().size()) {
                throw new BadInputException(file + ": holds " + all.size() + " tensors, an ensemble of " + size + " "
                        + members.get(0).method().name() + " models needs " + size * members.get(0).params().asMap().size());
            }
            return new TransferEnsemble(members, seeds, z == null ? Double.NaN : Double.parseDouble(z));
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(file + ": corrupt transfer ensemble file (" + e.getMessage() + ")", e);
        }
    }
}
