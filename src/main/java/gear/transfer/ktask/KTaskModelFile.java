package gear.transfer.ktask;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import gear.data.BadInputException;
import gear.data.StandardScaler;
import gear.nn.SafeTensors;
import gear.train.ModelFile;
import gear.transfer.TransferModelFile;
import gear.transfer.TransferOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The k-task model file: the container, header and checks of every gear model file ({@link ModelFile#header},
 * {@link ModelFile#open}) with {@code model_type = transfer_k}. Metadata: {@code method} ({@code gear}, {@code gate}, {@code mtl}),
 * {@code options} (JSON, {@link TransferOptions#toJson}), {@code seed}, {@code tasks} (JSON array of the task
 * names in task order), {@code primary} (index), {@code scalers} (JSON array of {@code {mean:[μ], std:[σ]}}).
 * Tensors: every weight of {@link KTaskModel#params()} ({@code task<τ>.*}). Loading rebuilds the networks from
 * options, seed and tasks and copies the weights, so every task's predictions are the saved model's.
 */
public final class KTaskModelFile {
    /** Value of the {@code model_type} key. */
    public static final String MODEL_TYPE = "transfer_k";
    private static final ObjectMapper JSON = new ObjectMapper();

    private KTaskModelFile() {}

    /** Writes the model atomically (temp file and rename, as every model file). */
    public static void save(Path file, KTaskModel m) throws IOException {
        Map<String, String> md = TransferModelFile.header(MODEL_TYPE, m.method().name(), m.options(), m.seed());
        ArrayNode names = JSON.createArrayNode();
        m.names().forEach(names::add);
        md.put("tasks", JSON.writeValueAsString(names));
        md.put("primary", Integer.toString(m.primary()));
        ArrayNode sc = JSON.createArrayNode();
        for (int t = 0; t < m.tasks(); t++) {
            sc.add(TransferModelFile.scalerJson(m.scaler(t)));
        }
        md.put("scalers", JSON.writeValueAsString(sc));
        SafeTensors.write(file, new LinkedHashMap<>(m.params().asMap()), md);
    }

    /** @return whether the file is a k-task model */
    public static boolean isKTaskModel(Path file) {
        return MODEL_TYPE.equals(ModelFile.modelType(file));
    }

    /**
     * Reads a k-task model.
     *
     * @throws BadInputException naming the file when it is missing, corrupt, of another kind, or its weights do not
     *     fit its settings
     */
    public static KTaskModel load(Path file) {
        SafeTensors.Content c = ModelFile.open(file, MODEL_TYPE);
        Map<String, String> md = c.metadata();
        try {
            KMethod method = KMethod.get(ModelFile.require(md, "method", file));
            TransferOptions opts = TransferModelFile.options(md, file);
            long seed = Long.parseLong(ModelFile.require(md, "seed", file));
            List<String> names = new ArrayList<>();
            JSON.readTree(ModelFile.require(md, "tasks", file)).forEach(n -> names.add(n.asText()));
            int primary = Integer.parseInt(ModelFile.require(md, "primary", file));
            List<StandardScaler> scalers = new ArrayList<>();
            for (JsonNode n : JSON.readTree(ModelFile.require(md, "scalers", file))) {
                scalers.add(TransferModelFile.scaler(n));
            }
            KTaskModel m = new KTaskModel(method, opts, seed, names, primary, scalers);
            TransferModelFile.copyWeights(file, m.params(), c.tensors(), "a " + names.size() + "-task " + method.name()
                    + " model");
            return m;
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(file + ": corrupt k-task model file (" + e.getMessage() + ")", e);
        }
    }
}
